"""The search index of source chunks: dense vectors in Chroma, keywords in SQLite FTS5.

Chroma runs embedded under CSM_HOME, or as a server named by CSM_CHROMA_URL. Layout: one
collection, COLLECTION, in cosine space, with all-MiniLM-L6-v2 embeddings computed here and
passed to Chroma explicitly (the collection has no embedding function). Chunk ids are
`<source_id>#<chunk_index>`. Chroma metadata values cannot be None, so a missing account_id,
date or path is stored as "" and read back as None. Docs have account_id "" and are shared by
every account.

A source is complete in the index when its chunk 0 is present: chunk 0 is written after the
source's other chunks, so an interrupted upsert leaves a source that the next upsert rewrites.

The keyword index (agent.retrieval.keyword) holds the same chunks and is written after
Chroma in every call. Opening an Index whose keyword file counts other passages than Chroma
rebuilds that file from Chroma's stored text.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError as ChromaNotFoundError

from agent.config import Settings
from agent.errors import ConfigError, CsmError, InputError, RuntimeFailure
from agent.retrieval.chunking import chunk_text, replace_lone_surrogates
from agent.retrieval.embeddings import DIMENSION, Embedder, get_embedder
from agent.retrieval.fusion import DEFAULT_FUSION, FUSIONS
from agent.retrieval.keyword import KeywordIndex, KeywordRow, batched
from agent.retrieval.onnx_export import MODEL_NAME
from agent.retrieval.types import KINDS, Hit, IndexStats, SourceText

log = logging.getLogger(__name__)

COLLECTION = "csm_passages"
SOURCE_GROUP = 64  # sources whose stored state is read in one Chroma call
WRITE_BATCH = 256  # chunks embedded and written per Chroma call, if Chroma's max allows
ID_PAGE = 5000  # ids read per Chroma call when listing
SEARCH_MODES = ("hybrid", "dense", "keyword")
# Candidates each retriever hands to the fusion; a passage below this depth in both lists
# cannot reach the top k of a hybrid search.
FUSION_DEPTH = 40
CHROMA_PORT = 8000  # `chroma run`'s default port


class Index:
    """The chunk index under `settings.index_dir`.

    Opening creates the collection when it is missing. The embedding model is loaded on the
    first call that embeds, so `count` and `source_ids` never load it.

    Raises:
        CsmError: the collection was built with another embedding model or distance space.
    """

    def __init__(self, settings: Settings, embedder: Embedder | None = None):
        self.settings = settings
        self._embedder = embedder
        model_name = embedder.model_name if embedder else MODEL_NAME
        dimension = embedder.dimension if embedder else DIMENSION

        self._client = open_client(settings)
        try:
            self._collection = self._client.get_or_create_collection(
                COLLECTION,
                embedding_function=None,
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"embedding_model": model_name, "embedding_dimension": dimension},
            )
            _check_collection(self._collection, model_name, dimension, settings)
            self._write_batch = min(WRITE_BATCH, self._client.get_max_batch_size())
            self._keyword = KeywordIndex(keyword_path(settings))
        except BaseException:
            self._client.close()
            raise
        if self._keyword.count() != self._collection.count():
            log.info("the keyword index disagrees with Chroma; rebuilding it from Chroma")
            self._rebuild_keyword()

    @property
    def embedder(self) -> Embedder:
        """The process's Embedder, loaded on first use."""
        if self._embedder is None:
            self._embedder = get_embedder(self.settings)
        return self._embedder

    def upsert(self, sources: Iterable[SourceText]) -> IndexStats:
        """Add new sources, replace changed ones and skip unchanged ones.

        A source is unchanged when the sha256 of its text and its citation fields (kind,
        account_id, date, title, path) equal the stored ones. A source with empty or
        whitespace-only text is listed in `skipped_empty`. Its old chunks, if any, are deleted,
        so the index never serves text the source no longer has. When one call repeats a
        source_id, the last occurrence wins.

        Raises:
            InputError: a source has an empty source_id or an unknown kind.
        """
        latest: dict[str, SourceText] = {}
        for source in sources:
            _validate_source(source)
            latest[source.source_id] = source

        stats = IndexStats()
        for group in batched(list(latest.values()), SOURCE_GROUP):
            self._upsert_group(group, stats)
        log.debug("index upsert: %s", stats)
        return stats

    def delete(self, source_ids: Iterable[str]) -> int:
        """Delete every chunk of the given sources; returns how many of them were indexed."""
        deleted = 0
        for group in batched(sorted(set(source_ids)), SOURCE_GROUP):
            where = {"source_id": {"$in": group}}
            present = {_source_of(chunk_id) for chunk_id in self._ids(where)}
            if present:
                self._collection.delete(where=where)
                self._keyword.delete_sources(present)
            deleted += len(present)
        return deleted

    def search(
        self,
        query: str,
        k: int = 5,
        account_id: str | None = None,
        kind: str | None = None,
        mode: str = "hybrid",
        fusion: str = DEFAULT_FUSION,
    ) -> list[Hit]:
        """Return up to `k` chunks that best match `query`, best first.

        Args:
            query: the text to search for.
            k: the maximum number of hits.
            account_id: when given, only that account's chunks and the shared docs.
            kind: when given, only chunks of that kind.
            mode: `dense` ranks by cosine similarity of the embeddings, `keyword` by BM25,
                `hybrid` by fusing the two rankings with the rule named by `fusion`.
            fusion: a key of agent.retrieval.fusion.FUSIONS.

        Returns:
            Hits whose `score` is the mode's ranking score; `similarity` is set whenever the
            query was embedded, `keyword_score` for chunks that matched a query word.

        Raises:
            InputError: the query is empty, k is below 1, account_id is "", or kind, mode or
                fusion is unknown.
        """
        if not query.strip():
            raise InputError("The search query is empty. Pass some words to search for.")
        if k < 1:
            raise InputError(f"The number of results must be at least 1, got {k}.")
        if account_id == "":
            raise InputError("account_id is empty. Pass None to search every account.")
        _validate_kind(kind)
        if mode not in SEARCH_MODES:
            raise InputError(f"Unknown search mode {mode!r}; use one of {', '.join(SEARCH_MODES)}.")
        if fusion not in FUSIONS:
            raise InputError(f"Unknown fusion rule {fusion!r}; use one of {', '.join(FUSIONS)}.")

        total = self._collection.count()
        if total == 0:
            return []
        depth = k if mode != "hybrid" else max(k, FUSION_DEPTH)
        vector: list[float] | None = None
        dense: dict[str, float] = {}
        if mode != "keyword":
            vector = self.embedder.embed_query(query)
            result = self._collection.query(
                query_embeddings=[vector],
                n_results=min(depth, total),
                where=_search_filter(account_id, kind),
                include=["distances"],
            )
            dense = {
                chunk_id: 1.0 - float(distance)
                for chunk_id, distance in zip(result["ids"][0], result["distances"][0], strict=True)
            }
        keyword: dict[str, float] = {}
        if mode != "dense":
            keyword = dict(self._keyword.search(query, depth, account_id, kind))

        if mode != "hybrid":
            scores = dense or keyword
            top = sorted(scores, key=scores.__getitem__, reverse=True)[:k]
            return self._hits(top, scores, dense, keyword)

        # Cosine similarity of the keyword-only candidates, so that every hybrid hit carries
        # one and a score-based fusion compares like with like.
        dense.update(self._similarities([c for c in keyword if c not in dense], vector))
        rule = FUSIONS[fusion]
        # Sources are fused on their best passage in each list: the dense and the keyword
        # match of a long page are often different passages, and both count for the page.
        by_source = rule(_best_per_source(dense), _best_per_source(keyword))
        passage: dict[str, str] = {}
        chunk_scores = rule(dense, keyword)
        for chunk_id in sorted(chunk_scores, key=chunk_scores.__getitem__, reverse=True):
            passage.setdefault(_source_of(chunk_id), chunk_id)
        sources = sorted(by_source, key=by_source.__getitem__, reverse=True)[:k]
        scores = {passage[source]: by_source[source] for source in sources}
        return self._hits(list(scores), scores, dense, keyword)

    def _similarities(self, chunk_ids: list[str], vector: list[float] | None) -> dict[str, float]:
        if not chunk_ids or vector is None:
            return {}
        stored = self._collection.get(ids=chunk_ids, include=["embeddings"])
        return {
            chunk_id: float(np.dot(embedding, vector))
            for chunk_id, embedding in zip(stored["ids"], stored["embeddings"], strict=True)
        }

    def _hits(
        self,
        chunk_ids: list[str],
        scores: dict[str, float],
        dense: dict[str, float],
        keyword: dict[str, float],
    ) -> list[Hit]:
        """Build the hits for `chunk_ids` in that order, with their text from Chroma."""
        if not chunk_ids:
            return []
        stored = self._collection.get(ids=chunk_ids, include=["documents", "metadatas"])
        rows = {
            chunk_id: (document, metadata)
            for chunk_id, document, metadata in zip(
                stored["ids"], stored["documents"], stored["metadatas"], strict=True
            )
        }
        return [
            _hit(
                *rows[chunk_id],
                score=scores[chunk_id],
                similarity=dense.get(chunk_id),
                keyword_score=keyword.get(chunk_id),
            )
            for chunk_id in chunk_ids
            if chunk_id in rows
        ]

    def first_chunks(self, source_ids: Iterable[str], account_id: str | None = None) -> list[Hit]:
        """Return the first chunk of each given source that exists, with score 1.0.

        Used for exact lookups by id. With `account_id`, only that account's sources and the
        shared docs are returned, as in `search`.
        """
        wanted = list(dict.fromkeys(source_ids))
        if not wanted:
            return []
        conditions: list[dict[str, Any]] = [
            {"source_id": {"$in": wanted}},
            {"chunk_index": 0},
        ]
        scope = _search_filter(account_id, None)
        if scope is not None:
            conditions.append(scope)
        result = self._collection.get(
            where={"$and": conditions}, include=["documents", "metadatas"]
        )
        hits = [
            _hit(document, metadata, score=1.0)
            for document, metadata in zip(result["documents"], result["metadatas"], strict=True)
        ]
        order = {source_id: rank for rank, source_id in enumerate(wanted)}
        return sorted(hits, key=lambda hit: order[hit.source_id])

    def drift(self, sources: Iterable[SourceText]) -> dict[str, list[str]]:
        """Compare the index with the sources it should hold.

        Returns:
            `missing`: sources not in the index; `stale`: indexed with other text or
            citation fields; `orphaned`: in the index but not among `sources`.
        """
        expected = {source.source_id: source for source in sources}
        ids = list(expected)
        heads: dict[str, dict[str, Any]] = {}
        for group in batched(ids, 500):
            heads.update(self._stored_heads(group))
        missing = sorted(source_id for source_id in ids if source_id not in heads)
        stale = sorted(
            source_id
            for source_id, head in heads.items()
            if any(
                head.get(key) != value for key, value in _source_fields(expected[source_id]).items()
            )
        )
        orphaned = sorted(self.source_ids() - set(expected))
        return {"missing": missing, "stale": stale, "orphaned": orphaned}

    def count(self, kind: str | None = None) -> int:
        """Return the number of chunks, of one kind or of all."""
        _validate_kind(kind)
        if kind is None:
            return self._collection.count()
        return sum(1 for _ in self._ids({"kind": kind}))

    def source_ids(self, kind: str | None = None) -> set[str]:
        """Return the ids of the sources that have chunks, of one kind or of all."""
        _validate_kind(kind)
        where = {"kind": kind} if kind else None
        return {_source_of(chunk_id) for chunk_id in self._ids(where)}

    def close(self) -> None:
        """Release the Chroma client and the keyword file; the Index is unusable afterwards."""
        self._keyword.close()
        self._client.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _upsert_group(self, group: list[SourceText], stats: IndexStats) -> None:
        heads = self._stored_heads([source.source_id for source in group])
        stale: list[str] = []
        changed: list[tuple[SourceText, dict[str, Any]]] = []
        for source in group:
            head = heads.get(source.source_id)
            if not source.text.strip():
                stats.skipped_empty.append(source.source_id)
                stale.append(source.source_id)
                if head is not None:
                    stats.sources_deleted += 1
                continue
            fields = _source_fields(source)
            if head is not None and all(head.get(name) == fields[name] for name in fields):
                stats.sources_unchanged += 1
                continue
            # Deleting first also removes chunks that an interrupted upsert left behind.
            stale.append(source.source_id)
            changed.append((source, fields))
            if head is None:
                stats.sources_added += 1
            else:
                stats.sources_replaced += 1

        if stale:
            self._collection.delete(where={"source_id": {"$in": stale}})
            self._keyword.delete_sources(stale)
        stats.chunks_written += self._write_chunks(changed)

    def _write_chunks(self, changed: list[tuple[SourceText, dict[str, Any]]]) -> int:
        rest: list[tuple[str, str, dict[str, Any]]] = []
        firsts: list[tuple[str, str, dict[str, Any]]] = []
        for source, fields in changed:
            for chunk in chunk_text(source.text):
                metadata = {
                    **fields,
                    "source_id": source.source_id,
                    "chunk_index": chunk.index,
                    "start": chunk.start,
                    "end": chunk.end,
                }
                record = (f"{source.source_id}#{chunk.index}", chunk.text, metadata)
                if chunk.index == 0:
                    firsts.append(record)
                else:
                    rest.append(record)

        records = rest + firsts  # every chunk 0 last; see the module docstring
        for batch in batched(records, self._write_batch):
            ids, texts, metadatas = zip(*batch, strict=True)
            documents = [replace_lone_surrogates(text) for text in texts]
            self._collection.upsert(
                ids=list(ids),
                embeddings=self.embedder.embed_documents(documents),
                documents=documents,
                metadatas=list(metadatas),
            )
            self._keyword.add(
                _keyword_row(chunk_id, document, metadata)
                for chunk_id, document, metadata in zip(ids, documents, metadatas, strict=True)
            )
        return len(records)

    def _rebuild_keyword(self) -> None:
        """Fill the keyword index from the text and metadata that Chroma stores."""
        self._keyword.clear()
        offset = 0
        while True:
            page = self._collection.get(
                include=["documents", "metadatas"], limit=ID_PAGE, offset=offset
            )
            self._keyword.add(
                _keyword_row(chunk_id, document, metadata)
                for chunk_id, document, metadata in zip(
                    page["ids"], page["documents"], page["metadatas"], strict=True
                )
            )
            if len(page["ids"]) < ID_PAGE:
                return
            offset += ID_PAGE

    def _stored_heads(self, source_ids: list[str]) -> dict[str, dict[str, Any]]:
        """Return the metadata of chunk 0 of each given source that is complete in the index."""
        result = self._collection.get(
            ids=[f"{source_id}#0" for source_id in source_ids], include=["metadatas"]
        )
        return {
            _source_of(chunk_id): dict(metadata)
            for chunk_id, metadata in zip(result["ids"], result["metadatas"], strict=True)
        }

    def _ids(self, where: dict[str, Any] | None) -> Iterator[str]:
        offset = 0
        while True:
            page = self._collection.get(where=where, include=[], limit=ID_PAGE, offset=offset)
            yield from page["ids"]
            if len(page["ids"]) < ID_PAGE:
                return
            offset += ID_PAGE


def index_location(settings: Settings) -> str:
    """Name where the index lives, for messages: the Chroma server's URL (without any
    password) or the folder."""
    if settings.chroma_url is None:
        return str(settings.index_dir)
    parts = urlsplit(settings.chroma_url)
    if parts.password is None:
        return settings.chroma_url
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"{parts.username}:***@{host}").geturl()


def keyword_path(settings: Settings) -> Path:
    """The keyword index file: one per Chroma server, kept under the home folder either way."""
    if settings.chroma_url is None:
        return settings.index_dir / "keyword.sqlite3"
    digest = hashlib.sha256(settings.chroma_url.encode()).hexdigest()[:12]
    return settings.index_dir / f"keyword-{digest}.sqlite3"


def open_client(settings: Settings) -> chromadb.ClientAPI:
    """Open the Chroma client, with telemetry off: the server at CSM_CHROMA_URL if set, else
    the embedded store under `settings.index_dir`.

    Raises:
        ConfigError: CSM_CHROMA_URL is not an http(s) URL with a host.
        RuntimeFailure: the Chroma server does not answer.
    """
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    if settings.chroma_url is None:
        return chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)

    url = settings.chroma_url
    shown = index_location(settings)
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or port == -1
        or parts.path not in ("", "/")
        or parts.query
    ):
        raise ConfigError(
            f"CSM_CHROMA_URL={shown!r} is not a Chroma server URL. Write it as "
            "http://HOST:PORT (e.g. http://127.0.0.1:8000), or unset it to keep the index "
            "under CSM_HOME."
        )
    try:
        return chromadb.HttpClient(
            host=parts.hostname,
            port=port or CHROMA_PORT,
            ssl=parts.scheme == "https",
            settings=chroma_settings,
        )
    except Exception as error:  # chromadb raises ValueError, or its own errors, when down
        raise RuntimeFailure(
            f"The Chroma server at {shown} is not responding ({error}). Start it (`chroma run "
            "--path DIR --host HOST --port PORT`), or unset CSM_CHROMA_URL to use the index "
            "under CSM_HOME."
        ) from error


def drop_index(settings: Settings) -> bool:
    """Delete the index collection and keyword file, whatever model built them; returns
    whether a collection existed.

    This is the first step of a rebuild: the next `Index(settings)` starts empty.
    """
    keyword_path(settings).unlink(missing_ok=True)
    if settings.chroma_url is None and not settings.index_dir.exists():
        return False
    client = open_client(settings)
    try:
        client.delete_collection(COLLECTION)
    except ChromaNotFoundError:
        return False
    finally:
        client.close()
    return True


def _check_collection(collection: Any, model_name: str, dimension: int, settings: Settings) -> None:
    metadata = collection.metadata or {}
    stored_model = metadata.get("embedding_model")
    stored_dimension = metadata.get("embedding_dimension")
    if (stored_model, stored_dimension) != (model_name, dimension):
        built_with = (
            f"embedding model {stored_model!r} ({stored_dimension} dimensions)"
            if stored_model
            else "no recorded embedding model"
        )
        raise CsmError(
            f"The index at {index_location(settings)} was built with {built_with}, but csm now "
            f"embeds with {model_name!r} ({dimension} dimensions). "
            f"Run `csm index rebuild` to embed every source again with {model_name!r}."
        )

    # configuration_json, because `configuration` warns about collections without an
    # embedding function.
    space = ((collection.configuration_json or {}).get("hnsw") or {}).get("space")
    if space != "cosine":
        raise CsmError(
            f"The index at {index_location(settings)} uses distance {space!r}, but csm needs "
            f"'cosine'. Run `csm index rebuild` to create it again."
        )


def _validate_source(source: SourceText) -> None:
    if not source.source_id:
        raise InputError(f"A source titled {source.title!r} has an empty source_id.")
    if source.kind not in KINDS:
        raise InputError(
            f"Source {source.source_id!r} has kind {source.kind!r}; "
            f"expected one of {', '.join(KINDS)}."
        )


def _validate_kind(kind: str | None) -> None:
    if kind is not None and kind not in KINDS:
        raise InputError(f"Unknown kind {kind!r}; expected one of {', '.join(KINDS)}.")


def _source_fields(source: SourceText) -> dict[str, Any]:
    """Return the metadata shared by every chunk of a source, with None stored as ""."""
    text_bytes = source.text.encode("utf-8", "surrogatepass")
    return {
        "kind": source.kind,
        "account_id": source.account_id or "",
        "date": source.date or "",
        "title": source.title,
        "path": source.path or "",
        "content_hash": hashlib.sha256(text_bytes).hexdigest(),
    }


def _search_filter(account_id: str | None, kind: str | None) -> dict[str, Any] | None:
    """Build the Chroma `where` filter: docs are visible to every account."""
    if kind == "docs":
        return {"kind": "docs"}
    if account_id is None:
        return {"kind": kind} if kind else None
    if kind is not None:
        return {"$and": [{"kind": kind}, {"account_id": account_id}]}
    return {"$or": [{"account_id": account_id}, {"kind": "docs"}]}


def _keyword_row(chunk_id: str, document: str, metadata: dict[str, Any]) -> KeywordRow:
    row_id = metadata["source_id"].partition(":")[2]
    return KeywordRow(
        chunk_id=chunk_id,
        source_id=metadata["source_id"],
        kind=metadata["kind"],
        account_id=metadata["account_id"],
        title=f"{row_id} {metadata['title']}",
        text=document,
    )


def _hit(
    document: str,
    metadata: dict[str, Any],
    score: float,
    similarity: float | None = None,
    keyword_score: float | None = None,
) -> Hit:
    return Hit(
        source_id=metadata["source_id"],
        kind=metadata["kind"],
        account_id=metadata["account_id"] or None,
        date=metadata["date"] or None,
        title=metadata["title"],
        text=document,
        score=score,
        similarity=similarity,
        keyword_score=keyword_score,
        chunk_index=int(metadata["chunk_index"]),
        start=int(metadata["start"]),
        end=int(metadata["end"]),
        path=metadata["path"] or None,
    )


def _best_per_source(scores: dict[str, float]) -> dict[str, float]:
    """Return each source's best passage score."""
    best: dict[str, float] = {}
    for chunk_id, score in scores.items():
        source = _source_of(chunk_id)
        best[source] = max(score, best.get(source, score))
    return best


def _source_of(chunk_id: str) -> str:
    return chunk_id.rsplit("#", 1)[0]
