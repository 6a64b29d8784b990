"""Calendar quarters as decks name them, parsed from the `--period` option."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from agent.errors import InputError

_PERIOD = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.I)


@dataclass
class Quarter:
    year: int
    number: int

    @property
    def start(self) -> date:
        return date(self.year, 3 * (self.number - 1) + 1, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    @property
    def label(self) -> str:
        """The quarter as decks write it, `Q4 2026`."""
        return f"Q{self.number} {self.year}"

    @property
    def code(self) -> str:
        """The quarter as the command line and file names write it, `2026Q4`."""
        return f"{self.year}Q{self.number}"

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )


def measured_label(quarter: Quarter, as_of: date) -> str:
    """Name the part of the quarter measured up to `as_of`: `Q4 2026 to date` unless complete."""
    return quarter.label if as_of >= quarter.end else f"{quarter.label} to date"


def quarter_of(day: date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def parse_period(text: str | None, book_as_of: date) -> Quarter:
    """Parse a quarter such as `2026Q4`, or return the quarter of the book's as-of date for None."""
    if not text:
        return quarter_of(book_as_of)
    match = _PERIOD.match(text)
    if not match:
        raise InputError(
            f"Invalid period {text!r}: write a quarter as YEARQn, e.g. "
            f"{quarter_of(book_as_of).code}."
        )
    quarter = Quarter(int(match.group(1)), int(match.group(2)))
    if quarter.start > book_as_of:
        raise InputError(
            f"Period {quarter.code} starts after the book's data ends on {book_as_of}: "
            f"choose {quarter_of(book_as_of).code} or earlier."
        )
    return quarter
