"""Values passed in and out of the index."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("notes", "tickets", "docs")


@dataclass(frozen=True)
class SourceText:
    """One source to index.

    Attributes:
        source_id: stable id across imports, `<kind>:<row id>`, e.g. `tickets:T-4412`.
        kind: one of KINDS.
        account_id: the owning account; None for docs, which every account shares.
        date: ISO date of the source, or None when the source has none.
        title: a short label to cite (ticket subject, note title, doc title).
        text: the full text; chunked by the index.
        path: the file or table the source was imported from.
    """

    source_id: str
    kind: str
    account_id: str | None
    date: str | None
    title: str
    text: str
    path: str | None = None


@dataclass(frozen=True)
class Hit:
    """One ranked passage and where it came from.

    `start` and `end` are character offsets of the passage inside the source's text.
    `score` ranks the hits of one search and is comparable only within it; `similarity` is
    the cosine similarity to the query when the search embedded it, and `keyword_score` the
    BM25 score when the passage matched a query word.
    """

    source_id: str
    kind: str
    account_id: str | None
    date: str | None
    title: str
    text: str
    score: float
    chunk_index: int
    start: int
    end: int
    path: str | None = None
    similarity: float | None = None
    keyword_score: float | None = None


@dataclass
class IndexStats:
    """Counts from one call that changed the index."""

    sources_added: int = 0
    sources_replaced: int = 0
    sources_unchanged: int = 0
    sources_deleted: int = 0
    chunks_written: int = 0
    skipped_empty: list[str] = field(default_factory=list)
