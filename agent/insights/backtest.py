"""Backtest the health score against churn outcomes.

Each account is scored as of a reference date before its outcome was known. The report
measures how well those scores separate the accounts that churned from those that stayed.
It gives the AUC, the churn rate per band, and for each component its AUC alone and the
score's AUC without it.

An account churned when it has a churn event or its `churned` flag is set. Its reference
date is its latest churn date minus the lead time, because an account that churned, came
back and churned again is judged on the churn that stuck. A churned account without churn
events takes the latest end date of its subscriptions flagged as churned. Every retained
account is scored on one date: the book's default as-of date minus the lead time.

NOTE: churned accounts are scored on dates spread over the book's history and retained ones
on a single late date, so anything that drifts with time (the amount of usage data, say)
moves the AUC as well as the accounts' health does.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agent.errors import InputError
from agent.insights.book import default_as_of, load_book
from agent.insights.health import HealthReport, score_account
from agent.insights.health_model import HealthModel, active_model
from agent.store import Account, ChurnEvent, Store, Subscription

BANDS = ("red", "yellow", "green")

SKIP_NO_CHURN_DATE = (
    "marked churned, but has no churn event and no ended subscription flagged as churned, "
    "so there is no date to score before"
)
SKIP_NOT_YET_CUSTOMER = "signed up or first subscribed after its reference date"
SKIP_NO_SCORE = "no score: every health input was missing on its reference date"


def mann_whitney_auc(higher: Sequence[float], lower: Sequence[float]) -> float | None:
    """Compute the probability that a value from `higher` exceeds one from `lower`.

    This is the Mann-Whitney U statistic divided by the number of pairs, computed from ranks,
    with tied pairs counted as half. It equals the area under the ROC curve.

    Returns:
        A value from 0.0 to 1.0 (0.5 is chance), or None when either group is empty.
    """
    if not higher or not lower:
        return None
    pooled = sorted([(value, True) for value in higher] + [(value, False) for value in lower])
    rank_sum = 0.0
    first = 0
    while first < len(pooled):
        last = first
        while last < len(pooled) and pooled[last][0] == pooled[first][0]:
            last += 1
        # Tied values share the mean of the ranks first + 1 .. last.
        mean_rank = (first + 1 + last) / 2
        rank_sum += mean_rank * sum(1 for _value, is_higher in pooled[first:last] if is_higher)
        first = last
    n_higher, n_lower = len(higher), len(lower)
    u_statistic = rank_sum - n_higher * (n_higher + 1) / 2
    return u_statistic / (n_higher * n_lower)


def auc_standard_error(auc: float, n_higher: int, n_lower: int) -> float:
    """Estimate the standard error of an AUC with the Hanley and McNeil (1982) formula.

    The formula assumes the scores behave like a binormal sample. With a handful of accounts
    in one group, read the result as an order of magnitude, not an exact interval.
    """
    q1 = auc / (2 - auc)
    q2 = 2 * auc * auc / (1 + auc)
    variance = (
        auc * (1 - auc) + (n_higher - 1) * (q1 - auc * auc) + (n_lower - 1) * (q2 - auc * auc)
    ) / (n_higher * n_lower)
    return math.sqrt(max(variance, 0.0))


@dataclass
class Outcome:
    """One account's outcome and the date it is scored on."""

    account_id: str
    account_name: str
    churned: bool
    churn_date: date | None
    reference_date: date | None
    first_seen: date | None


@dataclass
class ScoredAccount:
    """An account's score on its reference date, next to its outcome."""

    account_id: str
    account_name: str
    churned: bool
    churn_date: date | None
    reference_date: date
    score: int
    band: str
    # Component name to its 0-100 score, None where the input was missing.
    components: dict[str, float | None]
    # The profile that scored the account, and its base weight of each component.
    profile: str = ""
    weights: dict[str, float] = field(default_factory=dict)


@dataclass
class SkippedAccount:
    account_id: str
    account_name: str
    churned: bool
    reason: str


@dataclass
class BandOutcome:
    """How many accounts of one band churned."""

    band: str
    accounts: int
    churned: int
    churn_rate: float | None


@dataclass
class ComponentSeparation:
    """The AUC of one component on its own, over the accounts where it was present."""

    name: str
    label: str
    churned: int
    retained: int
    auc: float | None
    mean_churned: float | None
    mean_retained: float | None
    # The AUC of the whole score recomputed without this component: how much it adds.
    auc_without: float | None


@dataclass
class BacktestReport:
    """The health score's separation of churned from retained accounts."""

    as_of: date
    lead_days: int
    retained_reference_date: date
    churned_accounts: int
    retained_accounts: int
    # P(score of a retained account > score of a churned one), ties counted half.
    auc: float | None
    auc_standard_error: float | None
    bands: list[BandOutcome]
    components: list[ComponentSeparation]
    skipped: list[SkippedAccount]
    accounts: list[ScoredAccount] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Scored accounts per profile of the health model.
    profiles: dict[str, int] = field(default_factory=dict)
    model_version: int = 0
    model_source: str = ""

    @property
    def skipped_by_reason(self) -> dict[str, int]:
        return dict(Counter(item.reason for item in self.skipped).most_common())

    def to_dict(self) -> dict:
        document = asdict(self)
        document["skipped_by_reason"] = self.skipped_by_reason
        return document


def _latest_churn_dates(session: Session) -> dict[str, date]:
    query = select(ChurnEvent.account_id, func.max(ChurnEvent.churn_date)).group_by(
        ChurnEvent.account_id
    )
    return {account_id: day for account_id, day in session.execute(query)}


def _churned_subscription_ends(session: Session) -> dict[str, date]:
    query = (
        select(Subscription.account_id, func.max(Subscription.end_date))
        .where(Subscription.churn_flag.is_(True), Subscription.end_date.is_not(None))
        .group_by(Subscription.account_id)
    )
    return {account_id: day for account_id, day in session.execute(query)}


def _first_subscription_starts(session: Session) -> dict[str, date]:
    query = select(Subscription.account_id, func.min(Subscription.start_date)).group_by(
        Subscription.account_id
    )
    return {account_id: start for account_id, start in session.execute(query) if start}


def load_outcomes(session: Session, lead: timedelta, retained_reference: date) -> list[Outcome]:
    """Decide each account's outcome and reference date."""
    churn_events = _latest_churn_dates(session)
    churned_ends = _churned_subscription_ends(session)
    first_starts = _first_subscription_starts(session)
    outcomes: list[Outcome] = []
    for account in session.scalars(select(Account).order_by(Account.id)):
        churned = account.id in churn_events or bool(account.churned)
        churn_date = churn_events.get(account.id) or churned_ends.get(account.id)
        reference = retained_reference
        if churned:
            reference = churn_date - lead if churn_date else None
        known = [day for day in (account.signup_date, first_starts.get(account.id)) if day]
        outcomes.append(
            Outcome(
                account_id=account.id,
                account_name=account.name,
                churned=churned,
                churn_date=churn_date if churned else None,
                reference_date=reference,
                first_seen=min(known) if known else None,
            )
        )
    return outcomes


def _skip_reason(outcome: Outcome) -> str | None:
    if outcome.reference_date is None:
        return SKIP_NO_CHURN_DATE
    if outcome.first_seen is not None and outcome.first_seen > outcome.reference_date:
        return SKIP_NOT_YET_CUSTOMER
    return None


@dataclass
class Scoring:
    """The accounts scored on their reference dates and the accounts left out."""

    scored: list[ScoredAccount] = field(default_factory=list)
    skipped: list[SkippedAccount] = field(default_factory=list)
    # Component name to the label a CSM reads, in the health model's order.
    labels: dict[str, str] = field(default_factory=dict)


def score_outcomes(
    session: Session, outcomes: list[Outcome], model: HealthModel | None = None
) -> Scoring:
    """Score every account on its reference date, loading one batch per distinct date."""
    model = model or active_model()
    result = Scoring()
    by_date: dict[date, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        reason = _skip_reason(outcome)
        if reason:
            result.skipped.append(_skipped(outcome, reason))
        else:
            by_date[outcome.reference_date].append(outcome)

    for reference, batch in sorted(by_date.items()):
        by_id = {outcome.account_id: outcome for outcome in batch}
        for data in load_book(session, reference, list(by_id)):
            outcome = by_id[data.account.id]
            report = score_account(data, model)
            result.labels.update((c.name, c.label) for c in report.components)
            if report.score is None:
                result.skipped.append(_skipped(outcome, SKIP_NO_SCORE))
            else:
                result.scored.append(_scored(outcome, report))
    return result


def _skipped(outcome: Outcome, reason: str) -> SkippedAccount:
    return SkippedAccount(outcome.account_id, outcome.account_name, outcome.churned, reason)


def _scored(outcome: Outcome, report: HealthReport) -> ScoredAccount:
    return ScoredAccount(
        account_id=outcome.account_id,
        account_name=outcome.account_name,
        churned=outcome.churned,
        churn_date=outcome.churn_date,
        reference_date=report.as_of,
        score=report.score,
        band=report.band,
        components={c.name: c.score for c in report.components},
        profile=report.profile.name,
        weights={c.name: c.base_weight for c in report.components},
    )


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def band_outcomes(scored: list[ScoredAccount]) -> list[BandOutcome]:
    """Count the accounts and the churned accounts in each band."""
    rows = []
    for band in BANDS:
        members = [item for item in scored if item.band == band]
        churned = sum(1 for item in members if item.churned)
        rate = churned / len(members) if members else None
        rows.append(BandOutcome(band, len(members), churned, rate))
    return rows


def score_without(item: ScoredAccount, left_out: str) -> int | None:
    """Recompute an account's score from its component scores, leaving one component out.

    As in the health model, the weights of the account's profile are renormalised over the
    components present and the result is rounded to a whole number, so it compares with the
    score itself. The component scores are the report's, already rounded to one decimal.
    """
    weights = item.weights
    present = {
        name: value
        for name, value in item.components.items()
        if value is not None and name != left_out
    }
    total_weight = sum(weights[name] for name in present)
    if total_weight == 0:
        return None
    return round(sum(weights[name] * value for name, value in present.items()) / total_weight)


def _auc_without(scored: list[ScoredAccount], name: str) -> float | None:
    churned, retained = [], []
    for item in scored:
        value = score_without(item, name)
        if value is not None:
            (churned if item.churned else retained).append(value)
    return mann_whitney_auc(retained, churned)


def component_separation(scoring: Scoring) -> list[ComponentSeparation]:
    """Compute each component's AUC on its own, and the score's AUC without it."""
    scored = scoring.scored
    rows = []
    for name, label in scoring.labels.items():
        churned = [s.components[name] for s in scored if s.churned]
        retained = [s.components[name] for s in scored if not s.churned]
        churned = [value for value in churned if value is not None]
        retained = [value for value in retained if value is not None]
        rows.append(
            ComponentSeparation(
                name=name,
                label=label,
                churned=len(churned),
                retained=len(retained),
                auc=mann_whitney_auc(retained, churned),
                mean_churned=_mean(churned),
                mean_retained=_mean(retained),
                auc_without=_auc_without(scored, name),
            )
        )
    return rows


def summarise(
    scoring: Scoring, as_of: date, lead_days: int, model: HealthModel | None = None
) -> BacktestReport:
    """Build the report from the scored and skipped accounts."""
    scored = scoring.scored
    churned = [float(item.score) for item in scored if item.churned]
    retained = [float(item.score) for item in scored if not item.churned]
    auc = mann_whitney_auc(retained, churned)
    notes = []
    if auc is None:
        missing = "churned" if not churned else "retained"
        notes.append(f"No {missing} account could be scored, so the AUC is undefined.")
    return BacktestReport(
        as_of=as_of,
        lead_days=lead_days,
        retained_reference_date=as_of - timedelta(days=lead_days),
        churned_accounts=len(churned),
        retained_accounts=len(retained),
        auc=auc,
        auc_standard_error=(
            None if auc is None else auc_standard_error(auc, len(retained), len(churned))
        ),
        bands=band_outcomes(scored),
        components=component_separation(scoring),
        skipped=scoring.skipped,
        accounts=sorted(scored, key=lambda item: (item.score, item.account_id)),
        notes=notes,
        profiles=dict(Counter(item.profile for item in scored).most_common()),
        model_version=model.version if model else 0,
        model_source=model.source if model else "",
    )


def run_backtest(
    store: Store,
    lead_days: int = 30,
    as_of: date | None = None,
    model: HealthModel | None = None,
) -> BacktestReport:
    """Score every account before its outcome and measure how well the score separates churn.

    Args:
        store: the book of business, with churn events or churned flags.
        lead_days: how many days before the outcome each account is scored.
        as_of: the date the retained accounts are scored `lead_days` before. Default: the
            book's default as-of date, which is today or, when the book ends earlier, its
            newest usage, ticket or note date. Churn outcomes are read from the whole store.
        model: the health model to test. Default: the model in force.

    Raises:
        InputError: `lead_days` is negative.
    """
    if lead_days < 0:
        raise InputError(f"Invalid --lead-days {lead_days}: give 0 or more days.")
    model = model or active_model()
    lead = timedelta(days=lead_days)
    with store.session() as session:
        when = as_of or default_as_of(session)
        outcomes = load_outcomes(session, lead, when - lead)
        scoring = score_outcomes(session, outcomes, model)
    return summarise(scoring, when, lead_days, model)


__all__ = [
    "BacktestReport",
    "BandOutcome",
    "ComponentSeparation",
    "ScoredAccount",
    "Scoring",
    "SkippedAccount",
    "auc_standard_error",
    "mann_whitney_auc",
    "run_backtest",
]
