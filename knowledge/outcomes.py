"""Survey responses, churn events and the one-sentence story summary of each account."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from knowledge.accounts import Account, Contact
from knowledge.tickets import Ticket

# Days before the reference date on which the quarterly NPS survey went out.
NPS_WAVES_DAYS_AGO = (314, 223, 132, 41)

NPS_COMMENTS = {
    "promoter": (
        "Auto-parts alone saves us days on every vehicle.",
        "Fast, and the exports just work in our pipeline.",
        "Image-to-3D with side views is excellent for our catalogue.",
        "Great tool, great support.",
        "Retopology is the feature I did not know I needed.",
    ),
    "passive": (
        "Good tool, but proportions still need manual fixes.",
        "Useful, though USDZ textures are limited to 2048 px.",
        "Works well most of the time; FBX exports could be more reliable.",
        "Pricing is steep for a small team.",
    ),
    "detractor": (
        "Exports keep breaking and support has not fixed it.",
        "We lose too much time fixing generated models.",
        "Too slow lately; GLB exports time out.",
        "Hard to justify the cost with the problems we have had.",
    ),
}
FREE_COMMENTS = (
    "Love it, but 40 generations a month goes in a week.",
    "Would pay for a cheaper tier with FBX export.",
    "Best generative 3D tool we have tried. The limits hurt.",
)
CSAT_COMMENTS = {
    "good": (
        "Quick and clear answer, thanks.",
        "Solved on the first reply.",
        "Helpful, and the doc link was exactly what we needed.",
    ),
    "bad": (
        "The workaround did not fix anything.",
        "Slow response and no real fix.",
        "Closed without solving the problem.",
    ),
}
CHURN_FEEDBACK = {
    "switched_competitor": "Our new parent company already licenses another 3D tool, so we "
    "are consolidating.",
    "budget": "Budget for 3D content was cut for next year; we may come back later.",
    "low_adoption": "Only a handful of designers used it. We could not justify the seats.",
    "product_gaps": "Face detail in USDZ and export limits did not meet our AR needs.",
    "project_ended": "The project that needed Meshwright is finished.",
}


@dataclass
class Survey:
    account: Account
    contact: Contact
    response_date: date
    kind: str
    score: int
    comment: str
    id: str = ""


@dataclass
class ChurnEvent:
    account: Account
    churn_date: date
    reason_code: str
    refund_amount: float
    preceding_upgrade: bool
    preceding_downgrade: bool
    is_reactivation: bool
    feedback: str
    id: str = ""


def surveys_for(account: Account, tickets: list[Ticket], seed: int, as_of: date) -> list[Survey]:
    """Return the account's NPS responses and the CSAT responses left on its tickets."""
    rng = random.Random(f"{seed}:surveys:{account.spec.domain}")
    responses = []
    end = account.churn_date or as_of
    for days_ago in NPS_WAVES_DAYS_AGO:
        wave = as_of - timedelta(days=days_ago)
        if wave < account.signup + timedelta(days=30) or wave > end:
            continue
        for contact in account.contacts:
            if not _responds(account, contact, wave, rng):
                continue
            day = min(wave + timedelta(days=rng.randint(0, 6)), end)
            score = _nps_score(account, contact, day, rng)
            responses.append(
                Survey(account, contact, day, "nps", score, _nps_comment(account, score, rng))
            )
    responses.extend(_onboarding_csat(account, rng, as_of))
    for ticket in tickets:
        if ticket.closed_at is None or ticket.satisfaction is None:
            continue
        responses.append(
            Survey(
                account,
                ticket.contact,
                ticket.closed_at.date(),
                "csat",
                ticket.satisfaction,
                _csat_comment(ticket, rng),
            )
        )
    return responses


def _responds(account: Account, contact: Contact, day: date, rng: random.Random) -> bool:
    if contact.left_on is not None and contact.left_on <= day:
        return False
    if contact.role == "admin":
        return False
    chance = 0.6 if account.spec.plan == "Free" else 0.45
    if contact.role == "champion":
        chance += 0.3
    return rng.random() < chance


def _nps_score(account: Account, contact: Contact, day: date, rng: random.Random) -> int:
    story = account.story
    events = account.events
    if story == "healthy_growing" or story == "free_power_user":
        return rng.choice((8, 9, 9, 10, 10))
    if story in ("usage_declining", "churned") or (
        story == "renewal_30_days" and "decline_start" in events
    ):
        if day >= events["decline_start"] - timedelta(days=10):
            return rng.randint(3, 6)
        return rng.randint(7, 9)
    if story == "champion_left":
        return rng.randint(9, 10) if contact.role == "champion" else rng.randint(6, 8)
    if story == "open_escalation":
        if day >= events["escalated_on"] - timedelta(days=70):
            return rng.randint(2, 5)
        return rng.randint(6, 8)
    if story == "renewal_30_days":
        return rng.randint(8, 10)
    return rng.choice((6, 7, 7, 8, 8, 9, 10))


def _nps_comment(account: Account, score: int, rng: random.Random) -> str:
    if rng.random() < 0.35:
        return ""
    if account.spec.plan == "Free":
        return rng.choice(FREE_COMMENTS)
    if score >= 9:
        band = "promoter"
    elif score >= 7:
        band = "passive"
    else:
        band = "detractor"
    return rng.choice(NPS_COMMENTS[band])


def _onboarding_csat(account: Account, rng: random.Random, as_of: date) -> list[Survey]:
    """Return the response to the survey sent a week after an onboarding kickoff."""
    if account.story != "onboarding":
        return []
    day = account.signup + timedelta(days=rng.randint(7, 10))
    if day > as_of:
        return []
    comment = rng.choice(("Clear kickoff and a useful plan.", "", "Great training session."))
    return [Survey(account, account.champion, day, "csat", rng.randint(4, 5), comment)]


def _csat_comment(ticket: Ticket, rng: random.Random) -> str:
    if rng.random() < 0.4:
        return ""
    band = "good" if (ticket.satisfaction or 0) >= 4 else "bad"
    return f"{ticket.id}: {rng.choice(CSAT_COMMENTS[band])}"


def churn_events_for(account: Account, rng_seed: int) -> list[ChurnEvent]:
    """Return the account's churn events; only churned accounts and comebacks have any."""
    if account.churn_date is None:
        return []
    reason = account.spec.variant
    subscriptions = account.subscriptions
    last = subscriptions[-1]
    events = []
    if "first_churn" in account.events:
        events.append(
            ChurnEvent(
                account,
                account.events["first_churn"],
                reason,
                0.0,
                False,
                False,
                True,
                "Between projects; we expect to be back for the next film.",
            )
        )
    refund = 0.0
    if reason == "product_gaps":
        # Cancelled within 30 days of an automatic annual renewal: unused whole months back.
        refund = round(last.mrr * 11, 2)
    events.append(
        ChurnEvent(
            account,
            account.churn_date,
            reason,
            refund,
            preceding_upgrade=any(s.upgrade for s in subscriptions),
            preceding_downgrade=any(s.downgrade for s in subscriptions),
            is_reactivation=False,
            feedback=CHURN_FEEDBACK[reason],
        )
    )
    return events


def summarise(account: Account, tickets: list[Ticket], daily: dict, as_of: date) -> str:
    """Return one sentence that states the account's story with numbers from its data."""
    summary = _SUMMARIES.get(account.story, _summarise_steady)
    return summary(account, tickets, daily, as_of)


def _summarise_healthy_growing(account, tickets, daily, as_of) -> str:
    prior, current = account.subscriptions[-2], account.current
    growth = _change_pct(daily, as_of, as_of - timedelta(days=300))
    return (
        f"{account.name} expanded from {prior.seats} {prior.plan} seats to {current.seats} "
        f"{current.plan} seats on {account.events['plan_change']}, and its generations in the "
        f"last 30 days are up {growth}% on ten months earlier."
    )


def _summarise_usage_declining(account, tickets, daily, as_of) -> str:
    drop = -_change_pct(daily, as_of, as_of - timedelta(days=90))
    refs = ", ".join(t.id for t in tickets if t.mood == "frustrated")
    return (
        f"Usage at {account.name} has been falling since {account.events['decline_start']}, "
        f"with generations down {drop}% on 90 days earlier, and its tickets turned from how-to "
        f"questions to problem reports ({refs})."
    )


def _summarise_onboarding(account, tickets, daily, as_of) -> str:
    current = account.current
    trial = " on a 14-day trial" if current.is_trial else ""
    return (
        f"{account.name} signed up on {account.signup} for {current.seats} {current.plan} "
        f"seats{trial} and is ramping up usage during onboarding."
    )


def _summarise_champion_left(account, tickets, daily, as_of) -> str:
    champion = account.champion
    drop = -_change_pct(daily, as_of, account.events["champion_left_on"] - timedelta(days=1))
    return (
        f"The champion at {account.name}, {champion.name} ({champion.title}), left on "
        f"{champion.left_on}, and generations have fallen {drop}% since."
    )


def _summarise_open_escalation(account, tickets, daily, as_of) -> str:
    ticket = next(t for t in tickets if t.escalated)
    return (
        f"{account.name} has had the escalated {ticket.priority}-priority ticket {ticket.id} "
        f'("{ticket.subject}") open since {ticket.submitted_at.date()}, with frustrated calls '
        f"and low CSAT."
    )


def _summarise_renewal_30_days(account, tickets, daily, as_of) -> str:
    current = account.current
    if account.spec.variant == "healthy":
        return (
            f"{account.name} renews {current.seats} {current.plan} seats on {current.renewal} "
            f"with healthy usage and is expected to renew."
        )
    decline_start = account.events["decline_start"]
    drop = -_change_pct(daily, as_of, decline_start - timedelta(days=1))
    return (
        f"{account.name} renews {current.seats} {current.plan} seats on {current.renewal}, "
        f"but its generations are down {drop}% since {decline_start} and it is asking to cut "
        f"seats."
    )


def _summarise_free_power_user(account, tickets, daily, as_of) -> str:
    blocked = sum(t.blocked for d, t in daily.items() if d > as_of - timedelta(days=30))
    return (
        f"{account.name} is a Free workspace with all {account.current.seats} member seats in "
        f"use that had {blocked} attempts blocked by the monthly limits in the last 30 days: "
        f"a conversion candidate, not a churn risk."
    )


def _summarise_churned(account, tickets, daily, as_of) -> str:
    return (
        f"{account.name} cancelled on {account.churn_date} (reason: {account.spec.variant}) "
        f"after its usage fell from {account.events['decline_start']} onwards."
    )


def _summarise_steady(account, tickets, daily, as_of) -> str:
    current = account.current
    return (
        f"{account.name} is a steady {current.plan} account with {current.seats} seats and "
        f"usage that stays level through the year."
    )


_SUMMARIES = {
    "healthy_growing": _summarise_healthy_growing,
    "usage_declining": _summarise_usage_declining,
    "onboarding": _summarise_onboarding,
    "champion_left": _summarise_champion_left,
    "open_escalation": _summarise_open_escalation,
    "renewal_30_days": _summarise_renewal_30_days,
    "free_power_user": _summarise_free_power_user,
    "churned": _summarise_churned,
    "steady": _summarise_steady,
}


def _change_pct(daily: dict, end: date, earlier_end: date) -> int:
    """Return the % change in generations of the 30 days to `end` against those to `earlier_end`."""
    recent = _generations(daily, end)
    earlier = _generations(daily, earlier_end)
    if earlier == 0:
        return 0
    return round(100 * (recent - earlier) / earlier)


def _generations(daily: dict, end: date) -> int:
    total = 0
    for offset in range(30):
        totals = daily.get(end - timedelta(days=offset))
        if totals is not None:
            total += totals.generations
    return total
