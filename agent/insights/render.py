"""Plain-text renderings of insight results, shared by the CLI and the assistant."""

from __future__ import annotations

from agent.insights.health import HealthReport
from agent.insights.health_model import HealthModel
from agent.insights.sentiment import RolledUpSentiment


def _score_text(report: HealthReport) -> str:
    if report.score is None:
        return "no score (every input missing)"
    return f"{report.score}/100 ({report.band})"


def health_text(report: HealthReport) -> str:
    """Render a health report: score, components with weights, drivers, missing inputs."""
    lines = [
        f"{report.account_name} ({report.account_id}): health {_score_text(report)} "
        f"as of {report.as_of}",
    ]
    if report.profile is not None:
        lines.append(_profile_text(report))
    if report.churned:
        lines.append("This account has churned.")
    if report.override:
        override = report.override
        lines.append(
            f"Override by {override['author'] or 'the CSM'} on {override['set_on']}, until "
            f"{override['expires_on']}: {override['note']} (the model computes "
            f"{report.computed_score}) [source: {override['source']}]"
        )
    lines.append("Components (weight after dropping missing inputs, score, points contributed):")
    for c in report.components:
        if c.base_weight == 0:
            lines.append(f"  - {c.label}: not weighted in this profile ({c.detail})")
            continue
        if c.score is None:
            lines.append(f"  - {c.label}: missing ({c.detail})")
            continue
        cited = f" [source: {'; '.join(c.sources)}]" if c.sources else ""
        lines.append(
            f"  - {c.label}: weight {c.weight:.0%}, score {c.score:.0f}, "
            f"+{c.contribution:.1f} pts: {c.detail}{cited}"
        )
    if report.drivers:
        lines.append("Top drivers of the score:")
        lines.extend(f"  {rank}. {driver}" for rank, driver in enumerate(report.drivers, 1))
    if report.missing:
        lines.append(
            "Missing inputs (left out, their weight spread over the rest): "
            + ", ".join(report.missing)
        )
    if report.signals:
        lines.append("Signals:")
        for signal in report.signals:
            cited = f" [source: {'; '.join(signal.sources)}]" if signal.sources else ""
            lines.append(f"  - {signal.name}: {signal.detail}{cited}")
    return "\n".join(lines)


def _profile_text(report: HealthReport) -> str:
    profile = report.profile
    stage = "onboarding" if profile.stage == "onboarding" else "steady state"
    tier = f"tier {profile.tier}" if profile.tier else "no plan tier"
    source = "built-in" if profile.model_source == "built-in" else f"from {profile.model_source}"
    return (
        f"Profile: {profile.name} ({stage}, {tier}): {profile.reason}. Health model "
        f"version {profile.model_version}, {source}."
    )


def _percent(value: float) -> str:
    return f"{value:.0%}"


def _signed_percent(value: float) -> str:
    return f"{value:+.0%}"


def _days(value: float) -> str:
    return f"{value:g} days"


# Each curve measure's input, named and formatted for listing its cut-points.
_INPUT_FORMATS = {
    "usage_trend": ("change in usage", _signed_percent),
    "seat_use": ("active users per seat", _percent),
    "feature_breadth": ("share of features still used", _percent),
    "sentiment": ("VADER compound", lambda value: f"{value:+.2f}"),
    "renewal": ("days to renewal", _days),
    "last_touch": ("days since the last touch", _days),
}


def _rule_text(name: str, measure) -> str:  # noqa: ANN001 - one of the measure models
    if name in _INPUT_FORMATS:
        input_name, formatted = _INPUT_FORMATS[name]
        points = ", ".join(f"{formatted(x)}: {y:g}" for x, y in measure.cut_points)
        rule = f"{input_name} to score, linear between {points}"
        if name == "last_touch":
            rule += f"; notes of kind {', '.join(measure.kinds)} or of no kind count"
        return rule
    if name == "support":
        return (
            f"100 minus {measure.per_open:g} per open ticket, {measure.per_escalated:g} per "
            f"escalated one, {measure.per_high_or_urgent:g} per high or urgent one and "
            f"{measure.per_stale:g} per one open over {measure.stale_after_days} days"
        )
    if name == "stakeholders":
        return (
            f"{measure.champion_left:g} if a champion left in the last "
            f"{measure.champion_left_days} days, else 100 with an active champion and "
            f"{measure.no_champion:g} without; minus {measure.no_sponsor_penalty:g} with no "
            "active sponsor"
        )
    return "latest NPS times 10 and mean CSAT from 1-5 to 0-100, averaged"


def rules_text(report: HealthReport, model: HealthModel) -> str:
    """Render how the report's profile turns each input into a score, with its weight."""
    profile = model.profiles[report.profile.name]
    measures = model.measures_for(report.profile.name)
    weights = profile.weights.as_dict()
    lines = [f"Profile {report.profile.name}: {profile.description or 'no description.'}"]
    lines.append("How it scores each input (base weight: rule):")
    labels = {c.name: c.label for c in report.components}
    for name in weights:
        rule = _rule_text(name, getattr(measures, name))
        lines.append(f"  - {labels.get(name, name)}, {weights[name]:.0%}: {rule}")
    return "\n".join(lines)


def triage_text(reports: list[HealthReport]) -> str:
    """Render a ranked list: one line per account with score, band, ARR and main driver."""
    if not reports:
        return "No accounts to show."
    lines = []
    for rank, report in enumerate(reports, start=1):
        arr = f"ARR {report.arr:,.0f}" if report.arr is not None else "ARR unknown"
        signals = ", ".join(s.name for s in report.signals)
        flagged = f" | signals: {signals}" if signals else ""
        lines.append(
            f"{rank:>3}. {report.account_name} ({report.account_id}) {_score_text(report)}, "
            f"{arr}{flagged}\n       main driver: {report.main_driver}"
        )
    lines.append(f"Scores as of {reports[0].as_of}, from the health model over the store.")
    return "\n".join(lines)


def sentiment_text(
    account_name: str, rolled: RolledUpSentiment | None
) -> tuple[str, list[str], dict]:
    """Render an account's rolled-up sentiment with its most positive and negative items."""
    if rolled is None:
        text = f"{account_name}: no notes, ticket texts or survey comments in the last 180 days."
        return text, [], {"account": account_name, "compound": None, "items": []}
    lines = [
        f"{account_name}: {rolled.label} (VADER compound {rolled.compound:+.2f}, "
        f"recency-weighted over {len(rolled.items)} items)"
    ]
    sources: list[str] = []
    for caption, item in (
        ("Most negative", rolled.most_negative()),
        ("Most positive", rolled.most_positive()),
    ):
        if item is not None:
            lines.append(
                f"  {caption}: {item.title or item.kind} ({item.item_date}, "
                f"{item.score.compound:+.2f}) [source: {item.source_id}]"
            )
            sources.append(item.source_id)
    data = {
        "account": account_name,
        "compound": round(rolled.compound, 4),
        "label": rolled.label,
        "items": [
            {
                "source": item.source_id,
                "date": item.item_date.isoformat(),
                "title": item.title,
                "compound": item.score.compound,
                "label": item.score.label,
            }
            for item in rolled.items
        ],
    }
    return "\n".join(lines), sources, data


def _source_text(source: str, note: str | None) -> str:
    if source == "snapshot":
        return "from the snapshot of that day"
    return f"recomputed, {note}" if note else "recomputed"


def trend_text(points: list[dict]) -> str:
    """Render the model's score 7, 30 and 90 days back, and where each came from."""
    parts = []
    for point in points:
        source = _source_text(point["source"], point.get("note"))
        if point["score"] is None:
            parts.append(f"{point['days']} days ago: no score ({source})")
        elif point["change"] is None:
            parts.append(f"{point['days']} days ago {point['score']} ({source})")
        else:
            parts.append(
                f"{point['days']} days ago {point['score']} ({point['change']:+d} since; {source})"
            )
    return "Trend of the model's score: " + "; ".join(parts)


def changes_text(moved: dict) -> str:
    """Render which components moved the score since a date, largest first."""
    source = _source_text(moved["source"], moved.get("note"))
    lines = [
        f"Since {moved['since']} ({source}): score {moved['score_then']} -> {moved['score_now']}"
    ]
    for row in moved["components"]:
        if not row["points_change"]:
            continue
        lines.append(
            f"  {row['component']}: {row['points_change']:+.1f} pts "
            f"({row['detail_then'] or 'missing'} -> {row['detail_now']})"
        )
    if len(lines) == 1:
        lines.append("  no component moved")
    return "\n".join(lines)
