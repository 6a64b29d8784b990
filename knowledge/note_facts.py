"""Facts that a CSM note may state, computed from one account's data on the note's date."""

from __future__ import annotations

import random
from datetime import date, timedelta

from knowledge.accounts import Account, Contact
from knowledge.note_text import (
    CHURN_STORIES,
    EXPORT_DETAILS,
    FIRST_OUTCOMES,
    FREE_NEEDS,
    FREE_QUESTIONS,
    GOALS,
    NEXT_TOPICS,
    ONBOARDING_STORIES,
    PROBLEM_STORIES,
    PROBLEM_TITLES,
    QUESTIONS,
    WINS,
)
from knowledge.tickets import Ticket
from knowledge.usage import free_limit_day

FEATURE_NAMES = {
    "text_to_3d": "text-to-3D",
    "image_to_3d": "image-to-3D",
    "sketch_to_3d": "sketch-to-3D",
    "auto_parts": "auto-parts",
    "retopology": "AI retopology",
    "export_obj": "OBJ",
    "export_glb": "GLB",
    "export_fbx": "FBX",
    "export_usdz": "USDZ",
}
USE_CASES = {
    "GLB": "their web viewer",
    "USDZ": "AR previews on iPhone",
    "FBX": "their engine and animation tools",
    "OBJ": "CAD and 3D printing",
}
DOC_TITLES = (
    "Fix proportions: vehicles too wide and bridges too short",
    "Export to GLB",
    "AI retopology",
    "Auto-parts",
    "Image-to-3D",
    "Speed up slow exports",
    "Seats and roles",
    "Export to USDZ",
)


class NoteFacts:
    """The numbers and names a note may state, computed from the data on the note's date."""

    def __init__(
        self,
        account: Account,
        tickets: list[Ticket],
        daily: dict,
        day: date,
        rng: random.Random,
    ) -> None:
        self.account = account
        self.tickets = [ticket for ticket in tickets if ticket.submitted_at.date() <= day]
        self.daily = daily
        self.day = day
        self.rng = rng

    def build(self) -> dict[str, object]:
        facts: dict[str, object] = {"company": self.account.name}
        facts.update(self._people())
        facts.update(self._usage())
        facts.update(self._tickets())
        facts.update(self._commercial())
        facts.update(self._story())
        facts.update(self._talking_points())
        return facts

    def _people(self) -> dict[str, object]:
        account = self.account
        active = [contact for contact in account.contacts if active_on(contact, self.day)]
        facts: dict[str, object] = {
            "csm": account.csm.name,
            "csm_first": account.csm.name.split(" ")[0],
        }
        champion = account.champion
        # After a champion leaves, the admin usually picks up the tool, else a user.
        interim = next(
            (c for role in ("admin", "user", "sponsor") for c in active if c.role == role),
            champion,
        )
        for role, contact in (
            ("champion", champion),
            ("sponsor", account.contact("sponsor") or champion),
            ("admin", account.contact("admin") or champion),
            ("interim", interim),
        ):
            facts[role] = contact.name
            facts[f"{role}_first"] = contact.first_name
            facts[f"{role}_title"] = contact.title
        facts["left_on"] = _long_date(champion.left_on) if champion.left_on else ""
        facts["attendee_count"] = min(len(active) + self.rng.randint(2, 6), 20)
        return facts

    def _usage(self) -> dict[str, object]:
        last_30 = self._days(0, 30)
        before = self._days(30, 60)
        gens_30 = sum(totals.generations for totals in last_30)
        gens_prev = sum(totals.generations for totals in before)

        by_feature: dict[str, int] = {}
        for totals in last_30 or self._days(0, 120):
            for feature, uses in totals.by_feature.items():
                by_feature[feature] = by_feature.get(feature, 0) + uses
        ranked = sorted(by_feature, key=lambda feature: -by_feature[feature])
        generation_ranked = [f for f in ranked if not f.startswith("export")] or ["text_to_3d"]
        export_ranked = [f for f in ranked if f.startswith("export")] or ["export_glb"]
        main_export = FEATURE_NAMES[export_ranked[0]]

        subscription = self.account.subscription_on(self.day) or self.account.current
        return {
            "gens_30": gens_30,
            "gens_prev_30": gens_prev,
            "exports_30": sum(totals.exports for totals in last_30),
            "glb_30": sum(t.by_feature.get("export_glb", 0) for t in last_30),
            "usdz_30": sum(t.by_feature.get("export_usdz", 0) for t in last_30),
            "active_30": max((totals.active_users for totals in last_30), default=0),
            "full_days": sum(1 for t in last_30 if t.active_users >= subscription.seats),
            "blocked_30": sum(totals.blocked for totals in last_30),
            "top_feature": FEATURE_NAMES[generation_ranked[0]],
            "second_feature": FEATURE_NAMES[(generation_ranked + export_ranked)[1]],
            "main_export": main_export,
            "use_case": USE_CASES[main_export],
            "trend_sentence": _trend_sentence(gens_30, gens_prev),
            "change_phrase": _change_phrase(gens_30, gens_prev),
            "limit_day": _ordinal(free_limit_day(self.daily, self.day) or self.day.day),
            "months_at_limit": self._months_at_limit(),
        }

    def _days(self, start: int, end: int) -> list:
        """Return the daily totals from `start` to `end` days before the note's date."""
        found = []
        for offset in range(start, end):
            totals = self.daily.get(self.day - timedelta(days=offset))
            if totals is not None:
                found.append(totals)
        return found

    def _months_at_limit(self) -> int:
        months = 0
        month_end = self.day.replace(day=1) - timedelta(days=1)
        for _ in range(3):
            if free_limit_day(self.daily, month_end) is None:
                break
            months += 1
            month_end = month_end.replace(day=1) - timedelta(days=1)
        return months

    def _tickets(self) -> dict[str, object]:
        day_end = self.day + timedelta(days=1)
        open_tickets = [
            t for t in self.tickets if t.closed_at is None or t.closed_at.date() >= day_end
        ]
        recent = self.tickets[-2:]
        facts: dict[str, object] = {
            "recent_refs": _join([t.id for t in recent]) or "none",
            "last_ticket_ref": recent[-1].id if recent else "the latest ticket",
            "ticket_ref": recent[-1].id if recent else "their last ticket",
        }
        if open_tickets:
            listed = "; ".join(f"{t.id} ({t.subject})" for t in open_tickets[-2:])
            facts["ticket_sentence"] = f"Open tickets: {listed}."
        elif recent:
            facts["ticket_sentence"] = f"No open tickets; the last one was {recent[-1].id}."
        else:
            facts["ticket_sentence"] = "No support tickets so far."
        facts.update(self._escalation_facts())
        return facts

    def _escalation_facts(self) -> dict[str, object]:
        escalated = next((t for t in self.tickets if t.escalated), None)
        if escalated is None:
            return {}
        followup = next((t for t in self.tickets if t.related is escalated), None)
        workarounds = [t.id for t in self.tickets if t.mood == "workaround"]
        scores = [
            str(t.satisfaction)
            for t in self.tickets
            if t.satisfaction is not None
            and t.closed_at is not None
            and self.day - timedelta(days=120) <= t.closed_at.date() <= self.day
        ]
        return {
            "escalated_ref": escalated.id,
            "escalated_subject": escalated.subject,
            "days_open": (self.day - escalated.submitted_at.date()).days,
            "followup_ref": followup.id if followup else "a follow-up email",
            "workaround_refs": _join(workarounds) or "from support",
            "recent_csat": (_join(scores[-3:]) + " out of 5") if scores else "not given",
        }

    def _commercial(self) -> dict[str, object]:
        subscription = self.account.subscription_on(self.day) or self.account.current
        renewal = subscription.renewal
        facts: dict[str, object] = {
            "plan": subscription.plan,
            "seats": subscription.seats,
            "arr": f"{subscription.mrr * 12:,.0f}",
            "seats_more": subscription.seats + self.rng.choice((2, 4, 5)),
            "renewal": _long_date(renewal) if renewal else "their next billing date",
            "days_to_renewal": (renewal - self.day).days if renewal else 0,
            "renewal_phrase": _renewal_phrase(subscription, self.day),
            "signup": _long_date(self.account.signup),
        }
        prior = self.account.subscriptions[-2] if len(self.account.subscriptions) > 1 else None
        target = self.account.current
        facts["prior_seats"] = prior.seats if prior else subscription.seats
        facts["prior_plan"] = prior.plan if prior else subscription.plan
        facts["new_seats"] = target.seats
        facts["new_plan"] = target.plan
        return facts

    def _story(self) -> dict[str, object]:
        account = self.account
        events = account.events
        facts: dict[str, object] = {}
        start = events.get("decline_start") or events.get("champion_left_on")
        if start is not None:
            before = [
                t.generations
                for offset in range(1, 61)
                if (t := self.daily.get(start - timedelta(days=offset))) is not None
            ]
            monthly_before = round(sum(before) / 2)
            gens_30 = sum(t.generations for t in self._days(0, 30))
            drop = 0 if monthly_before == 0 else round(100 * (1 - gens_30 / monthly_before))
            facts["gens_before"] = monthly_before
            facts["decline_pct"] = max(drop, 0)
            facts["decline_month"] = start.strftime("%B")
        topic = account.spec.variant if account.story == "open_escalation" else "default"
        facts["problem_story"] = PROBLEM_STORIES.get(topic, PROBLEM_STORIES["default"])
        facts["problem_short"] = PROBLEM_TITLES.get(topic, PROBLEM_TITLES["default"])
        reason = account.spec.variant if account.story == "churned" else "budget"
        facts["churn_story"] = CHURN_STORIES.get(reason, CHURN_STORIES["budget"])
        facts["churn_story_cap"] = _capitalise(str(facts["churn_story"]))
        facts["churn_date"] = _long_date(account.churn_date) if account.churn_date else ""
        facts["expansion_reason"] = _expansion_reason(account)
        return facts

    def _talking_points(self) -> dict[str, object]:
        rng = self.rng
        seats = int(self.account.current.seats)
        story = rng.choice(ONBOARDING_STORIES)
        return {
            "question": rng.choice(QUESTIONS),
            "win": rng.choice(WINS),
            "goal": rng.choice(GOALS),
            "next_topic": rng.choice(NEXT_TOPICS),
            "next_quarter": (self.day + timedelta(days=91)).strftime("%B %Y"),
            "first_outcome": rng.choice(FIRST_OUTCOMES),
            "first_deadline": _long_date(self.day + timedelta(days=rng.randint(30, 60))),
            "onboarding_story": story,
            "onboarding_story_cap": _capitalise(story),
            "doc_title": rng.choice(DOC_TITLES),
            "free_question": rng.choice(FREE_QUESTIONS),
            "free_need": rng.choice(FREE_NEEDS),
            "exports_detail": rng.choice(EXPORT_DETAILS),
            "seats_fewer": max(1, min(seats - 2, int(seats * 0.6))),
        }


def active_on(contact: Contact, day: date) -> bool:
    return contact.left_on is None or contact.left_on > day


def _expansion_reason(account: Account) -> str:
    variant = account.spec.variant
    if variant == "department":
        return (
            "A second department wants its own workspace: the marketing team plans to "
            "reuse game and product models for store pages and AR previews."
        )
    if variant == "tier" and account.current.plan == "Enterprise":
        return (
            "IT requires SAML single sign-on and SCIM, and the pipeline needs higher API "
            "limits, which means moving to Enterprise."
        )
    if variant == "tier":
        return (
            "They need auto-parts, 4096 px textures and higher API limits, which means "
            f"moving to {account.current.plan}."
        )
    return "New artists are joining for the next project, and peak use has hit the seat count."


def _trend_sentence(current: int, previous: int) -> str:
    if previous == 0:
        return "There is no earlier month to compare with yet."
    change = round(100 * (current - previous) / previous)
    if change >= 5:
        return f"That is up {change}% on the month before."
    if change <= -5:
        return f"That is down {-change}% on the month before."
    return "That is about the same as the month before."


def _change_phrase(current: int, previous: int) -> str:
    if previous == 0:
        return "no earlier month to compare"
    change = round(100 * (current - previous) / previous)
    if abs(change) < 5:
        return "flat"
    return f"up {change}%" if change > 0 else f"down {-change}%"


def _renewal_phrase(subscription, day: date) -> str:
    if subscription.renewal is None:
        return "not fixed, because they are billed monthly"
    days = (subscription.renewal - day).days
    if days < 0:
        return f"past ({_long_date(subscription.renewal)})"
    return f"on {_long_date(subscription.renewal)}, in {days} days"


def _long_date(day: date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
