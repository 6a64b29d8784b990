"""Health history: the score 7, 30 and 90 days back, and what changed since a date.

Past scores are recomputed from the store as of each date, with the same rules that keep
later facts out of a score, so no snapshot table is needed.
"""

from __future__ import annotations

from datetime import date, timedelta

from agent.insights.book import load_book
from agent.insights.health import HealthReport, score_account
from agent.store import Store

TREND_DAYS = (7, 30, 90)


def _score_on(store: Store, account_id: str, when: date) -> HealthReport:
    with store.session() as session:
        (data,) = load_book(session, when, [account_id])
        return score_account(data)


def trend(store: Store, report: HealthReport) -> list[dict]:
    """Return the model's score 7, 30 and 90 days before the report, and the change since."""
    now = report.computed_score if report.override else report.score
    points = []
    for days in TREND_DAYS:
        when = report.as_of - timedelta(days=days)
        past = _score_on(store, report.account_id, when).score
        change = None if past is None or now is None else now - past
        points.append({"days": days, "date": when.isoformat(), "score": past, "change": change})
    return points


def changes_since(store: Store, report: HealthReport, since: date) -> dict:
    """Compare each component with its value on `since`: score and points contributed."""
    past = _score_on(store, report.account_id, since)
    before = {c.name: c for c in past.components}
    rows = []
    for component in report.components:
        old = before.get(component.name)
        rows.append(
            {
                "component": component.label,
                "score_then": old.score if old else None,
                "score_now": component.score,
                "points_then": old.contribution if old else None,
                "points_now": component.contribution,
                "points_change": _difference(
                    component.contribution, old.contribution if old else None
                ),
                "detail_then": old.detail if old else None,
                "detail_now": component.detail,
            }
        )
    rows.sort(key=lambda row: abs(row["points_change"] or 0.0), reverse=True)
    now = report.computed_score if report.override else report.score
    return {
        "since": since.isoformat(),
        "score_then": past.score,
        "score_now": now,
        "components": rows,
    }


def _difference(now: float | None, then: float | None) -> float | None:
    if now is None and then is None:
        return None
    return round((now or 0.0) - (then or 0.0), 1)
