"""Revenue and logo retention over a period: GRR, NRR and logo retention.

The metrics are computed on the cohort of accounts that had ARR above zero on the first day
of the period. New logos are left out and reported apart. An account's ARR on a date is the
sum over its subscriptions in force that day, trials excluded.

A subscription is in force on day `d` when `start_date <= d <= end_date`: the end date is the
last day of service, inclusive, as in `AccountData.current_subscription`. The sample business
writes a renewal or plan change as a new subscription starting the day after the old one
ends, and this rule leaves no gap between them. A missing start date counts as "in force
since before any period", and a missing end date as "still in force".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent.errors import InputError
from agent.insights.book import default_as_of
from agent.store import Account, ChurnEvent, Store, Subscription

# Movement of one cohort account between the first and the last day of the period.
EXPANDED = "expanded"
CONTRACTED = "contracted"
CHURNED = "churned"
FLAT = "flat"


@dataclass(frozen=True)
class Contract:
    """The part of a subscription row that ARR needs."""

    start: date | None
    end: date | None
    arr: float

    def in_force(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


def annual_value(subscription: Subscription) -> float:
    """Return the subscription's ARR, or 12 times its MRR when the source gives only MRR."""
    if subscription.arr is not None:
        return float(subscription.arr)
    if subscription.mrr is not None:
        return 12.0 * float(subscription.mrr)
    return 0.0


def arr_on(contracts: Iterable[Contract], day: date) -> float:
    """Sum the ARR of the contracts in force on `day`."""
    return sum(contract.arr for contract in contracts if contract.in_force(day))


@dataclass
class AccountMovement:
    """One account's ARR on the first and last day of the period."""

    account_id: str
    account_name: str
    start_arr: float
    end_arr: float
    movement: str
    # True when the ARR fell to zero inside the period and was above zero again at its end.
    lapsed_and_returned: bool = False

    @property
    def change(self) -> float:
        return self.end_arr - self.start_arr


@dataclass
class RetentionMetrics:
    """GRR, NRR and logo retention of the period's starting cohort, with the counts behind them.

    The ratios are fractions (0.85 is 85%), or None when the cohort had no starting ARR.
    """

    period_start: date
    period_end: date
    starting_arr: float
    expansion: float
    contraction: float
    churned_arr: float
    ending_arr: float
    grr: float | None
    nrr: float | None
    logo_retention: float | None
    cohort_accounts: int
    accounts_expanded: int
    accounts_contracted: int
    accounts_churned: int
    accounts_flat: int
    accounts_lapsed_and_returned: int
    new_logos_excluded: int
    new_logo_arr_excluded: float
    # Data checks: see the notes for what each count means for the figures.
    accounts_with_overlapping_subscriptions: int
    accounts_kept_despite_churn_event: int
    notes: list[str] = field(default_factory=list)
    movements: list[AccountMovement] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _movement(start_arr: float, end_arr: float) -> str:
    if end_arr <= 0:
        return CHURNED
    if end_arr > start_arr:
        return EXPANDED
    if end_arr < start_arr:
        return CONTRACTED
    return FLAT


def _lapsed_inside(contracts: list[Contract], period_start: date, period_end: date) -> bool:
    """Tell whether the ARR was zero on some day strictly inside the period.

    ARR can only drop to zero on the day after a contract ends, so those days are the only
    ones worth checking.
    """
    for contract in contracts:
        if contract.end is None:
            continue
        day_after = contract.end + timedelta(days=1)
        if period_start < day_after < period_end and arr_on(contracts, day_after) <= 0:
            return True
    return False


@dataclass
class SubscriptionHistory:
    """The book's non-trial contracts and churn event dates, grouped by account id."""

    contracts: dict[str, list[Contract]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    churn_dates: dict[str, list[date]] = field(default_factory=dict)


def load_history(session: Session) -> SubscriptionHistory:
    """Read every non-trial subscription, the account names and the churn event dates."""
    contracts: dict[str, list[Contract]] = defaultdict(list)
    query = select(Subscription).where(Subscription.is_trial.is_not(True))
    for subscription in session.scalars(query):
        contracts[subscription.account_id].append(
            Contract(subscription.start_date, subscription.end_date, annual_value(subscription))
        )
    churn_dates: dict[str, list[date]] = defaultdict(list)
    for account_id, churn_date in session.execute(
        select(ChurnEvent.account_id, ChurnEvent.churn_date)
    ):
        churn_dates[account_id].append(churn_date)
    names = {
        account_id: name for account_id, name in session.execute(select(Account.id, Account.name))
    }
    return SubscriptionHistory(dict(contracts), names, dict(churn_dates))


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


def compute_metrics(
    history: SubscriptionHistory, period_start: date, period_end: date
) -> RetentionMetrics:
    """Compute retention of the accounts with ARR above zero on `period_start`.

    An account whose ARR fell but stayed above zero is a contraction, not a churn. An account
    that lapsed to zero inside the period and was back above zero at its end is judged on its
    ARR at the two ends only, so it counts as retained, and it is also counted in
    `accounts_lapsed_and_returned`. An account with no ARR on `period_start` that has ARR on
    `period_end` is a new logo and is left out, even if it was a customer before the period.
    Churn events do not change ARR: only subscription dates do.

    Raises:
        InputError: `period_start` is not before `period_end`.
    """
    if period_start >= period_end:
        raise InputError(
            f"Invalid period: the start {period_start} is not before the end {period_end}. "
            "Pass a --from date earlier than the --to date."
        )
    summary = _Tally(period_start, period_end)
    for account_id in sorted(history.contracts):
        contracts = history.contracts[account_id]
        start_arr = arr_on(contracts, period_start)
        end_arr = arr_on(contracts, period_end)
        if sum(1 for contract in contracts if contract.in_force(period_end)) > 1:
            summary.overlapping += 1
        if start_arr <= 0:
            if end_arr > 0:
                summary.new_logos += 1
                summary.new_logo_arr += end_arr
            continue
        movement = AccountMovement(
            account_id=account_id,
            account_name=history.names.get(account_id, account_id),
            start_arr=start_arr,
            end_arr=end_arr,
            movement=_movement(start_arr, end_arr),
        )
        if end_arr > 0:
            movement.lapsed_and_returned = _lapsed_inside(contracts, period_start, period_end)
            churn_dates = history.churn_dates.get(account_id, [])
            if not movement.lapsed_and_returned and any(
                period_start < day <= period_end for day in churn_dates
            ):
                summary.kept_despite_churn_event += 1
        summary.movements.append(movement)
    return summary.metrics()


@dataclass
class _Tally:
    period_start: date
    period_end: date
    movements: list[AccountMovement] = field(default_factory=list)
    new_logos: int = 0
    new_logo_arr: float = 0.0
    overlapping: int = 0
    kept_despite_churn_event: int = 0

    def metrics(self) -> RetentionMetrics:
        movements = self.movements
        by_kind: dict[str, list[AccountMovement]] = defaultdict(list)
        for movement in movements:
            by_kind[movement.movement].append(movement)
        starting = sum(m.start_arr for m in movements)
        expansion = sum(m.change for m in by_kind[EXPANDED])
        contraction = -sum(m.change for m in by_kind[CONTRACTED])
        churned = sum(m.start_arr for m in by_kind[CHURNED])
        kept = len(movements) - len(by_kind[CHURNED])
        return RetentionMetrics(
            period_start=self.period_start,
            period_end=self.period_end,
            starting_arr=starting,
            expansion=expansion,
            contraction=contraction,
            churned_arr=churned,
            ending_arr=sum(m.end_arr for m in movements),
            grr=_ratio(starting - contraction - churned, starting),
            nrr=_ratio(starting + expansion - contraction - churned, starting),
            logo_retention=_ratio(kept, len(movements)),
            cohort_accounts=len(movements),
            accounts_expanded=len(by_kind[EXPANDED]),
            accounts_contracted=len(by_kind[CONTRACTED]),
            accounts_churned=len(by_kind[CHURNED]),
            accounts_flat=len(by_kind[FLAT]),
            accounts_lapsed_and_returned=sum(1 for m in movements if m.lapsed_and_returned),
            new_logos_excluded=self.new_logos,
            new_logo_arr_excluded=self.new_logo_arr,
            accounts_with_overlapping_subscriptions=self.overlapping,
            accounts_kept_despite_churn_event=self.kept_despite_churn_event,
            notes=self.notes(starting),
            movements=sorted(movements, key=lambda m: (m.change, m.account_id)),
        )

    def notes(self, starting: float) -> list[str]:
        notes: list[str] = []
        if starting <= 0:
            notes.append(
                f"No account had ARR above zero on {self.period_start}, so GRR, NRR and logo "
                "retention are undefined for this period."
            )
        if self.kept_despite_churn_event:
            notes.append(
                f"{self.kept_despite_churn_event} cohort accounts have a churn event inside the "
                f"period but subscriptions still in force on {self.period_end}, so they count "
                "as kept: ARR comes from subscription dates only. Give those subscriptions "
                "end dates to count the accounts as churned."
            )
        if self.overlapping:
            notes.append(
                f"{self.overlapping} accounts have more than one subscription in force on "
                f"{self.period_end}, and their ARR is the sum. If the source records a plan "
                "change as a new subscription without ending the old one, that ARR is "
                "counted twice."
            )
        return notes


def year_before(day: date) -> date:
    """Return the same calendar day one year earlier; 29 February maps to 28 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def retention_metrics(
    store: Store, period_start: date | None = None, period_end: date | None = None
) -> RetentionMetrics:
    """Compute GRR, NRR and logo retention over a period of the store's book.

    Args:
        store: the book of business.
        period_start: the first day of the period. Default: one year before `period_end`.
        period_end: the last day of the period. Default: the book's default as-of date,
            which is today or, when the book ends earlier, its newest usage, ticket or note
            date.

    Raises:
        InputError: the start is not before the end.
    """
    with store.session() as session:
        end = period_end or default_as_of(session)
        start = period_start or year_before(end)
        history = load_history(session)
    return compute_metrics(history, start, end)


def _percent(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.1%}"


def _accounts(count: int) -> str:
    return f"{count} account" if count == 1 else f"{count} accounts"


def metrics_text(m: RetentionMetrics) -> str:
    """Render retention metrics as the plain text that the CLI and the assistant show."""
    lines = [
        f"Retention from {m.period_start} to {m.period_end}, on the {m.cohort_accounts} "
        f"accounts with ARR on {m.period_start} (new logos excluded)",
        f"  GRR             {_percent(m.grr)}",
        f"  NRR             {_percent(m.nrr)}",
        f"  Logo retention  {_percent(m.logo_retention)} "
        f"({m.cohort_accounts - m.accounts_churned} of {m.cohort_accounts} accounts kept)",
        f"  Starting ARR    {m.starting_arr:>14,.0f}",
        f"  Expansion     + {m.expansion:>14,.0f}  ({_accounts(m.accounts_expanded)})",
        f"  Contraction   - {m.contraction:>14,.0f}  ({_accounts(m.accounts_contracted)})",
        f"  Churned ARR   - {m.churned_arr:>14,.0f}  ({_accounts(m.accounts_churned)})",
        f"  Ending ARR      {m.ending_arr:>14,.0f}  (of the same accounts; "
        f"{m.accounts_flat} unchanged)",
        f"New logos excluded: {m.new_logos_excluded}, with {m.new_logo_arr_excluded:,.0f} ARR "
        f"on {m.period_end}.",
    ]
    if m.accounts_lapsed_and_returned:
        lines.append(
            "Lapsed to zero ARR inside the period and back above zero by its end, so counted "
            f"as retained: {_accounts(m.accounts_lapsed_and_returned)}."
        )
    lines.extend(m.notes)
    return "\n".join(lines)


__all__ = [
    "AccountMovement",
    "Contract",
    "RetentionMetrics",
    "SubscriptionHistory",
    "arr_on",
    "compute_metrics",
    "load_history",
    "metrics_text",
    "retention_metrics",
    "year_before",
]
