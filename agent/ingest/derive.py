"""Values an import fills in when the source does not carry them: ids and renewal dates."""

from __future__ import annotations

import calendar
import hashlib
from datetime import date
from typing import Any


def derive_id(prefix: str, values: list[Any]) -> str:
    """Build a stable id from the values that identify a row, e.g. `note-3f9c0a1b2c4d`.

    The same values always give the same id, so re-importing a file without an id column
    finds the rows stored the first time.
    """
    key = "\x1f".join("" if value is None else str(value) for value in values)
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
    return f"{prefix}-{digest}"


def _add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


BILLING_PERIOD_MONTHS = {"monthly": 1, "month": 1, "quarterly": 3, "annual": 12, "yearly": 12}


def default_renewal_date(
    start_date: date | None, billing_frequency: str | None, on_or_after: date
) -> date | None:
    """Compute the renewal date of a subscription whose source gives neither end nor renewal date.

    The rule steps from `start_date` by whole billing periods: 1 month for monthly, 3 for
    quarterly, 12 for annual or yearly. It returns the first such date after the start that
    falls on or after `on_or_after`, which the importer sets to the import date. A day that
    a month lacks is clamped to the month's last day, so a 31 January start renews on 28 or
    29 February.

    Because the rule depends on the import date, importing the same open-ended subscription
    on a later day may move its renewal date forward and count the row as updated.

    Returns:
        The renewal date, or None when the start date is missing or the billing frequency is
        missing or not one of BILLING_PERIOD_MONTHS.
    """
    if start_date is None or billing_frequency is None:
        return None
    months = BILLING_PERIOD_MONTHS.get(billing_frequency.strip().casefold())
    if months is None:
        return None
    elapsed = (on_or_after.year - start_date.year) * 12 + on_or_after.month - start_date.month
    # The start date itself is not a renewal: the first renewal is one period after it.
    periods = max(elapsed // months, 1)
    candidate = _add_months(start_date, periods * months)
    while candidate < on_or_after:
        periods += 1
        candidate = _add_months(start_date, periods * months)
    return candidate
