"""Compare validated rows with the stored ones and write the difference in bulk."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from agent.store.tables import Base

# Ids per `IN (...)` query; well under SQLite's limit of 32,766 bound parameters.
ID_CHUNK = 900


def chunks(items: list[Any], size: int = ID_CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def fetch_columns(
    session: Session, table: type[Base], ids: Iterable[str], columns: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """Load the given columns of the rows with `ids`, keyed by id, in a few chunked queries."""
    names = sorted(set(columns) | {"id"})
    selected = [table.__table__.c[name] for name in names]
    found: dict[str, dict[str, Any]] = {}
    for chunk in chunks(sorted(set(ids))):
        statement = select(*selected).where(table.__table__.c.id.in_(chunk))
        for row in session.execute(statement):
            found[row.id] = dict(row._mapping)
    return found


@dataclass
class WritePlan:
    """Rows to insert and to update, and how many are already stored as they are."""

    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed_ids(self) -> set[str]:
        return {row["id"] for row in self.inserts} | {row["id"] for row in self.updates}


def plan_writes(
    session: Session, table: type[Base], rows: list[dict[str, Any]], columns: set[str]
) -> WritePlan:
    """Sort rows into inserts, updates and unchanged by comparing `columns` with the store.

    Only `columns` (the fields the source provides) are written, so a column that another
    import filled in is left as it is. The `source` column is written but not compared, so
    the same rows imported from another path count as unchanged and keep their first source.
    """
    existing = fetch_columns(session, table, (row["id"] for row in rows), columns)
    compared = columns - {"source"}
    plan = WritePlan()
    for row in rows:
        values = {name: row.get(name) for name in columns | {"id"}}
        stored = existing.get(row["id"])
        if stored is None:
            plan.inserts.append(values)
        elif any(stored[name] != values[name] for name in compared):
            plan.updates.append(values)
        else:
            plan.unchanged += 1
    return plan


def apply_writes(session: Session, table: type[Base], plan: WritePlan) -> None:
    """Run the planned inserts and updates as two bulk statements inside the caller's session."""
    if plan.inserts:
        session.execute(insert(table), plan.inserts)
    if plan.updates:
        session.execute(update(table), plan.updates)
