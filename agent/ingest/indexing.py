"""Hand stored notes, tickets and docs to the search index, which the store can always rebuild."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from agent.config import Settings
from agent.errors import RuntimeFailure
from agent.retrieval.types import IndexStats, SourceText
from agent.store.db import Store
from agent.store.tables import Doc, Note, Ticket

log = logging.getLogger(__name__)

INDEXED_TABLES = {"notes": Note, "tickets": Ticket, "docs": Doc}


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def source_text(kind: str, values: dict[str, Any]) -> SourceText | None:
    """Build the index source of one stored row, or None when the row has no text to search.

    Args:
        kind: notes, tickets or docs.
        values: the row's column values, as stored.
    """
    row_id = values["id"]
    if kind == "tickets":
        title = values.get("subject") or f"Ticket {row_id}"
        when = _iso(values.get("submitted_at"))
        text = values.get("body") or ""
    elif kind == "notes":
        title = values.get("title") or f"Note {row_id}"
        when = _iso(values.get("note_date"))
        text = values.get("body") or ""
    else:
        title = values.get("title") or row_id
        when = _iso(values.get("updated"))
        description = values.get("description")
        body = values.get("body") or ""
        text = f"{description}\n\n{body}" if description else body
    if not text.strip():
        return None
    return SourceText(
        source_id=f"{kind}:{row_id}",
        kind=kind,
        account_id=values.get("account_id"),
        date=when,
        title=title,
        text=text,
        path=values.get("source"),
    )


def index_rows(
    settings: Settings, kind: str, rows: Iterable[dict[str, Any]], updated_ids: set[str]
) -> dict[str, Any]:
    """Upsert the text of rows just written to the store into the index.

    An updated row whose text is now empty has its old passages deleted, so search never
    returns text the store no longer has.

    Args:
        settings: where the index lives.
        kind: notes, tickets or docs.
        rows: column values, as stored, of the rows just inserted or updated.
        updated_ids: ids among `rows` that were updated rather than inserted.

    Returns:
        The index counts (sources_added, sources_replaced, ...) as a dict; empty when there
        was nothing to hand to the index.

    Raises:
        RuntimeFailure: the index failed; the rows are already in the store, so rebuilding
            the index afterwards puts them in.
    """
    from agent.retrieval import open_index

    sources: list[SourceText] = []
    removed: list[str] = []
    for row in rows:
        source = source_text(kind, row)
        if source is not None:
            sources.append(source)
        elif row["id"] in updated_ids:
            removed.append(f"{kind}:{row['id']}")
    if not sources and not removed:
        return {}
    try:
        with open_index(settings) as index:
            stats = index.upsert(sources) if sources else IndexStats()
            if removed:
                stats.sources_deleted += index.delete(removed)
    except Exception as error:
        # Any failure inside Chroma or the embedding model lands here. The store has already
        # committed, so the message names the command that brings the index level with it.
        log.exception("indexing %d %s sources failed", len(sources), kind)
        raise RuntimeFailure(
            f"The {kind} were stored, but indexing them for search failed: {error}. "
            "Run `csm index rebuild` to index the store again."
        ) from error
    return asdict(stats)


def sources_from_store(store: Store) -> list[SourceText]:
    """Build the index sources of every stored note, ticket with text, and doc."""
    sources: list[SourceText] = []
    with store.session() as session:
        for kind, table in INDEXED_TABLES.items():
            columns = table.__table__.columns
            for row in session.execute(select(*columns)):
                source = source_text(kind, dict(row._mapping))
                if source is not None:
                    sources.append(source)
    return sources


def reindex_all(settings: Settings, store: Store) -> IndexStats:
    """Upsert every note, ticket with text, and doc in the store into the index.

    Unchanged sources are skipped by the index. Sources that are in the index but no longer
    in the store are not removed here, so a full rebuild drops the index first.
    """
    from agent.retrieval import open_index

    sources = sources_from_store(store)
    with open_index(settings) as index:
        return index.upsert(sources)
