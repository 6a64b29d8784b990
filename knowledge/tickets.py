"""Plan and write the support tickets of every account, following its story."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from knowledge.accounts import Account, Contact
from knowledge.ticket_text import (
    FBX_TOOLS,
    FRUSTRATED_IMPACTS,
    MODELS,
    OBJ_TOOLS,
    PART_NAMES,
    PROJECTS,
    SIGN_OFFS,
    TOOLS,
    TOPICS,
    URGENT_IMPACTS,
)
from knowledge.usage import free_limit_day

PAID = ("Starter", "Studio", "Enterprise")
TOPIC_PLANS = {
    "howto_parts_export": ("Studio", "Enterprise"),
    "howto_retopo": PAID,
    "retopo_detail": PAID,
    "fbx_missing_parts": ("Studio", "Enterprise"),
    "api_429": PAID,
    "sso_setup": ("Enterprise",),
    "sso_error": ("Enterprise",),
    # These templates mention Studio features: 4096 px textures, Long structure mode, KTX2.
    "face_detail": ("Studio", "Enterprise"),
    "bridge_proportions": ("Studio", "Enterprise"),
    "glb_slow": ("Studio", "Enterprise"),
    "usdz_size": ("Studio", "Enterprise"),
    "seats_add": PAID,
    "seats_reassign": PAID,
}
HOW_TO = (
    "howto_scale",
    "howto_parts_export",
    "howto_invite",
    "howto_batch",
    "howto_reference_views",
    "howto_retopo",
)
ADMIN = ("billing_vat", "billing_card", "seats_add", "sso_error", "api_429")
FREE_TOPICS = ("free_gen_limit", "free_export_formats", "free_pricing", "free_commercial")
# Problems that each industry runs into most.
PROBLEMS = {
    "Games": (
        "vehicle_width",
        "face_detail",
        "fbx_missing_parts",
        "retopo_detail",
        "generation_stuck",
    ),
    "AR/VR": ("face_detail", "usdz_size", "glb_slow", "generation_stuck"),
    "E-commerce": ("usdz_size", "glb_slow", "obj_textures", "generation_stuck"),
    "Product design": ("vehicle_width", "fbx_missing_parts", "obj_textures", "sketch_panel"),
    "Film and animation": ("face_detail", "fbx_missing_parts", "retopo_detail"),
    "Architecture": ("bridge_proportions", "obj_textures", "sketch_panel"),
}
RESOLUTION_HOURS = {
    "how-to": (2, 30),
    "generation-quality": (20, 160),
    "export": (10, 120),
    "performance": (8, 96),
    "bug": (4, 72),
    "billing": (2, 48),
    "seat-management": (1, 24),
    "api": (4, 60),
    "sso": (3, 48),
    "plan-limits": (2, 36),
}
# CSAT ranges by story for ordinary tickets.
CSAT_RANGE = {
    "healthy_growing": (4, 5),
    "usage_declining": (3, 5),
    "onboarding": (4, 5),
    "champion_left": (3, 5),
    "open_escalation": (3, 4),
    "renewal_30_days": (3, 5),
    "free_power_user": (4, 5),
    "churned": (2, 4),
    "steady": (3, 5),
}


@dataclass
class Ticket:
    """One support ticket, planned first and written once every ticket has its id."""

    account: Account
    contact: Contact
    submitted_at: datetime
    topic: str
    # normal | frustrated | workaround | escalated | followup
    mood: str = "normal"
    priority: str = "normal"
    status: str = "closed"
    escalated: bool = False
    closed_at: datetime | None = None
    first_response_minutes: int = 0
    resolution_hours: float | None = None
    satisfaction: int | None = None
    related: Ticket | None = None
    id: str = ""
    subject: str = ""
    body: str = ""

    @property
    def category(self) -> str:
        if self.related is not None:
            return self.related.category
        return TOPICS[self.topic].category


def plan_tickets(account: Account, seed: int, as_of: date) -> list[Ticket]:
    """Plan the account's tickets (dates, topics, status, timings) without their text."""
    rng = random.Random(f"{seed}:tickets:{account.spec.domain}")
    planner = _Planner(account, rng, as_of)
    planner.plan()
    return planner.tickets


def write_ticket_text(ticket: Ticket, seed: int, daily: dict) -> None:
    """Fill in the ticket's subject and body; related tickets must already have ids."""
    rng = random.Random(f"{seed}:ticket-text:{ticket.id}")
    slots = _slots(ticket, rng, daily)
    scenario = rng.choice(TOPICS[ticket.topic].scenarios)
    sentences = [rng.choice(scenario.openers)]
    if ticket.mood != "normal" or rng.random() > 0.15:
        sentences.append(rng.choice(scenario.details))
    if ticket.mood == "escalated":
        sentences.append(rng.choice(URGENT_IMPACTS))
    else:
        impact = rng.choice(scenario.impacts)
        if impact:
            sentences.append(impact)
    if ticket.mood in ("frustrated", "workaround", "followup"):
        sentences.append(rng.choice(FRUSTRATED_IMPACTS))
    sentences.append(rng.choice(scenario.requests))
    ticket.subject = rng.choice(scenario.subjects).format_map(slots)
    ticket.body = " ".join(sentences).format_map(slots) + rng.choice(SIGN_OFFS).format_map(slots)


class _Planner:
    def __init__(self, account: Account, rng: random.Random, as_of: date) -> None:
        self.account = account
        self.rng = rng
        self.as_of = as_of
        self.first_day = max(account.signup + timedelta(days=1), as_of - timedelta(days=364))
        self.last_day = account.churn_date or as_of
        self.tickets: list[Ticket] = []

    def plan(self) -> None:
        story = self.account.story
        getattr(self, f"_plan_{story}")()
        if self.account.name == "Northwind Studios":
            self._add(self._day(-120, -60), "usdz_size")
            self._add(self._day(-200, -150), "howto_batch")
        for ticket in self.tickets:
            self._finish(ticket)

    # Stories

    def _plan_steady(self) -> None:
        count = min(7, self.rng.randint(2, 4) + self.account.current.seats // 10)
        for _ in range(count):
            self._add(self._between(self.first_day, self.last_day), self._general_topic())

    def _plan_healthy_growing(self) -> None:
        for _ in range(self.rng.randint(3, 5)):
            self._add(self._between(self.first_day, self.last_day), self._general_topic())
        change = self.account.events["plan_change"]
        self._add(change - timedelta(days=self.rng.randint(5, 15)), "seats_add")
        if self.account.spec.billing == "annual":
            self._add(change + timedelta(days=self.rng.randint(2, 8)), "billing_proration")
        if self.rng.random() < 0.6:
            self._add(self._day(-60, -5), "api_429")

    def _plan_usage_declining(self) -> None:
        decline = self.account.events["decline_start"]
        for _ in range(self.rng.randint(2, 3)):
            day = self._between(self.first_day, decline - timedelta(days=40))
            self._add(day, self._eligible(HOW_TO))
        for _ in range(self.rng.randint(2, 3)):
            day = self._between(decline - timedelta(days=15), self.as_of - timedelta(days=2))
            self._add(day, self._eligible(PROBLEMS[self.account.spec.industry]), "frustrated")

    def _plan_onboarding(self) -> None:
        signup = self.account.signup
        self._add(signup + timedelta(days=self.rng.randint(1, 3)), "howto_invite")
        if self.account.spec.plan == "Enterprise":
            self._add(signup + timedelta(days=self.rng.randint(2, 5)), "sso_setup")
        topic = self.rng.choice(("howto_scale", "howto_reference_views", "howto_batch"))
        self._add(self._between(signup + timedelta(days=3), self.as_of), topic)

    def _plan_champion_left(self) -> None:
        left_on = self.account.events["champion_left_on"]
        for _ in range(self.rng.randint(2, 4)):
            self._add(
                self._between(self.first_day, left_on - timedelta(days=7)), self._general_topic()
            )
        self._add(left_on + timedelta(days=self.rng.randint(2, 9)), "seats_reassign")
        self._add(self._between(left_on + timedelta(days=12), self.as_of), self._eligible(HOW_TO))

    def _plan_open_escalation(self) -> None:
        escalated_on = self.account.events["escalated_on"]
        topic = self.account.spec.variant
        for _ in range(self.rng.randint(2, 3)):
            day = self._between(self.first_day, escalated_on - timedelta(days=80))
            self._add(day, self._general_topic())
        for _ in range(self.rng.randint(1, 2)):
            earliest = escalated_on - timedelta(days=70)
            day = self._between(earliest, escalated_on - timedelta(days=12))
            self._add(day, topic, "workaround")
        escalated = self._add(escalated_on, topic, "escalated")
        if escalated_on <= self.as_of - timedelta(days=8):
            followup = self._add(self._day(-6, -2), "followup", "followup")
            followup.related = escalated

    def _plan_renewal_30_days(self) -> None:
        renewal = self.account.current.renewal
        for _ in range(self.rng.randint(2, 4)):
            self._add(
                self._between(self.first_day, self.as_of - timedelta(days=40)),
                self._general_topic(),
            )
        if self.account.spec.variant == "healthy":
            self._add(
                min(self.as_of, renewal - timedelta(days=self.rng.randint(25, 40))),
                "billing_renewal_quote",
            )
            return
        decline = self.account.events["decline_start"]
        day = self._between(decline, self.as_of - timedelta(days=20))
        self._add(day, self._eligible(PROBLEMS[self.account.spec.industry]), "frustrated")
        self._add(self._day(-20, -3), "billing_reduce_seats")

    def _plan_free_power_user(self) -> None:
        topics = list(FREE_TOPICS)
        self.rng.shuffle(topics)
        count = self.rng.randint(2, 4)
        for index, topic in enumerate(topics[:count]):
            if index == count - 1:
                day = self._day(-9, -1)
            else:
                day = self._between(self.first_day, self.as_of - timedelta(days=20))
            self._add(day, topic)

    def _plan_churned(self) -> None:
        decline = self.account.events["decline_start"]
        churn = self.account.churn_date
        for _ in range(self.rng.randint(1, 3)):
            self._add(
                self._between(self.first_day, decline - timedelta(days=10)), self._general_topic()
            )
        for _ in range(self.rng.randint(1, 2)):
            day = self._between(decline, churn - timedelta(days=25))
            self._add(day, self._eligible(PROBLEMS[self.account.spec.industry]), "frustrated")
        self._add(churn - timedelta(days=self.rng.randint(12, 24)), "billing_cancel")

    # Helpers

    def _add(self, day: date, topic: str, mood: str = "normal") -> Ticket:
        day = min(max(day, self.first_day), self.last_day)
        if mood != "escalated":
            while day.weekday() >= 5 and day > self.first_day:
                day -= timedelta(days=1)
        hour = self.rng.randint(7, 19)
        submitted = datetime.combine(day, time(hour, self.rng.randint(0, 59)))
        ticket = Ticket(self.account, self._contact_for(topic, day), submitted, topic, mood)
        self.tickets.append(ticket)
        return ticket

    def _day(self, low: int, high: int) -> date:
        return self.as_of + timedelta(days=self.rng.randint(low, high))

    def _between(self, start: date, end: date) -> date:
        start = max(start, self.first_day)
        end = min(end, self.last_day)
        if end <= start:
            return start
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def _general_topic(self) -> str:
        roll = self.rng.random()
        if roll < 0.45:
            return self._eligible(HOW_TO)
        if roll < 0.8:
            return self._eligible(PROBLEMS[self.account.spec.industry])
        return self._eligible(ADMIN)

    def _eligible(self, topics: tuple[str, ...]) -> str:
        plan = self.account.spec.plan
        allowed = [topic for topic in topics if plan in TOPIC_PLANS.get(topic, PAID + ("Free",))]
        if plan == "Free":
            allowed = [topic for topic in allowed if not topic.startswith(("billing", "seats"))]
        return self.rng.choice(allowed or list(FREE_TOPICS))

    def _contact_for(self, topic: str, day: date) -> Contact:
        active = [
            contact
            for contact in self.account.contacts
            if contact.left_on is None or contact.left_on > day
        ]
        by_role = {contact.role: contact for contact in reversed(active)}
        if topic.startswith(("billing", "seats", "sso")):
            preferred = ("admin", "sponsor", "champion")
        elif topic in HOW_TO and self.rng.random() < 0.5:
            preferred = ("user", "champion")
        else:
            preferred = ("champion", "admin", "user", "sponsor")
        for role in preferred:
            if role in by_role:
                return by_role[role]
        return active[0]

    def _finish(self, ticket: Ticket) -> None:
        """Set priority, status, response and resolution times and CSAT."""
        rng = self.rng
        ticket.priority = _priority(ticket, rng)
        ticket.first_response_minutes = _first_response(self.account.spec.plan, ticket, rng)
        if ticket.mood == "escalated":
            ticket.escalated = True
            ticket.status = "open"
            return
        if ticket.mood == "followup":
            ticket.status = "pending"
            return
        low, high = RESOLUTION_HOURS[ticket.category]
        hours = round(rng.uniform(low, high), 1)
        closed_at = ticket.submitted_at + timedelta(hours=hours)
        if closed_at.date() > self.as_of or (
            ticket.submitted_at.date() >= self.as_of - timedelta(days=6) and rng.random() < 0.6
        ):
            ticket.status = rng.choice(("open", "pending"))
            return
        ticket.closed_at = closed_at
        ticket.resolution_hours = hours
        ticket.satisfaction = _satisfaction(ticket, rng)


def _priority(ticket: Ticket, rng: random.Random) -> str:
    category = ticket.category
    if ticket.mood == "escalated":
        return rng.choice(("urgent", "high"))
    if ticket.mood in ("followup", "workaround", "frustrated"):
        return "high"
    if ticket.topic == "sso_error":
        return "urgent"
    if category == "bug":
        return rng.choice(("normal", "high", "high", "urgent"))
    if category in ("how-to", "plan-limits"):
        return rng.choice(("low", "normal", "normal"))
    if category in ("generation-quality", "export", "performance", "api"):
        return rng.choice(("normal", "normal", "high"))
    return "normal"


def _first_response(plan: str, ticket: Ticket, rng: random.Random) -> int:
    urgent = ticket.priority in ("urgent", "high")
    if plan == "Enterprise":
        low, high = (8, 55) if urgent else (20, 240)
    elif plan == "Studio":
        low, high = (20, 240) if urgent else (45, 480)
    elif plan == "Starter":
        low, high = (90, 900) if urgent else (120, 1440)
    else:
        low, high = (300, 2000)
    return rng.randint(low, high)


def _satisfaction(ticket: Ticket, rng: random.Random) -> int | None:
    if ticket.mood == "workaround":
        return rng.randint(1, 2)
    if rng.random() < 0.25:
        return None
    if ticket.mood == "frustrated":
        return rng.randint(1, 3)
    low, high = CSAT_RANGE[ticket.account.story]
    return rng.randint(low, high)


def _slots(ticket: Ticket, rng: random.Random, daily: dict) -> dict[str, object]:
    """Return the values for every template slot; templates use only some of them."""
    slots = _product_slots(ticket, rng)
    slots.update(_account_slots(ticket, rng, daily))

    if ticket.related is not None:
        slots["ref"] = ticket.related.id
        slots["days_open"] = (ticket.submitted_at - ticket.related.submitted_at).days
    return slots


def _product_slots(ticket: Ticket, rng: random.Random) -> dict[str, object]:
    """Return the model, file, tool and measurement slots of a ticket."""
    day = ticket.submitted_at.date()
    model = rng.choice(MODELS.get(ticket.topic, MODELS["default"]))
    slots: dict[str, object] = {
        "model": model,
        "model_cap": model[:1].upper() + model[1:],
        "project": rng.choice(PROJECTS),
        "tool": rng.choice(TOOLS),
        "fbx_tool": rng.choice(FBX_TOOLS),
        "obj_tool": rng.choice(OBJ_TOOLS),
        "face_fmt": rng.choice(("USDZ", "GLB")),
        "date": _day_month(day - timedelta(days=rng.randint(1, 6))),
        "deadline": _day_month(day + timedelta(days=rng.randint(5, 30))),
        "size": rng.choice((38, 64, 96, 148, 210, 312)),
        "small_size": rng.choice((6, 9, 12, 18)),
        "tris": f"{rng.choice((180, 240, 320, 450, 500, 850)) * 1000:,}",
        "budget": f"{rng.choice((5, 10, 20, 50)) * 1000:,}",
        "part_name": rng.choice(PART_NAMES),
        "minutes": rng.choice((6, 8, 12, 15, 20)),
        "megapixels": rng.choice((8, 12, 24, 48)),
        "span": rng.choice((45, 80, 120, 180, 240)),
        "height": rng.choice((12, 18, 25, 40)),
        "rpm": rng.choice((90, 150, 400, 700)),
        "jobs": rng.choice((4, 12, 16, 25)),
        "model_ref": "mdl_" + "".join(rng.choices(string.ascii_lowercase + string.digits, k=8)),
        "export_ref": "exp_" + "".join(rng.choices(string.ascii_letters + string.digits, k=10)),
    }

    # A vehicle that is pct% too wide, as the proportions page describes (15-25%).
    width = round(rng.uniform(1.75, 2.1), 2)
    pct = rng.randint(15, 25)
    slots.update(
        length=round(rng.uniform(4.3, 5.8), 1),
        width=width,
        bad_width=round(width * (1 + pct / 100), 2),
        pct=pct,
    )

    count_total = rng.randint(12, 40)
    slots["count_total"] = count_total
    slots["count"] = (
        rng.randint(4, count_total) if ticket.topic == "vehicle_width" else (rng.randint(6, 60))
    )

    parts = rng.randint(18, 64)
    missing = rng.randint(3, 9)
    slots.update(parts=parts, missing=missing, present=parts - missing)
    return slots


def _account_slots(ticket: Ticket, rng: random.Random, daily: dict) -> dict[str, object]:
    """Return the people, plan, billing and usage slots of a ticket, taken from the account."""
    account = ticket.account
    day = ticket.submitted_at.date()
    subscription = account.subscription_on(day) or account.current
    colleagues = [contact for contact in account.contacts if contact is not ticket.contact]
    sponsor = account.contact("sponsor")
    limit_day = _free_limit_day(daily, day)
    if account.spec.plan == "Free":
        missing_format = rng.choice(("FBX", "USDZ"))
    else:
        missing_format = rng.choice(("GLB", "FBX", "USDZ"))
    return {
        "fmt": missing_format,
        "n_people": rng.randint(4, 25),
        "colleague": rng.choice(colleagues).name if colleagues else "a colleague",
        "plan": subscription.plan,
        "seats": subscription.seats,
        "seats_more": subscription.seats + rng.choice((2, 4, 5, 10)),
        "added": _seats_added(account, rng),
        "amount": f"{rng.randint(120, 2400):,}",
        "invoice": f"INV-{day.year}-{rng.randint(10000, 99999)}",
        "renewal": _day_month(subscription.renewal) if subscription.renewal else "our renewal",
        "active": _recent_active_users(daily, day),
        "departed": account.champion.name,
        "left_on": _day_month(account.champion.left_on or day),
        "day_of_month": limit_day,
        "day_of_month_ordinal": _ordinal(limit_day),
        "sponsor_title": sponsor.title if sponsor else "CEO",
        "first": ticket.contact.first_name,
    }


def _seats_added(account: Account, rng: random.Random) -> int:
    """Return the seats an expanding account added, or a small number for other accounts."""
    subscriptions = account.subscriptions
    if account.story == "healthy_growing" and len(subscriptions) > 1:
        return max(1, subscriptions[-1].seats - subscriptions[-2].seats)
    return rng.randint(1, 3)


def _recent_active_users(daily: dict, day: date) -> int:
    users = [
        totals.active_users
        for offset in range(30)
        if (totals := daily.get(day - timedelta(days=offset))) is not None
    ]
    return max(users, default=1)


def _free_limit_day(daily: dict, day: date) -> int:
    return free_limit_day(daily, day) or day.day


def _day_month(day: date) -> str:
    return f"{day.day} {day.strftime('%B')}"


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"
