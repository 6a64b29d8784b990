"""The book at a glance: accounts by band, renewals ahead with ARR at risk, the week's movers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from agent.insights.book import default_as_of, load_book
from agent.insights.health import HealthReport, rank_book, score_account
from agent.insights.health_model import HealthModel, active_model
from agent.store import Store

RENEWAL_HORIZONS = (30, 60, 90)
MOVER_DAYS = 7
MOVER_COUNT = 10


@dataclass
class Renewals:
    within_days: int
    accounts: int = 0
    arr: float = 0.0
    # ARR of the renewing accounts that are red or yellow, or carry a risk signal.
    arr_at_risk: float = 0.0
    names: list[str] = field(default_factory=list)


@dataclass
class Mover:
    account_id: str
    account_name: str
    before: int
    now: int

    @property
    def change(self) -> int:
        return self.now - self.before


@dataclass
class Portfolio:
    as_of: date
    bands: dict[str, int]
    renewals: list[Renewals]
    movers: list[Mover]


def portfolio(store: Store, as_of: date | None = None) -> Portfolio:
    """Summarise the active book as of a date (default: the book's newest data).

    On the default date, each account's score is saved as its snapshot of that day.
    """
    model = active_model()
    with store.session() as session:
        when = as_of or default_as_of(session)
    ranked = rank_book(store, when, record=as_of is None, model=model)
    reports = [r for r in ranked if not r.churned]
    bands = {"red": 0, "yellow": 0, "green": 0, "unknown": 0}
    for report in reports:
        bands[report.band] = bands.get(report.band, 0) + 1
    renewals = [_renewals(reports, when, days) for days in RENEWAL_HORIZONS]
    movers = _movers(store, reports, model)
    return Portfolio(as_of=when, bands=bands, renewals=renewals, movers=movers)


def _renewals(reports: list[HealthReport], as_of: date, days: int) -> Renewals:
    result = Renewals(within_days=days)
    for report in reports:
        if report.renewal_date is None or not 0 <= (report.renewal_date - as_of).days <= days:
            continue
        result.accounts += 1
        result.arr += report.arr or 0.0
        if report.at_risk:
            result.arr_at_risk += report.arr or 0.0
            result.names.append(report.account_name)
    return result


def _movers(store: Store, reports: list[HealthReport], model: HealthModel) -> list[Mover]:
    """Compare each score with the model's score a week earlier, computed without look-ahead."""
    if not reports:
        return []
    week_ago = reports[0].as_of - timedelta(days=MOVER_DAYS)
    with store.session() as session:
        before = {
            data.account.id: score_account(data, model).score
            for data in load_book(session, week_ago, [r.account_id for r in reports])
        }
    movers = [
        Mover(r.account_id, r.account_name, before[r.account_id], r.computed_score or r.score)
        for r in reports
        if r.score is not None and before.get(r.account_id) is not None
    ]
    movers = [m for m in movers if m.change != 0]
    movers.sort(key=lambda m: abs(m.change), reverse=True)
    return movers[:MOVER_COUNT]
