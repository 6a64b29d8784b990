"""Daily health snapshots: the model's score per account per day, kept in the store.

A snapshot keeps what the model said on a day with the data it had then, so a later edit of
past data does not rewrite history. Saving replaces the account's snapshot of that day, so
there is at most one per account per day.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from agent.store import HealthSnapshot

if TYPE_CHECKING:
    from agent.insights.health import HealthReport

# How a snapshot came to be: a command ranked the book, `csm health snapshot` recorded it,
# or `--backfill` recomputed a past day from the store as it was at backfill time.
ORIGINS = ("ranked", "recorded", "backfill")


@dataclass(frozen=True)
class StoredComponent:
    """One component as a snapshot stored it."""

    name: str
    label: str
    score: float | None
    weight: float | None
    contribution: float | None
    detail: str


@dataclass(frozen=True)
class Snapshot:
    """A stored snapshot, read back."""

    account_id: str
    day: date
    score: int | None
    band: str
    profile: str
    model_version: int
    model_digest: str
    components: list[StoredComponent]
    origin: str
    recorded_at: datetime


def _components_json(report: HealthReport) -> str:
    rows = [
        {
            "name": c.name,
            "label": c.label,
            "score": c.score,
            "weight": None if c.weight is None else round(c.weight, 4),
            "contribution": c.contribution,
            "detail": c.detail,
        }
        for c in report.components
    ]
    return json.dumps(rows, ensure_ascii=False)


def save_snapshots(session: Session, reports: Iterable[HealthReport], origin: str) -> int:
    """Save each report as its account's snapshot for the report's date; return the count.

    The model's own score is saved, not a CSM override, so that trends compare the model
    with itself. A snapshot already saved for the same account and day is replaced.
    """
    if origin not in ORIGINS:
        raise ValueError(f"origin {origin!r} is not one of {', '.join(ORIGINS)}")
    now = datetime.now(UTC).replace(tzinfo=None)
    by_day: dict[date, list[HealthReport]] = {}
    for report in reports:
        by_day.setdefault(report.as_of, []).append(report)
    for day, batch in by_day.items():
        ids = [report.account_id for report in batch]
        session.execute(
            delete(HealthSnapshot).where(
                HealthSnapshot.snapshot_date == day, HealthSnapshot.account_id.in_(ids)
            )
        )
        session.add_all(_row(report, origin, now) for report in batch)
    session.flush()
    return sum(len(batch) for batch in by_day.values())


def _row(report: HealthReport, origin: str, now: datetime) -> HealthSnapshot:
    profile = report.profile
    return HealthSnapshot(
        account_id=report.account_id,
        snapshot_date=report.as_of,
        score=report.model_score,
        band=report.model_band,
        profile=profile.name,
        model_version=profile.model_version,
        model_digest=profile.model_digest,
        components=_components_json(report),
        origin=origin,
        recorded_at=now,
    )


def load_snapshots(
    session: Session, account_id: str, start: date, end: date
) -> dict[date, Snapshot]:
    """Return the account's snapshots from `start` to `end`, both inclusive, by day."""
    rows = session.scalars(
        select(HealthSnapshot).where(
            HealthSnapshot.account_id == account_id,
            HealthSnapshot.snapshot_date >= start,
            HealthSnapshot.snapshot_date <= end,
        )
    )
    return {row.snapshot_date: _read(row) for row in rows}


def snapshot_days(session: Session, days: Iterable[date]) -> dict[date, set[str]]:
    """Return, for each of the days, the accounts that already have a snapshot on it."""
    wanted = list(days)
    found: dict[date, set[str]] = {day: set() for day in wanted}
    query = select(HealthSnapshot.snapshot_date, HealthSnapshot.account_id).where(
        HealthSnapshot.snapshot_date.in_(wanted)
    )
    for day, account_id in session.execute(query):
        found[day].add(account_id)
    return found


def _read(row: HealthSnapshot) -> Snapshot:
    return Snapshot(
        account_id=row.account_id,
        day=row.snapshot_date,
        score=row.score,
        band=row.band,
        profile=row.profile,
        model_version=row.model_version,
        model_digest=row.model_digest,
        components=[StoredComponent(**item) for item in json.loads(row.components)],
        origin=row.origin,
        recorded_at=row.recorded_at,
    )


__all__ = ["ORIGINS", "Snapshot", "StoredComponent", "load_snapshots", "save_snapshots"]
