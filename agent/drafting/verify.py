"""Check every number, date, ticket id and name in a draft against its fact sheet.

A claim is supported when the fact sheet states the same value, allowing the usual ways of
writing it: rounding (77,760 as "$78k" or "about 78,000"), a fraction as a percentage (0.3
as 30%), and a date in another form (2026-12-04 as "Dec 4" or "4 December 2026").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel, Field, computed_field

from agent.drafting.facts import FactSheet

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH = r"(?P<month>(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?)"
_DATE_PATTERNS = (
    re.compile(r"\b(?P<year>\d{4})-(?P<num_month>\d{2})-(?P<day>\d{2})\b"),
    re.compile(
        rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?\b", re.I
    ),
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}(?:,?\s+(?P<year>\d{{4}}))?\b", re.I
    ),
    re.compile(r"\b(?P<num_month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})\b"),
)
_ID = re.compile(r"\b[A-Z][A-Z0-9]{0,7}-[A-Za-z0-9]*\d[A-Za-z0-9]*(?:~\d+)?\b")
_NUMBER = re.compile(
    r"(?P<money>\$\s?)?(?<![\w.])(?P<value>\d[\d,]*(?:\.\d+)?)"
    r"(?:\s?(?P<suffix>k|m|million|thousand)\b)?(?![A-Za-z])(?P<percent>\s?%|\s?percent\b)?",
    re.I,
)
# Meeting lengths offered in an email ("20 minutes", "a 30-minute call") are proposals, not
# claims about the account, so they need no fact.
_MEETING_LENGTH = re.compile(r"^\s*-?\s*(?:minutes?|mins?)\b", re.I)
_GREETING = re.compile(
    r"^\s*(?:hi|hello|dear|hey)\s+"
    r"(?P<name>(?:(?:mr|mrs|ms|mx|dr|prof)\.?\s+)?[A-Z][\w'-]*(?: [A-Z][\w'-]*)?)",
    re.I | re.M,
)
_TITLES = {"mr", "mrs", "ms", "mx", "dr", "prof"}
# Two or more capitalised words in a row, such as "Marcus Lee" or "Harbor View Games": the
# form of a person's or a company's name. Acronyms (CSM, FBX) and single words are not matched.
_NAME_WORD = r"[A-Z][a-z]+(?:['-][A-Za-z]+)*"
_FULL_NAME = re.compile(rf"\b{_NAME_WORD}(?:[ \t]+{_NAME_WORD})+\b")
_WORD = re.compile(r"[A-Za-z]+(?:['-][A-Za-z]+)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*)$")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}
# A rounded figure passes when it is within 1% of a fact (or within 0.5 for small numbers).
RELATIVE_TOLERANCE = 0.01


class Claim(BaseModel):
    """One checkable statement found in a draft."""

    kind: str = Field(description="number, percent, money, date, id, name or phrase")
    text: str = Field(description="The claim as written in the draft.")
    supported: bool


class Verification(BaseModel):
    """The result of checking a draft against its facts."""

    ok: bool
    claims: list[Claim] = Field(default_factory=list)

    @computed_field
    @property
    def unsupported(self) -> list[str]:
        return [claim.text for claim in self.claims if not claim.supported]


class Rejection(BaseModel):
    """A model's output that was not used as written, and why."""

    attempt: int = Field(description="1 for the first request, 2 for the regeneration.")
    part: str = Field(description="`email`, or the deck part: summary, wins or next_steps.")
    reason: str = Field(description="`unsupported claims`, `invalid reply` or `missing part`.")
    unsupported: list[str] = Field(default_factory=list)


def long_date(value: date) -> str:
    """Format a date the way drafts write it: `December 4, 2026`."""
    return f"{_MONTHS[value.month - 1].capitalize()} {value.day}, {value.year}"


class _FactValues:
    """The numbers, dates, ids and names a fact sheet states, collected once."""

    def __init__(self, sheet: FactSheet):
        self.numbers: set[float] = set()
        # Values stated as percentages (24 for "24%"), so a draft may write them as 0.24.
        self.percents: set[float] = set()
        self.dates: set[date] = set()
        self.ids: set[str] = set()
        self.names: set[str] = set()
        # Every word of every text in the sheet, casefolded, for checking full names.
        self.words: set[str] = set(_MONTHS) | set(_WEEKDAYS)
        self._collect(sheet.model_dump())
        for name in (sheet.account_name, sheet.csm_name, sheet.recipient_name):
            self._add_name(name)
        for contact in sheet.contacts:
            self._add_name(contact.name)

    def _add_name(self, name: str | None) -> None:
        if name:
            self.names.add(name)
            self.names.update(part for part in name.split() if len(part) > 1)
            self.words.update(word.casefold() for word in _WORD.findall(name))

    def _collect(self, value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for child_key, child in value.items():
                self._collect(child, child_key)
        elif isinstance(value, list):
            for child in value:
                self._collect(child, key)
        elif isinstance(value, date):
            self.dates.add(value)
        elif isinstance(value, bool) or value is None:
            return
        elif isinstance(value, (int, float)):
            self.numbers.add(abs(float(value)))
            if "percent" in key:
                self.percents.add(abs(float(value)))
        elif isinstance(value, str):
            self._collect_text(value, key)

    def _collect_text(self, text: str, key: str) -> None:
        self.words.update(word.casefold() for word in _WORD.findall(text))
        self.ids.update(_ID.findall(text))
        if key in ("id", "account_id", "source"):
            self.ids.add(text)
            return
        for parsed, _span in _dates_in(text):
            if parsed[0] is not None:
                self.dates.add(date(*parsed))
        remainder = _blank_spans(text, [span for _parsed, span in _dates_in(text)])
        remainder = _ID.sub(" ", remainder)
        for match in _NUMBER.finditer(remainder):
            self.numbers.add(_number_value(match))
            if match.group("percent"):
                self.percents.add(_number_value(match))

    def supports_number(self, value: float, percent: bool) -> bool:
        if percent:
            # A percentage must match a stated percentage or a fraction, never a count such
            # as the 30 of "the last 30 days".
            candidates = list(self.percents) + [100.0 * n for n in self.numbers if n <= 1.5]
        else:
            candidates = list(self.numbers)
            if value <= 1.5:
                candidates += [p / 100.0 for p in self.percents]
        tolerance = 0.005 if not percent and value <= 1.5 else None
        return any(_close(value, fact, tolerance) for fact in candidates)

    def supports_date(self, year: int | None, month: int, day: int) -> bool:
        return any(
            d.month == month and d.day == day and (year is None or d.year == year)
            for d in self.dates
        )


def _close(claim: float, fact: float, absolute: float | None = None) -> bool:
    floor = 0.5 if absolute is None else absolute
    return abs(claim - fact) <= max(floor, RELATIVE_TOLERANCE * abs(fact))


def _number_value(match: re.Match) -> float:
    value = float(match.group("value").replace(",", ""))
    suffix = (match.group("suffix") or "").lower()
    return value * _SCALE.get(suffix, 1.0)


def _month_number(match: re.Match) -> int | None:
    if match.groupdict().get("num_month"):
        return int(match.group("num_month"))
    word = match.group("month").lower().rstrip(".")
    for number, name in enumerate(_MONTHS, start=1):
        if name.startswith(word[:3]):
            return number
    return None


def _dates_in(text: str) -> list[tuple[tuple[int | None, int, int], tuple[int, int]]]:
    """Find dates in any supported form; return (year or None, month, day) and the span."""
    found: list[tuple[tuple[int | None, int, int], tuple[int, int]]] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            span = match.span()
            if any(start < span[1] and span[0] < end for start, end in taken):
                continue
            month = _month_number(match)
            day = int(match.group("day"))
            year = int(match.group("year")) if match.group("year") else None
            if month is None or not 1 <= month <= 12 or not 1 <= day <= 31:
                continue
            found.append(((year, month, day), span))
            taken.append(span)
    return found


def _blank_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    characters = list(text)
    for start, end in spans:
        characters[start:end] = " " * (end - start)
    return "".join(characters)


def verify_draft(
    text: str,
    sheet: FactSheet,
    foreign_names: Iterable[str] = (),
    avoided_phrases: Iterable[str] = (),
) -> Verification:
    """Check the draft's claims against the sheet.

    Args:
        text: the subject and body.
        sheet: the facts the draft may use.
        foreign_names: names of people and accounts outside this account (the rest of the
            book); any of them in the draft is unsupported, so one account's data never
            reaches another account's email.
    """
    facts = _FactValues(sheet)
    claims: list[Claim] = []
    dates = _dates_in(text)
    for (year, month, day), (start, end) in dates:
        claims.append(
            Claim(
                kind="date", text=text[start:end], supported=facts.supports_date(year, month, day)
            )
        )
    remainder = _blank_spans(text, [span for _parsed, span in dates])
    for match in _ID.finditer(remainder):
        claims.append(Claim(kind="id", text=match.group(), supported=match.group() in facts.ids))
    remainder = _ID.sub(lambda m: " " * len(m.group()), remainder)
    for match in _NUMBER.finditer(remainder):
        claims.append(_number_claim(match, remainder, facts))
    claims += _name_claims(text, facts, foreign_names)
    lowered = text.casefold()
    claims += [
        Claim(kind="phrase", text=phrase, supported=False)
        for phrase in avoided_phrases
        if phrase.casefold() in lowered
    ]
    return Verification(ok=all(claim.supported for claim in claims), claims=claims)


def _number_claim(match: re.Match, text: str, facts: _FactValues) -> Claim:
    value = _number_value(match)
    percent = bool(match.group("percent"))
    if percent:
        kind = "percent"
    elif match.group("money"):
        kind = "money"
    else:
        kind = "number"
    if not percent and _MEETING_LENGTH.match(text[match.end() :]) and value <= 60:
        return Claim(kind=kind, text=match.group().strip(), supported=True)
    supported = facts.supports_number(value, percent)
    if not supported and not percent and value.is_integer() and 1900 <= value <= 2100:
        supported = any(d.year == int(value) for d in facts.dates)
    return Claim(kind=kind, text=match.group().strip(), supported=supported)


def _name_claims(text: str, facts: _FactValues, foreign_names: Iterable[str]) -> list[Claim]:
    claims: list[Claim] = []
    for match in _GREETING.finditer(text):
        name = match.group("name")
        parts = [part for part in name.split() if part.rstrip(".").lower() not in _TITLES]
        if not parts or parts[0].lower() in ("there", "team", "all", "everyone"):
            continue
        shown = " ".join(parts)
        supported = shown in facts.names or any(part in facts.names for part in parts)
        claims.append(Claim(kind="name", text=shown, supported=supported))
    for name in set(foreign_names):
        if name and name not in facts.names and re.search(rf"\b{re.escape(name)}\b", text):
            claims.append(Claim(kind="name", text=name, supported=False))
    claimed = {claim.text for claim in claims}
    greetings = [match.span() for match in _GREETING.finditer(text)]
    for match in _FULL_NAME.finditer(text):
        if match.group() in claimed or any(
            a < match.end() and match.start() < b for a, b in greetings
        ):
            continue
        claims.append(_full_name_claim(match, text, facts))
    return claims


def _full_name_claim(match: re.Match, text: str, facts: _FactValues) -> Claim:
    """Check a run of capitalised words: each must occur somewhere in the facts.

    The first word is exempt at the start of a sentence, where any word is capitalised
    ("Ask Linnea Lindqvist" checks only the name).
    """
    words = _WORD.findall(match.group())
    if _SENTENCE_START.search(text[: match.start()]):
        words = words[1:]
    supported = all(word.casefold() in facts.words for word in words)
    return Claim(kind="name", text=match.group(), supported=supported)
