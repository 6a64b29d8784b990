"""Schedule and write each account's CSM notes from facts computed on the note's date."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta

from knowledge.accounts import Account, Contact
from knowledge.note_facts import NoteFacts, active_on
from knowledge.note_text import PURPOSES
from knowledge.tickets import Ticket

# Notes shorter than this get a line of account context; the templates stay under 250 words.
MIN_WORDS = 80
CADENCE_DAYS = {"high-touch": (38, 55), "low-touch": (75, 100), "tech-touch": (150, 200)}
ROLES_BY_PURPOSE = {
    "checkin": ("champion", "user"),
    "qbr": ("champion", "sponsor", "admin"),
    "expansion": ("champion", "sponsor"),
    "decline_alert": ("champion", "user"),
    "onboarding_kickoff": ("champion", "sponsor", "admin"),
    "onboarding_training": ("champion", "user", "admin"),
    "onboarding_checkin": ("champion",),
    "champion_departure": ("interim", "sponsor"),
    "post_departure": ("interim", "sponsor"),
    "escalation_call": ("champion", "sponsor", "admin"),
    "escalation_update": ("champion",),
    "renewal_prep_healthy": ("champion", "sponsor"),
    "renewal_prep_shaky": ("champion", "sponsor"),
    "free_limits": ("champion",),
    "free_pricing": ("champion", "user"),
    "churn_risk": ("champion",),
    "cancellation": ("champion", "sponsor"),
    "exports_review": ("champion", "user"),
}


@dataclass
class Note:
    account: Account
    note_date: date
    kind: str
    title: str
    body: str
    id: str = ""


def write_notes(
    account: Account, tickets: list[Ticket], daily: dict, seed: int, as_of: date
) -> list[Note]:
    """Return the account's notes, in date order."""
    rng = random.Random(f"{seed}:notes:{account.spec.domain}")
    notes = []
    for day, purpose in _schedule(account, rng, as_of):
        facts = NoteFacts(account, tickets, daily, day, rng).build()
        notes.append(_render(account, day, purpose, facts, rng))
    return notes


# Scheduling


def _schedule(account: Account, rng: random.Random, as_of: date) -> list[tuple[date, str]]:
    first_day = max(account.signup + timedelta(days=1), as_of - timedelta(days=364))
    last_day = account.churn_date or as_of
    story_notes = _story_notes(account, rng, as_of)
    routine_until = _regular_notes_end(account, last_day)
    regular = []
    if account.spec.plan != "Free" and account.story != "onboarding":
        low, high = CADENCE_DAYS[account.segment]
        day = first_day + timedelta(days=rng.randint(5, low))
        count = 0
        while day <= routine_until:
            count += 1
            purpose = "qbr" if account.segment == "high-touch" and count % 3 == 0 else "checkin"
            regular.append((day, purpose))
            day += timedelta(days=rng.randint(low, high))
    if account.name == "Northwind Studios":
        regular = [
            (
                day,
                "exports_review"
                if index % 2 == 1 or day >= as_of - timedelta(days=90)
                else purpose,
            )
            for index, (day, purpose) in enumerate(regular)
        ]
    # Routine notes make way for story notes within 12 days of them.
    spaced = [
        (day, purpose)
        for day, purpose in regular
        if all(abs((day - other).days) > 12 for other, _ in story_notes)
    ]
    schedule = sorted(spaced + story_notes)
    return [(min(max(day, first_day), last_day), purpose) for day, purpose in schedule]


def _regular_notes_end(account: Account, last_day: date) -> date:
    """Return the last day for routine notes; after it only the story's notes are written."""
    events = account.events
    if "decline_start" in events:
        return events["decline_start"] - timedelta(days=5)
    if "champion_left_on" in events:
        return events["champion_left_on"] - timedelta(days=5)
    if "escalated_on" in events:
        # The escalated problem was first reported up to 70 days before it escalated.
        return events["escalated_on"] - timedelta(days=75)
    return last_day - timedelta(days=3)


def _story_notes(account: Account, rng: random.Random, as_of: date) -> list[tuple[date, str]]:
    """Return the (date, purpose) of each note that the account's story calls for."""
    events = account.events
    story = account.story
    offset = rng.randint
    if story == "healthy_growing":
        change = events["plan_change"]
        return [
            (change - timedelta(days=offset(10, 20)), "expansion"),
            (as_of - timedelta(days=offset(5, 20)), "qbr"),
        ]

    if story == "usage_declining":
        decline = events["decline_start"]
        return [
            (decline + timedelta(days=offset(35, 48)), "decline_alert"),
            (as_of - timedelta(days=offset(2, 9)), "decline_alert"),
        ]

    if story == "onboarding":
        return _onboarding_notes(account, rng, as_of)

    if story == "champion_left":
        left_on = events["champion_left_on"]
        return [
            (left_on + timedelta(days=offset(3, 8)), "champion_departure"),
            (as_of - timedelta(days=offset(2, 10)), "post_departure"),
        ]

    if story == "open_escalation":
        escalated_on = events["escalated_on"]
        notes = [(escalated_on + timedelta(days=offset(1, 2)), "escalation_call")]
        if escalated_on <= as_of - timedelta(days=8):
            notes.append((as_of - timedelta(days=offset(0, 3)), "escalation_update"))
        return notes

    if story == "renewal_30_days":
        purpose = f"renewal_prep_{account.spec.variant}"
        return [(as_of - timedelta(days=offset(2, 12)), purpose)]

    if story == "free_power_user":
        return [
            (as_of - timedelta(days=offset(70, 120)), "free_limits"),
            (as_of - timedelta(days=offset(3, 20)), "free_pricing"),
        ]

    if story == "churned":
        churn = account.churn_date
        return [
            (events["decline_start"] + timedelta(days=offset(20, 35)), "churn_risk"),
            (churn - timedelta(days=offset(5, 12)), "cancellation"),
        ]

    return []


def _onboarding_notes(account: Account, rng: random.Random, as_of: date) -> list[tuple[date, str]]:
    signup = account.signup
    notes = [(signup + timedelta(days=rng.randint(1, 3)), "onboarding_kickoff")]
    training = signup + timedelta(days=rng.randint(7, 12))
    if training <= as_of:
        notes.append((training, "onboarding_training"))
    if (as_of - signup).days >= 24:
        notes.append((as_of - timedelta(days=rng.randint(1, 4)), "onboarding_checkin"))
    return notes


# Rendering


def _render(
    account: Account, day: date, purpose: str, facts: dict[str, object], rng: random.Random
) -> Note:
    templates = PURPOSES[purpose]
    kind = rng.choice(templates.kind)
    steps = rng.sample(templates.steps, k=min(len(templates.steps), rng.randint(2, 3)))
    parts = {
        "attendees": _attendees(account, day, purpose, kind, facts, rng),
        "discussion": rng.choice(templates.discussions),
        "sentiment": rng.choice(templates.sentiments),
        "risk": rng.choice(templates.risks),
        "steps": steps,
    }
    layout = rng.choice(("labelled", "prose", "bullets"))
    body = _layout(layout, parts).format_map(facts)
    body = re.sub(r"[ ]{2,}", " ", body)
    words = len(body.split())
    if words < MIN_WORDS:
        body += "\n\n" + _context(facts)
    title = rng.choice(templates.titles).format_map(facts)
    return Note(account, day, kind, title, body.strip())


def _attendees(
    account: Account,
    day: date,
    purpose: str,
    kind: str,
    facts: dict[str, object],
    rng: random.Random,
) -> str:
    people = []
    for role in ROLES_BY_PURPOSE[purpose]:
        if role == "interim":
            name, title = facts["interim"], facts["interim_title"]
        else:
            contact = _contact_on(account, role, day)
            if contact is None:
                continue
            name, title = contact.name, contact.title
        entry = f"{name} ({title})"
        if entry not in people:
            people.append(entry)
    listed = ", ".join(people)
    csm = account.csm.name
    if kind == "email":
        return f"Email thread with {listed}; from Meshwright, {csm} (CSM)."
    if kind == "note":
        return f"Internal note by {csm} (CSM). Customer contacts involved: {listed}."
    opener = rng.choice(("Attendees:", "On the call:", "Present:"))
    if kind == "meeting":
        opener = rng.choice(("Attendees:", "Present:", "In the meeting:"))
    return f"{opener} {listed}; {csm} (CSM, Meshwright)."


def _contact_on(account: Account, role: str, day: date) -> Contact | None:
    for contact in account.contacts:
        if contact.role == role and active_on(contact, day):
            return contact
    return None


def _layout(layout: str, parts: dict) -> str:
    steps = parts["steps"]
    if layout == "labelled":
        step_lines = "\n".join(f"- {step}" for step in steps)
        return (
            f"{parts['attendees']}\n\nDiscussion: {parts['discussion']}\n\n"
            f"Sentiment: {parts['sentiment']}\n\nRisks: {parts['risk']}\n\n"
            f"Next steps:\n{step_lines}"
        )
    if layout == "prose":
        joined = " ".join(step.rstrip(".") + "." for step in steps)
        return (
            f"{parts['attendees']}\n\n{parts['discussion']}\n\n"
            f"Mood: {parts['sentiment']} Risk: {parts['risk']}\n\nNext: {joined}"
        )
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", parts["discussion"]) if s.strip()]
    points = "\n".join(f"- {sentence}" for sentence in sentences)
    actions = "\n".join(f"- [ ] {step}" for step in steps)
    return (
        f"{parts['attendees']}\n\nKey points:\n{points}\n- Sentiment: {parts['sentiment']}\n"
        f"- Risk: {parts['risk']}\n\nActions:\n{actions}"
    )


def _context(facts: dict[str, object]) -> str:
    return (
        "Account context: {company} is on {plan} with {seats} seats; renewal is "
        "{renewal_phrase}. Last 30 days: {gens_30} generations, {exports_30} exports, "
        "peak of {active_30} daily users."
    ).format_map(facts)
