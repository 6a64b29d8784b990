"""The composite health score: weighted components, bands, drivers and risk signals.

The weights, cut-points and bands come from the health model file in force (see
`health_model.py`). The profile that weights an account follows its lifecycle stage and tier.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from agent.insights.book import AccountData, default_as_of, load_book
from agent.insights.components import Component, build_components
from agent.insights.health_model import HealthModel, active_model
from agent.insights.overrides import ActiveOverride, active_overrides
from agent.insights.renewal import renewal_date_for
from agent.insights.snapshots import save_snapshots
from agent.store import Store


def band_for(score: int, model: HealthModel | None = None) -> str:
    """Return the band of a score under the model's bands (default: the model in force)."""
    return (model or active_model()).bands.band_for(score)


# Signals that make an account at risk on their own. `renewal_soon` and `upgrade_candidate`
# are shown but only matter for an account whose score is already yellow or red.
RISK_SIGNALS = ("champion_left", "open_escalation", "usage_drop")
# Components scoring below this are listed as drivers; at or above it they are not a concern.
DRIVER_BELOW = 75.0


@dataclass
class Signal:
    """A named warning or opportunity raised by a rule, independent of the score."""

    name: str
    detail: str
    sources: list[str] = field(default_factory=list)

    @property
    def is_risk(self) -> bool:
        """Return whether the signal alone puts an account at risk, whatever its score."""
        return self.name in RISK_SIGNALS


@dataclass
class ScoredComponent:
    """A component with its weight renormalised over the present ones and its contribution."""

    name: str
    label: str
    base_weight: float
    weight: float | None
    score: float | None
    contribution: float | None
    detail: str
    sources: list[str]
    facts: dict


@dataclass
class ProfileUse:
    """The profile and model that scored an account, and the reason for that profile."""

    name: str
    description: str
    # onboarding | steady
    stage: str
    tier: str | None
    # The reason for the stage, e.g. `34 days after the first subscription start on ...`.
    reason: str
    model_version: int
    # The model file, or `built-in`.
    model_source: str
    model_digest: str


@dataclass
class HealthReport:
    account_id: str
    account_name: str
    as_of: date
    score: int | None
    band: str
    plan_tier: str | None
    arr: float | None
    renewal_date: date | None
    components: list[ScoredComponent]
    missing: list[str]
    drivers: list[str]
    signals: list[Signal]
    profile: ProfileUse | None = None
    churned: bool = False
    # Set when a CSM's override is in force: the model's own score and band, and the override.
    computed_score: int | None = None
    computed_band: str | None = None
    override: dict | None = None

    @property
    def main_driver(self) -> str:
        if self.drivers:
            return self.drivers[0]
        if self.score is None:
            return "no score: every input is missing"
        return f"no weak input: every component scores {DRIVER_BELOW:.0f} or more"

    @property
    def at_risk(self) -> bool:
        if self.churned:
            return False
        low = self.score is not None and self.band in ("red", "yellow")
        return low or any(signal.is_risk for signal in self.signals)

    @property
    def model_score(self) -> int | None:
        """The model's own score, before any CSM override."""
        return self.computed_score if self.override else self.score

    @property
    def model_band(self) -> str:
        """The band of the model's own score, before any CSM override."""
        return (self.computed_band or self.band) if self.override else self.band

    def to_dict(self) -> dict:
        document = asdict(self)
        document["main_driver"] = self.main_driver
        document["at_risk"] = self.at_risk
        return document


def _scored(
    components: list[Component], weights: dict[str, float]
) -> tuple[list[ScoredComponent], float | None]:
    present = [c for c in components if c.score is not None]
    total_weight = sum(weights[c.name] for c in present)
    scored: list[ScoredComponent] = []
    for component in components:
        if component.score is None or total_weight == 0:
            weight = contribution = None
        else:
            weight = weights[component.name] / total_weight
            contribution = weight * component.score
        scored.append(
            ScoredComponent(
                name=component.name,
                label=component.label,
                base_weight=weights[component.name],
                weight=weight,
                score=None if component.score is None else round(component.score, 1),
                contribution=None if contribution is None else round(contribution, 1),
                detail=component.detail,
                sources=component.sources,
                facts=component.facts,
            )
        )
    # Sum the exact contributions; rounding each first can move a score across a band edge.
    total = (
        sum(weights[c.name] * c.score / total_weight for c in present)
        if present and total_weight
        else None
    )
    return scored, total


def _drivers(scored: list[ScoredComponent]) -> list[str]:
    """Rank the weak components by the points they cost: weight times the gap to 100."""
    costs = [
        (c.weight * (100.0 - c.score), c)
        for c in scored
        if c.weight is not None and c.score is not None and c.score < DRIVER_BELOW
    ]
    costs.sort(key=lambda pair: pair[0], reverse=True)
    return [f"{c.label}: {c.detail} (-{cost:.0f} pts)" for cost, c in costs if cost >= 1.0][:3]


def _signals(data: AccountData, components: list[Component]) -> list[Signal]:
    signals: list[Signal] = []
    by_name = {c.name: c for c in components}
    stakeholders = by_name["stakeholders"]
    if stakeholders.facts.get("champions_left"):
        signals.append(Signal("champion_left", stakeholders.detail, stakeholders.sources))
    support = by_name["support"]
    if support.facts.get("escalated"):
        signals.append(Signal("open_escalation", support.detail, support.sources))
    usage = by_name["usage_trend"]
    if usage.score is not None and (usage.facts.get("change") or 0.0) <= -0.25:
        signals.append(Signal("usage_drop", usage.detail, usage.sources))
    renewal = by_name["renewal"]
    if renewal.facts.get("days") is not None and renewal.facts["days"] <= 60:
        signals.append(Signal("renewal_soon", renewal.detail, renewal.sources))
    seat = by_name["seat_use"]
    tier = data.plan_tier() or ""
    if tier.lower() == "free" and seat.facts.get("ratio", 0.0) >= 0.9:
        signals.append(Signal("upgrade_candidate", f"Free plan at its limit: {seat.detail}"))
    return signals


def lifecycle_stage(data: AccountData, onboarding_days: int) -> tuple[str, str]:
    """Return the account's stage on its scoring date, `onboarding` or `steady`, and why.

    An account is onboarding for `onboarding_days` days from the day it became a customer
    (see `AccountData.first_start`), including before that day. With no date to go by, it
    is taken to be in steady state.
    """
    started, basis = data.first_start()
    if started is None:
        return "steady", "no subscription start, sign-up or usage date to go by"
    days = (data.as_of - started).days
    if days < 0:
        return "onboarding", f"the {basis} is {started}, {-days} days ahead"
    stage = "onboarding" if days < onboarding_days else "steady"
    return (
        stage,
        f"{days} days after the {basis} on {started}; onboarding lasts {onboarding_days} days",
    )


def score_account(data: AccountData, model: HealthModel | None = None) -> HealthReport:
    """Score one account from its loaded data with the model (default: the model in force)."""
    model = model or active_model()
    stage, reason = lifecycle_stage(data, model.lifecycle.onboarding_days)
    tier = data.plan_tier()
    profile_name, profile = model.profile_for(stage, tier)
    weights = profile.weights.as_dict()
    components = build_components(data, model.measures_for(profile_name))
    scored, total = _scored(components, weights)
    score = None if total is None else int(round(total))
    subscription = data.current_subscription()
    return HealthReport(
        account_id=data.account.id,
        account_name=data.account.name,
        as_of=data.as_of,
        score=score,
        band=model.bands.band_for(score) if score is not None else "unknown",
        plan_tier=tier,
        arr=subscription.arr if subscription else None,
        renewal_date=renewal_date_for(subscription, data.as_of) if subscription else None,
        components=scored,
        # A measure the profile gives no weight is not missing from its score.
        missing=[c.label for c in components if c.score is None and weights[c.name] > 0],
        drivers=_drivers(scored),
        signals=_signals(data, components),
        profile=ProfileUse(
            name=profile_name,
            description=profile.description,
            stage=stage,
            tier=tier,
            reason=reason,
            model_version=model.version,
            model_source=model.source,
            model_digest=model.digest,
        ),
        churned=bool(data.account.churned),
    )


def apply_override(
    report: HealthReport, override: ActiveOverride | None, model: HealthModel | None = None
) -> HealthReport:
    """Put a CSM's override in force on the report, keeping the computed score beside it."""
    if override is None:
        return report
    report.computed_score = report.score
    report.computed_band = report.band
    report.score = override.score
    report.band = band_for(override.score, model)
    report.override = {
        "score": override.score,
        "note": override.note,
        "author": override.author,
        "set_on": override.created_on.isoformat(),
        "expires_on": override.expires_on.isoformat(),
        "source": override.source,
    }
    return report


def health_for(
    store: Store, account_id: str, as_of: date | None = None, model: HealthModel | None = None
) -> HealthReport:
    """Score one account as of a date (default: today, or the book's newest data).

    A CSM's override in force on that date replaces the score; the backtest scores with
    `score_account` alone, so it measures the model, not the overrides.
    """
    model = model or active_model()
    with store.session() as session:
        when = as_of or default_as_of(session)
        (data,) = load_book(session, when, [account_id])
        override = active_overrides(session, when, [account_id]).get(account_id)
        return apply_override(score_account(data, model), override, model)


def rank_book(
    store: Store,
    as_of: date | None = None,
    *,
    record: bool = False,
    model: HealthModel | None = None,
) -> list[HealthReport]:
    """Score every account and order them by risk: lowest score first, larger ARR first on ties.

    With `record`, each account's model score is also saved as its snapshot for the scoring
    date, replacing one saved earlier that day.
    """
    model = model or active_model()
    with store.session() as session:
        when = as_of or default_as_of(session)
        overrides = active_overrides(session, when)
        reports = [
            apply_override(score_account(data, model), overrides.get(data.account.id), model)
            for data in load_book(session, when)
        ]
        if record:
            save_snapshots(session, reports, origin="ranked")
    return sorted(reports, key=_risk_order)


def _risk_order(report: HealthReport) -> tuple:
    risk_signals = sum(1 for signal in report.signals if signal.is_risk)
    score = report.score if report.score is not None else 101
    return (report.churned, score, -risk_signals, -(report.arr or 0.0))


__all__ = [
    "HealthReport",
    "ProfileUse",
    "Signal",
    "band_for",
    "health_for",
    "lifecycle_stage",
    "rank_book",
    "score_account",
]
