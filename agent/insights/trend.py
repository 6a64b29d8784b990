"""Health history: the score 7, 30 and 90 days back, what changed since a date, daily scores.

A past score is read from the account's daily snapshot when one was stored for that day
with the same health model, and recomputed from the store as of that day otherwise, with the
same rules that keep later facts out of a score. Every past score records which it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from agent.insights.book import default_as_of, load_book
from agent.insights.health import HealthReport, score_account
from agent.insights.health_model import HealthModel, active_model
from agent.insights.snapshots import (
    Snapshot,
    StoredComponent,
    load_snapshots,
    save_snapshots,
    snapshot_days,
)
from agent.store import Account, Store

TREND_DAYS = (7, 30, 90)
OTHER_MODEL = "the snapshot of that day was made with another health model"


@dataclass
class PastScore:
    """The model's score for one account on one past day."""

    day: date
    score: int | None
    band: str
    # snapshot | recomputed
    source: str
    components: list[StoredComponent] = field(default_factory=list)
    # Why a day with a snapshot was recomputed, if it was.
    note: str | None = None


def _from_snapshot(snapshot: Snapshot) -> PastScore:
    return PastScore(snapshot.day, snapshot.score, snapshot.band, "snapshot", snapshot.components)


def _from_report(report: HealthReport, note: str | None) -> PastScore:
    components = [
        StoredComponent(c.name, c.label, c.score, c.weight, c.contribution, c.detail)
        for c in report.components
    ]
    return PastScore(report.as_of, report.score, report.band, "recomputed", components, note)


def past_scores(
    store: Store, account_id: str, days: list[date], model: HealthModel | None = None
) -> dict[date, PastScore]:
    """Return the account's score on each day: from its snapshot, else recomputed."""
    model = model or active_model()
    result: dict[date, PastScore] = {}
    with store.session() as session:
        stored = load_snapshots(session, account_id, min(days), max(days))
        for day in days:
            snapshot = stored.get(day)
            if snapshot is not None and snapshot.model_digest == model.digest:
                result[day] = _from_snapshot(snapshot)
                continue
            (data,) = load_book(session, day, [account_id])
            note = OTHER_MODEL if snapshot is not None else None
            result[day] = _from_report(score_account(data, model), note)
    return result


def trend(store: Store, report: HealthReport, model: HealthModel | None = None) -> list[dict]:
    """Return the model's score 7, 30 and 90 days before the report, and the change since."""
    now = report.model_score
    days = [report.as_of - timedelta(days=count) for count in TREND_DAYS]
    scores = past_scores(store, report.account_id, days, model)
    points = []
    for count, day in zip(TREND_DAYS, days, strict=True):
        past = scores[day]
        change = None if past.score is None or now is None else now - past.score
        points.append(
            {
                "days": count,
                "date": day.isoformat(),
                "score": past.score,
                "change": change,
                "source": past.source,
                "note": past.note,
            }
        )
    return points


def changes_since(
    store: Store, report: HealthReport, since: date, model: HealthModel | None = None
) -> dict:
    """Compare each component with its value on `since`: score and points contributed."""
    past = past_scores(store, report.account_id, [since], model)[since]
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
    return {
        "since": since.isoformat(),
        "score_then": past.score,
        "score_now": report.model_score,
        "source": past.source,
        "note": past.note,
        "components": rows,
    }


def _difference(now: float | None, then: float | None) -> float | None:
    if now is None and then is None:
        return None
    return round((now or 0.0) - (then or 0.0), 1)


def score_history(
    store: Store, account_id: str, end: date, days: int, model: HealthModel | None = None
) -> list[PastScore]:
    """Return the account's score on each of the `days` days ending on `end`, oldest first."""
    requested = [end - timedelta(days=offset) for offset in range(days - 1, -1, -1)]
    scores = past_scores(store, account_id, requested, model)
    return [scores[day] for day in requested]


@dataclass
class SnapshotRun:
    """Counts of the snapshots `record_snapshots` saved and left in place."""

    as_of: date
    first_day: date
    # Snapshots saved, replacing any of the same account and day.
    saved: int = 0
    # Earlier snapshots of the backfilled days, left in place.
    kept_existing: int = 0
    # Accounts left out of a day because they became customers after it.
    not_yet_customers: int = 0
    model_version: int = 0
    model_digest: str = ""


def record_snapshots(
    store: Store,
    as_of: date | None = None,
    backfill_days: int = 0,
    replace: bool = False,
    model: HealthModel | None = None,
    progress: Callable[[str], None] | None = None,
) -> SnapshotRun:
    """Save every account's snapshot on `as_of` and, with a backfill, on the days before it.

    The snapshot of `as_of` replaces any saved that day. A backfilled day keeps the
    snapshots it already has, which were taken with the data of their day, unless
    `replace` is set. Each day is committed on its own, so an interrupted backfill keeps the
    days it finished.
    """
    model = model or active_model()
    with store.session() as session:
        when = as_of or default_as_of(session)
        account_ids = list(session.scalars(select(Account.id).order_by(Account.id)))
    days = [when - timedelta(days=offset) for offset in range(backfill_days, -1, -1)]
    run = SnapshotRun(when, days[0], model_version=model.version, model_digest=model.digest)
    for position, day in enumerate(days, start=1):
        _record_day(store, day, account_ids, day != when and not replace, model, run)
        if progress and (position % 10 == 0 or position == len(days)):
            progress(f"Scored {position} of {len(days)} days, up to {day}.")
    return run


def _record_day(
    store: Store,
    day: date,
    account_ids: list[str],
    keep_existing: bool,
    model: HealthModel,
    run: SnapshotRun,
) -> None:
    with store.session() as session:
        existing = snapshot_days(session, [day])[day] if keep_existing else set()
        to_score = [account_id for account_id in account_ids if account_id not in existing]
        run.kept_existing += len(existing)
        if not to_score:
            return
        reports = []
        for data in load_book(session, day, to_score):
            started, _basis = data.first_start()
            if started is not None and started > day:
                run.not_yet_customers += 1
                continue
            reports.append(score_account(data, model))
        origin = "backfill" if day != run.as_of else "recorded"
        run.saved += save_snapshots(session, reports, origin)


__all__ = [
    "PastScore",
    "SnapshotRun",
    "changes_since",
    "past_scores",
    "record_snapshots",
    "score_history",
    "trend",
]
