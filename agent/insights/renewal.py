"""Renewal dates: stated by the source, or derived from the start date and billing period."""

from __future__ import annotations

import calendar
from datetime import date

from agent.store.tables import Subscription


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
    falls on or after `on_or_after`, the date the account is scored as of. A day that a
    month lacks is clamped to the month's last day, so a 31 January start renews on 28 or
    29 February.

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


def renewal_date_for(subscription: Subscription, as_of: date) -> date | None:
    """Return the subscription's next renewal as seen on `as_of`.

    A renewal date stated by the source wins. Otherwise the next whole billing period from
    the start is used, computed at scoring time so a historical book's renewals stay relative
    to its own dates. An end date is used only when the billing period is unknown, because
    a cancelled plan's end date is its churn date, known only after the fact.
    """
    if subscription.renewal_date is not None:
        return subscription.renewal_date
    derived = default_renewal_date(subscription.start_date, subscription.billing_frequency, as_of)
    return derived or subscription.end_date
