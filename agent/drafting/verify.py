"""Check that every number, date and ticket id in a draft appears in its fact sheet.

A first, strict check: a claim is supported when its normalised form occurs in the text of
the facts. It catches invented figures and ticket ids; names are not yet checked.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel

from agent.drafting.facts import FactSheet

_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?%?")
_TICKET_ID = re.compile(r"\b[A-Z]{1,6}-\d{2,}\b")
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_LONG_DATE = re.compile(r"\b(" + "|".join(_MONTHS) + r") (\d{1,2}), (\d{4})\b")
# Numbers a draft may use without a fact: small counts and durations in ordinary phrasing
# ("20 minutes", "two weeks", "30-minute call").
ALLOWED_NUMBERS = {"1", "2", "3", "5", "10", "15", "20", "30", "60"}


class Verification(BaseModel):
    """The result of checking a draft against its facts."""

    ok: bool
    checked: list[str]
    unsupported: list[str]


def long_date(value: date) -> str:
    """Format a date the way drafts write it: `December 4, 2026`."""
    return f"{_MONTHS[value.month - 1]} {value.day}, {value.year}"


def _fact_text(sheet: FactSheet) -> str:
    text = sheet.model_dump_json()
    extra = [long_date(d) for d in _dates_in(sheet)]
    return text + " " + " ".join(extra)


def _dates_in(sheet: FactSheet) -> list[date]:
    dates = [sheet.as_of]
    if sheet.renewal_date:
        dates.append(sheet.renewal_date)
    dates += [t.submitted for t in sheet.open_tickets]
    dates += [n.note_date for n in sheet.recent_notes]
    return dates


def verify_draft(text: str, sheet: FactSheet) -> Verification:
    """List the claims in `text` that the fact sheet does not support."""
    facts = _fact_text(sheet)
    fact_numbers = {m.group().replace(",", "").rstrip("%") for m in _NUMBER.finditer(facts)}
    checked: list[str] = []
    unsupported: list[str] = []
    for match in _LONG_DATE.finditer(text):
        checked.append(match.group())
        if match.group() not in facts:
            unsupported.append(match.group())
    without_dates = _LONG_DATE.sub(" ", text)
    for match in _TICKET_ID.finditer(without_dates):
        checked.append(match.group())
        if match.group() not in facts:
            unsupported.append(match.group())
    without_ids = _TICKET_ID.sub(" ", without_dates)
    for match in _NUMBER.finditer(without_ids):
        token = match.group()
        bare = token.replace(",", "").rstrip("%")
        checked.append(token)
        if bare not in fact_numbers and bare not in ALLOWED_NUMBERS:
            unsupported.append(token)
    return Verification(ok=not unsupported, checked=checked, unsupported=unsupported)
