"""CSM overrides of the health score: a score, a required note, and an expiry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from agent.errors import InputError
from agent.store import HealthOverride, Store

# Overrides lapse by themselves so a judgement made for one situation does not outlive it.
DEFAULT_DAYS = 90


@dataclass(frozen=True)
class ActiveOverride:
    score: int
    note: str
    author: str | None
    created_on: date
    expires_on: date
    source: str


def set_override(
    store: Store,
    account_id: str,
    score: int,
    note: str,
    days: int = DEFAULT_DAYS,
    author: str | None = None,
    today: date | None = None,
) -> ActiveOverride:
    """Record an override, replacing any earlier one of the account."""
    if not 0 <= score <= 100:
        raise InputError(f"--score {score} is out of range; give 0 to 100.")
    if not note.strip():
        raise InputError("An override needs a note saying why: --note TEXT.")
    if days < 1:
        raise InputError(f"--days {days} is invalid; give 1 or more.")
    start = today or date.today()
    with store.session() as session:
        _clear(session, account_id)
        row = HealthOverride(
            account_id=account_id,
            score=score,
            note=note.strip(),
            author=author,
            created_on=start,
            expires_on=start + timedelta(days=days),
            cleared=False,
        )
        session.add(row)
        session.flush()
        return _active(row)


def clear_override(store: Store, account_id: str) -> int:
    """End the account's override now; return how many were cleared."""
    with store.session() as session:
        return _clear(session, account_id)


def _clear(session, account_id: str) -> int:  # noqa: ANN001 - SQLAlchemy session
    rows = session.scalars(
        select(HealthOverride).where(
            HealthOverride.account_id == account_id, HealthOverride.cleared.is_(False)
        )
    ).all()
    for row in rows:
        row.cleared = True
    return len(rows)


def active_overrides(
    session,
    as_of: date,
    account_ids: list[str] | None = None,  # noqa: ANN001
) -> dict[str, ActiveOverride]:
    """Return the override in force on `as_of` for each account that has one."""
    query = select(HealthOverride).where(
        HealthOverride.cleared.is_(False),
        HealthOverride.created_on <= as_of,
        HealthOverride.expires_on > as_of,
    )
    if account_ids is not None:
        query = query.where(HealthOverride.account_id.in_(account_ids))
    found: dict[str, ActiveOverride] = {}
    # Oldest first, so the newest override of an account is the one kept.
    for row in session.scalars(query.order_by(HealthOverride.created_on, HealthOverride.id)):
        found[row.account_id] = _active(row)
    return found


def _active(row: HealthOverride) -> ActiveOverride:
    return ActiveOverride(
        score=row.score,
        note=row.note,
        author=row.author,
        created_on=row.created_on,
        expires_on=row.expires_on,
        source=f"override {row.id}",
    )
