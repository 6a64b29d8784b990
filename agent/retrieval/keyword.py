"""Keyword search (BM25) over the passages that the Chroma index holds, in SQLite FTS5.

Chroma's embedded store has no ranked keyword search (its sparse vectors run only in Chroma
Cloud), so the keyword side lives in its own SQLite file beside the index. It holds the same
chunk ids and text as the Chroma collection and is written by the same `Index` calls. When
the two disagree on the number of passages, `Index` rebuilds this file from Chroma's stored
text, which needs no embedding.

Layout: `chunks` maps each FTS rowid to its chunk id, source id, kind and account id, with an
index on source id so that replacing a source does not scan the table; `passages` is the FTS5
table of title and text under the same rowids.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

# The Porter stemmer over Unicode word tokens: "exports", "exported" and "exporting" meet,
# and accents are ignored. Changing it changes what a stored file means, so it is versioned.
TOKENIZER = "porter unicode61 remove_diacritics 2"
LAYOUT_VERSION = "2"
# BM25 weight of a match in the title against one in the text.
TITLE_WEIGHT = 2.0
_DELETE_GROUP = 500  # source ids per DELETE statement, under SQLite's variable limit

# Words too common to rank by; a query made only of them searches with them anyway.
STOPWORDS = frozenset(
    "a about an and any are as at be been but by can could did do does for from had has "  # noqa: SIM905
    "have how i if in into is it its me my no not of on or our should so that the their "
    "them then there these they this to us was we were what when where which who why will "
    "with would you your".split()
)
_WORD = re.compile(r"[^\W_]+")
# Ids written with hyphens, such as MW-1207 or CFPB-3384392: also matched as a phrase.
_HYPHENATED = re.compile(r"[^\W_]+(?:-[^\W_]+)+")


@dataclass(frozen=True)
class KeywordRow:
    """One passage as the keyword index stores it.

    `title` is what the title column matches: Index puts the source's row id in front of its
    title, so that "ticket MW-1207" finds the ticket whose text never names its own id.
    """

    chunk_id: str
    source_id: str
    kind: str
    account_id: str  # "" for docs, as in Chroma's metadata
    title: str
    text: str


def match_expression(query: str) -> str | None:
    """Turn free text into an FTS5 query: any of its words, plus its hyphenated ids as phrases.

    Every term is quoted, so punctuation in the query is never read as FTS5 syntax. Returns
    None when the query has no word characters.
    """
    words = [word.casefold() for word in _WORD.findall(query)]
    if not words:
        return None
    kept = [word for word in words if word not in STOPWORDS] or words
    terms = [f'"{word}"' for word in dict.fromkeys(kept)]
    for token in _HYPHENATED.findall(query):
        terms.append('"' + " ".join(_WORD.findall(token.casefold())) + '"')
    return " OR ".join(terms)


class KeywordIndex:
    """The FTS5 file at `path`, created on first open."""

    def __init__(self, path: Path):
        self.path = path
        self._db = sqlite3.connect(path)
        try:
            self._create()
        except BaseException:
            self._db.close()
            raise

    def _create(self) -> None:
        with self._db:
            self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            stored = self._db.execute("SELECT value FROM meta WHERE key = 'layout'").fetchone()
            if stored is not None and stored[0] != f"{LAYOUT_VERSION}/{TOKENIZER}":
                self._db.execute("DROP TABLE IF EXISTS passages")
                self._db.execute("DROP TABLE IF EXISTS chunks")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS chunks (rowid INTEGER PRIMARY KEY, "
                "chunk_id TEXT NOT NULL UNIQUE, source_id TEXT NOT NULL, kind TEXT NOT NULL, "
                "account_id TEXT NOT NULL)"
            )
            self._db.execute("CREATE INDEX IF NOT EXISTS chunks_source ON chunks (source_id)")
            self._db.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS passages USING fts5("
                f"title, text, tokenize = '{TOKENIZER}')"
            )
            self._db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('layout', ?)",
                (f"{LAYOUT_VERSION}/{TOKENIZER}",),
            )

    def add(self, rows: Iterable[KeywordRow]) -> None:
        """Store passages, replacing any stored under the same chunk ids."""
        with self._db:
            for row in rows:
                self._delete_where("chunk_id = ?", [row.chunk_id])
                cursor = self._db.execute(
                    "INSERT INTO chunks (chunk_id, source_id, kind, account_id) "
                    "VALUES (?, ?, ?, ?)",
                    (row.chunk_id, row.source_id, row.kind, row.account_id),
                )
                self._db.execute(
                    "INSERT INTO passages (rowid, title, text) VALUES (?, ?, ?)",
                    (cursor.lastrowid, row.title, row.text),
                )

    def delete_sources(self, source_ids: Iterable[str]) -> None:
        """Delete every passage of the given sources."""
        with self._db:
            for group in batched(list(source_ids), _DELETE_GROUP):
                marks = ", ".join("?" * len(group))
                self._delete_where(f"source_id IN ({marks})", group)

    def clear(self) -> None:
        """Delete every passage."""
        with self._db:
            self._db.execute("DELETE FROM passages")
            self._db.execute("DELETE FROM chunks")

    def search(
        self, query: str, limit: int, account_id: str | None, kind: str | None
    ) -> list[tuple[str, float]]:
        """Return up to `limit` (chunk id, BM25 score) pairs, best first; higher is better.

        The scope follows the dense search: with `account_id`, that account's passages and
        the shared docs; `kind="docs"` means docs only, whatever the account.
        """
        expression = match_expression(query)
        if expression is None:
            return []
        conditions, values = ["passages MATCH ?"], [expression]
        if kind == "docs":
            conditions.append("chunks.kind = 'docs'")
        elif account_id is not None and kind is not None:
            conditions.append("chunks.kind = ? AND chunks.account_id = ?")
            values += [kind, account_id]
        elif account_id is not None:
            conditions.append("(chunks.account_id = ? OR chunks.kind = 'docs')")
            values.append(account_id)
        elif kind is not None:
            conditions.append("chunks.kind = ?")
            values.append(kind)
        # bm25() is lower for better matches; negated so that every score reads higher-better.
        sql = (
            f"SELECT chunks.chunk_id, -bm25(passages, {TITLE_WEIGHT}, 1.0) AS score "
            "FROM passages JOIN chunks ON chunks.rowid = passages.rowid "
            f"WHERE {' AND '.join(conditions)} ORDER BY score DESC LIMIT ?"
        )
        with closing(self._db.execute(sql, [*values, limit])) as cursor:
            return [(chunk_id, float(score)) for chunk_id, score in cursor]

    def count(self) -> int:
        return self._db.execute("SELECT count(*) FROM chunks").fetchone()[0]

    def chunk_ids(self) -> set[str]:
        return {row[0] for row in self._db.execute("SELECT chunk_id FROM chunks")}

    def close(self) -> None:
        self._db.close()

    def _delete_where(self, condition: str, values: Sequence[str]) -> None:
        rowids = [
            (rowid,)
            for (rowid,) in self._db.execute(f"SELECT rowid FROM chunks WHERE {condition}", values)
        ]
        if rowids:
            self._db.executemany("DELETE FROM passages WHERE rowid = ?", rowids)
            self._db.executemany("DELETE FROM chunks WHERE rowid = ?", rowids)


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Yield lists of up to `size` items, in order."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
