"""Parse cell values from CSV, JSON and front matter into Python values.

Every parser takes the raw value (a string from CSV, or any JSON scalar), returns None for an
empty cell, and raises ValueError with a message meant for the import report.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from typing import Any

TRUE_WORDS = frozenset({"true", "1", "yes", "y", "t"})
FALSE_WORDS = frozenset({"false", "0", "no", "n", "f"})

# Tokens read as "no value" in typed (non-text) columns. Text columns keep them as text,
# because a comment may well be the word "None".
NULL_WORDS = frozenset({"", "null", "none", "nan", "n/a", "na"})

DATE_FORMATS_HELP = "YYYY-MM-DD, YYYY/M/D, or an ISO datetime such as 2023-07-28 3:00"

_SLASHED_DATE = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_DATETIME = re.compile(
    r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_NUMBER_NOISE = re.compile(r"[\s,$€£]")
# SQLite stores integers as signed 64-bit values and raises OverflowError beyond them.
MAX_INT = 2**63 - 1


def is_blank(value: Any) -> bool:
    """Return True for None and for strings that are empty after stripping whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def _is_null(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().casefold() in NULL_WORDS)


def _scalar(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        raise ValueError("expected a single value, not a nested object or list")
    return value


def parse_text(value: Any) -> str | None:
    """Strip a text value, returning None for an empty cell."""
    value = _scalar(value)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def parse_bool(value: Any) -> bool | None:
    """Read true/false, 1/0, yes/no, y/n and t/f in any letter case."""
    value = _scalar(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if _is_null(value):
        return None
    word = str(value).strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError("not a boolean. Use true/false, yes/no or 1/0 (any letter case)")


def parse_float(value: Any) -> float | None:
    """Read a number, allowing thousands separators and a currency sign such as `$1,200.50`.

    NaN reads as no value, like the word `NaN` in a CSV cell. Infinity is rejected, and so
    is a value too large for a float, such as `1e400`.
    """
    value = _scalar(value)
    if isinstance(value, bool):
        raise ValueError("not a number")
    if _is_null(value):
        return None
    try:
        number = float(value if isinstance(value, (int, float)) else _clean_number(value))
    except ValueError:
        raise ValueError("not a number") from None
    except OverflowError:
        number = math.inf
    if math.isnan(number):
        return None
    if math.isinf(number):
        raise ValueError("not a finite number: it is infinite or too large")
    return number


def _clean_number(value: Any) -> str:
    return _NUMBER_NOISE.sub("", str(value))


def parse_int(value: Any) -> int | None:
    """Read a whole number: `12.0` and `1,200` are accepted, `12.5` is not."""
    if isinstance(value, int) and not isinstance(value, bool):
        number: float | int = value
    else:
        number = parse_float(value)
        if number is None:
            return None
        if not number.is_integer():
            raise ValueError("not a whole number")
    if abs(number) > MAX_INT:
        raise ValueError(f"too large. Whole numbers must lie between -{MAX_INT} and {MAX_INT}")
    return int(number)


def parse_non_negative(value: Any) -> Any:
    """Reject a negative number, because counts, durations and amounts of money are 0 or more."""
    if value is not None and value < 0:
        raise ValueError(f"negative ({value:g}). The value must be 0 or more")
    return value


def _match_datetime(value: Any) -> re.Match[str]:
    value = _scalar(value)
    match = _DATETIME.match(str(value).strip())
    if not match:
        raise ValueError(f"not a date. Use {DATE_FORMATS_HELP}")
    return match


def parse_datetime(value: Any) -> datetime | None:
    """Read a date or datetime, converting a time zone offset to UTC and then dropping it.

    The store keeps naive datetimes, so values with an offset are normalised to UTC first.
    """
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if _is_null(value):
        return None
    match = _match_datetime(value)
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        result = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0").ljust(6, "0")),
        )
    except ValueError as error:
        raise ValueError(f"not a valid date ({error})") from None
    if zone:
        result = _to_utc(result, zone)
    return result


def _to_utc(moment: datetime, zone: str) -> datetime:
    try:
        offset = datetime.fromisoformat("2000-01-01T00:00" + _iso_zone(zone)).utcoffset()
    except ValueError:
        raise ValueError(f"invalid time zone offset {zone!r}. Use Z or +HH:MM") from None
    if not offset:
        return moment
    try:
        return moment - offset
    except OverflowError:
        raise ValueError("not a valid date (out of range once converted to UTC)") from None


def _iso_zone(zone: str) -> str:
    if zone == "Z":
        return "+00:00"
    if ":" not in zone:
        return f"{zone[:3]}:{zone[3:]}"
    return zone


def parse_date(value: Any) -> date | None:
    """Read a date, keeping only the date part of a datetime value."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    moment = parse_datetime(value)
    return moment.date() if moment else None


def today() -> date:
    """Return today's date in UTC, the date used for values an import has to assume."""
    return datetime.now(UTC).date()
