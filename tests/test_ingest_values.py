"""Tests for the cell value parsers and the values an import derives (ids, renewal dates)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from agent.ingest.derive import derive_id
from agent.ingest.values import (
    parse_bool,
    parse_date,
    parse_datetime,
    parse_float,
    parse_int,
    parse_text,
)
from agent.insights.renewal import default_renewal_date


@pytest.mark.parametrize("raw", ["TRUE", "True", "true", "1", "yes", "Yes", "y", "t", "T", True, 1])
def test_parse_bool_true_spellings(raw: object) -> None:
    assert parse_bool(raw) is True


@pytest.mark.parametrize("raw", ["FALSE", "False", "false", "0", "no", "NO", "n", "f", False, 0])
def test_parse_bool_false_spellings(raw: object) -> None:
    assert parse_bool(raw) is False


@pytest.mark.parametrize("raw", ["", "  ", None])
def test_parse_bool_empty_is_none(raw: object) -> None:
    assert parse_bool(raw) is None


def test_parse_bool_rejects_other_words() -> None:
    with pytest.raises(ValueError, match="not a boolean"):
        parse_bool("maybe")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-01-05", date(2024, 1, 5)),
        ("2019/9/24", date(2019, 9, 24)),
        ("2023-07-28 3:00", date(2023, 7, 28)),
        ("2024-03-01T14:30:00", date(2024, 3, 1)),
        (date(2024, 2, 29), date(2024, 2, 29)),
    ],
)
def test_parse_date_formats(raw: object, expected: date) -> None:
    assert parse_date(raw) == expected


def test_parse_datetime_one_digit_hour() -> None:
    assert parse_datetime("2023-07-28 3:00") == datetime(2023, 7, 28, 3, 0)


def test_parse_datetime_iso_with_t_and_seconds() -> None:
    assert parse_datetime("2025-06-05T08:30:15") == datetime(2025, 6, 5, 8, 30, 15)


def test_parse_datetime_offset_becomes_utc() -> None:
    assert parse_datetime("2025-06-05T10:30:00+02:00") == datetime(2025, 6, 5, 8, 30)
    assert parse_datetime("2025-06-05T10:30:00Z") == datetime(2025, 6, 5, 10, 30)


def test_parse_datetime_date_only_is_midnight() -> None:
    assert parse_datetime("2019/10/25") == datetime(2019, 10, 25)


@pytest.mark.parametrize("raw", ["", "null", "N/A", None])
def test_parse_date_empty_is_none(raw: object) -> None:
    assert parse_date(raw) is None


@pytest.mark.parametrize("raw", ["2025-13-45", "24/09/2019", "yesterday", "2025-02-30"])
def test_parse_date_rejects_invalid(raw: str) -> None:
    with pytest.raises(ValueError, match="date"):
        parse_date(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("$1,200.50", 1200.5), ("1,750", 1750.0), ("33432", 33432.0), ("4.03", 4.03), (7, 7.0)],
)
def test_parse_float_separators_and_currency(raw: object, expected: float) -> None:
    assert parse_float(raw) == expected


def test_parse_float_empty_is_none_not_zero() -> None:
    assert parse_float("") is None


def test_parse_float_rejects_words() -> None:
    with pytest.raises(ValueError, match="not a number"):
        parse_float("lots")


def test_parse_int_accepts_whole_decimal() -> None:
    assert parse_int("12.0") == 12
    assert parse_int("2,000") == 2000


def test_parse_int_rejects_fraction() -> None:
    with pytest.raises(ValueError, match="whole number"):
        parse_int("12.5")


def test_parse_text_strips_and_keeps_none_word() -> None:
    assert parse_text("  None  ") == "None"
    assert parse_text("   ") is None


def test_parse_text_rejects_nested_json() -> None:
    with pytest.raises(ValueError, match="nested"):
        parse_text({"a": 1})


def test_renewal_annual_next_anniversary() -> None:
    result = default_renewal_date(date(2023, 3, 15), "annual", date(2025, 6, 1))
    assert result == date(2026, 3, 15)


def test_renewal_annual_anniversary_today() -> None:
    result = default_renewal_date(date(2023, 6, 1), "annual", date(2025, 6, 1))
    assert result == date(2025, 6, 1)


def test_renewal_monthly_same_day_next_month() -> None:
    result = default_renewal_date(date(2024, 6, 11), "monthly", date(2025, 6, 20))
    assert result == date(2025, 7, 11)


def test_renewal_monthly_clamps_month_end() -> None:
    result = default_renewal_date(date(2025, 1, 31), "Monthly", date(2025, 2, 10))
    assert result == date(2025, 2, 28)


def test_renewal_future_start_is_one_period_later() -> None:
    result = default_renewal_date(date(2025, 9, 1), "annual", date(2025, 6, 1))
    assert result == date(2026, 9, 1)


def test_renewal_unknown_frequency_is_none() -> None:
    assert default_renewal_date(date(2025, 1, 1), "biennial", date(2025, 6, 1)) is None
    assert default_renewal_date(None, "annual", date(2025, 6, 1)) is None


def test_derive_id_is_stable_and_distinct() -> None:
    first = derive_id("note", ["acme", date(2025, 6, 1), "QBR"])
    assert first == derive_id("note", ["acme", date(2025, 6, 1), "QBR"])
    assert first != derive_id("note", ["acme", date(2025, 6, 2), "QBR"])
    assert first.startswith("note-")
