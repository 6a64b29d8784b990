"""Tests for the search index with the real embedding model.

Every test runs twice: on the embedded Chroma store and on a real `chroma run` server on
127.0.0.1 (CSM_CHROMA_URL). The keyword side is SQLite FTS5 in both.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.config import Settings, load_settings
from agent.errors import CsmError, InputError
from agent.retrieval import open_index
from agent.retrieval.chunking import chunk_text
from agent.retrieval.index import (
    COLLECTION,
    Index,
    drop_index,
    index_location,
    keyword_path,
    open_client,
)
from agent.retrieval.types import SourceText

ACME_NOTE = SourceText(
    source_id="notes:N-1",
    kind="notes",
    account_id="acme",
    date="2026-03-02",
    title="QBR with Acme",
    text=(
        "Acme's admin said the SSO rollout is blocked because their Okta group sync fails.\n\n"
        "They plan to renew in June if the sync works by then."
    ),
    path="notes/acme.md",
)
GLOBEX_TICKET = SourceText(
    source_id="tickets:T-9",
    kind="tickets",
    account_id="globex",
    date="2026-02-11",
    title="Invoices sent twice",
    text="Globex was billed twice for February. Finance wants a refund of the duplicate invoice.",
)
EXPORT_DOC = SourceText(
    source_id="docs:export",
    kind="docs",
    account_id=None,
    date=None,
    title="Exporting models",
    text="To export your model as a GLB file, open the File menu and choose Export.",
    path="docs/export.md",
)


def long_text(topic: str, sentences: int = 60) -> str:
    return " ".join(f"Sentence {i} of the {topic} report covers usage." for i in range(sentences))


@pytest.fixture
def settings(index_backend: str, tmp_path: Path) -> Settings:
    """The test's settings, on the backend that `index_backend` selected."""
    result = load_settings()
    result.home.mkdir(parents=True, exist_ok=True)
    return result


@pytest.fixture
def index(settings: Settings) -> Iterator[Index]:
    with Index(settings) as opened:
        yield opened


def test_search_finds_passage_with_citation(index: Index) -> None:
    index.upsert([ACME_NOTE, GLOBEX_TICKET, EXPORT_DOC])

    hits = index.search("Okta group sync is failing", k=1)

    hit = hits[0]
    assert hit.source_id == "notes:N-1"
    assert hit.kind == "notes"
    assert hit.account_id == "acme"
    assert hit.date == "2026-03-02"
    assert hit.title == "QBR with Acme"
    assert hit.path == "notes/acme.md"
    assert hit.chunk_index == 0
    assert ACME_NOTE.text[hit.start : hit.end] == hit.text
    assert 0 < hit.score <= 1


def test_docs_hit_has_no_account(index: Index) -> None:
    index.upsert([EXPORT_DOC])

    hit = index.search("export as GLB")[0]

    assert hit.account_id is None
    assert hit.date is None


def test_long_source_offsets_round_trip(index: Index) -> None:
    source = SourceText("notes:long", "notes", "acme", None, "Long", long_text("adoption"))

    stats = index.upsert([source])
    hits = index.search("Sentence 41 of the adoption report", k=50, mode="dense")

    assert stats.chunks_written == len(chunk_text(source.text)) > 1
    assert len(hits) == stats.chunks_written
    for hit in hits:
        assert source.text[hit.start : hit.end] == hit.text


def test_first_upsert_reports_added(index: Index) -> None:
    stats = index.upsert([ACME_NOTE, GLOBEX_TICKET])

    assert stats.sources_added == 2
    assert stats.sources_replaced == 0
    assert stats.chunks_written == 2
    assert index.count() == 2


def test_identical_upsert_is_unchanged(index: Index) -> None:
    index.upsert([ACME_NOTE, GLOBEX_TICKET, EXPORT_DOC])

    stats = index.upsert([ACME_NOTE, GLOBEX_TICKET, EXPORT_DOC])

    assert stats.sources_unchanged == 3
    assert stats.sources_added == 0
    assert stats.sources_replaced == 0
    assert stats.chunks_written == 0
    assert index.count() == 3


def test_changed_source_replaces_chunks(index: Index) -> None:
    old = SourceText("notes:N-2", "notes", "acme", None, "Plan", long_text("migration", 80))
    index.upsert([old])
    old_chunks = index.count()
    new = SourceText("notes:N-2", "notes", "acme", None, "Plan", "Acme moved to the Pro plan.")

    stats = index.upsert([new])
    hits = index.search("migration report", k=20)

    assert old_chunks > 1
    assert stats.sources_replaced == 1
    assert stats.chunks_written == 1
    assert index.count() == 1
    assert [hit.text for hit in hits] == ["Acme moved to the Pro plan."]


def test_changed_title_replaces_source(index: Index) -> None:
    index.upsert([GLOBEX_TICKET])
    renamed = SourceText(**{**GLOBEX_TICKET.__dict__, "title": "Duplicate invoice"})

    stats = index.upsert([renamed])

    assert stats.sources_replaced == 1
    assert index.search("billed twice")[0].title == "Duplicate invoice"


def test_empty_text_skipped_and_listed(index: Index) -> None:
    blank = SourceText("tickets:T-0", "tickets", "acme", None, "Blank", "  \n ")

    stats = index.upsert([blank, ACME_NOTE])

    assert stats.skipped_empty == ["tickets:T-0"]
    assert stats.sources_added == 1
    assert index.source_ids() == {"notes:N-1"}


def test_emptied_source_removes_old_chunks(index: Index) -> None:
    index.upsert([ACME_NOTE])
    emptied = SourceText(**{**ACME_NOTE.__dict__, "text": ""})

    stats = index.upsert([emptied])

    assert stats.skipped_empty == ["notes:N-1"]
    assert stats.sources_deleted == 1
    assert index.count() == 0


def test_repeated_source_id_keeps_last(index: Index) -> None:
    first = SourceText("notes:dup", "notes", "acme", None, "Dup", "First version of the note.")
    second = SourceText("notes:dup", "notes", "acme", None, "Dup", "Second version of the note.")

    stats = index.upsert([first, second])

    assert stats.sources_added == 1
    assert [hit.text for hit in index.search("version of the note")] == [second.text]


def test_interrupted_upsert_is_repaired(index: Index) -> None:
    source = SourceText("notes:big", "notes", "acme", None, "Big", long_text("renewal"))
    written = index.upsert([source]).chunks_written
    # An upsert that stopped before chunk 0 leaves the other chunks without it.
    index._collection.delete(ids=["notes:big#0"])

    stats = index.upsert([source])

    assert stats.sources_added == 1
    assert stats.chunks_written == written
    assert index.count() == written


def test_delete_removes_source(index: Index) -> None:
    index.upsert([ACME_NOTE, GLOBEX_TICKET])

    deleted = index.delete(["notes:N-1", "notes:missing"])

    assert deleted == 1
    assert index.source_ids() == {"tickets:T-9"}
    assert all(hit.source_id != "notes:N-1" for hit in index.search("Okta sync", k=10))


@pytest.mark.parametrize("mode", ["dense", "keyword", "hybrid"])
def test_account_filter_excludes_near_duplicates(index: Index, mode: str) -> None:
    text = "The customer reported that exports to CSV time out after 30 seconds."
    acme = SourceText("tickets:A-1", "tickets", "acme", None, "CSV export", text)
    globex = SourceText("tickets:G-1", "tickets", "globex", None, "CSV export", text + " ")
    index.upsert([acme, globex, EXPORT_DOC])

    hits = index.search("CSV exports time out", k=10, account_id="acme", mode=mode)

    assert "tickets:A-1" in {hit.source_id for hit in hits}
    assert {hit.source_id for hit in hits} <= {"tickets:A-1", "docs:export"}
    assert all(hit.account_id in ("acme", None) for hit in hits)


def test_docs_visible_to_every_account(index: Index) -> None:
    index.upsert([ACME_NOTE, GLOBEX_TICKET, EXPORT_DOC])

    for account in ("acme", "globex", "initech"):
        hits = index.search("export GLB file", k=10, account_id=account)
        assert "docs:export" in {hit.source_id for hit in hits}


def test_kind_filter(index: Index) -> None:
    index.upsert([ACME_NOTE, GLOBEX_TICKET, EXPORT_DOC])

    tickets = index.search("refund", k=10, kind="tickets")
    acme_tickets = index.search("refund", k=10, kind="tickets", account_id="acme")
    docs = index.search("refund", k=10, kind="docs", account_id="acme")

    assert [hit.source_id for hit in tickets] == ["tickets:T-9"]
    assert acme_tickets == []
    assert [hit.source_id for hit in docs] == ["docs:export"]


def test_empty_index_search_returns_nothing(index: Index) -> None:
    assert index.search("anything at all") == []


def test_k_larger_than_collection(index: Index) -> None:
    index.upsert([ACME_NOTE, GLOBEX_TICKET])

    hits = index.search("sync", k=100)

    assert len(hits) == 2
    assert hits[0].score >= hits[1].score


@pytest.mark.parametrize("query", ["", "   \n"])
def test_empty_query_rejected(index: Index, query: str) -> None:
    with pytest.raises(CsmError, match="query is empty"):
        index.search(query)


def test_invalid_search_arguments_rejected(index: Index) -> None:
    with pytest.raises(InputError, match="at least 1"):
        index.search("sync", k=0)
    with pytest.raises(InputError, match="'calls'"):
        index.search("sync", kind="calls")
    with pytest.raises(InputError, match="account_id is empty"):
        index.search("sync", account_id="")


def test_unknown_kind_rejected_on_upsert(index: Index) -> None:
    bad = SourceText("calls:1", "calls", "acme", None, "Call", "Some text.")

    with pytest.raises(InputError, match="kind 'calls'"):
        index.upsert([bad])


def test_count_and_source_ids_by_kind(index: Index) -> None:
    index.upsert([ACME_NOTE, GLOBEX_TICKET, EXPORT_DOC])

    assert index.count("docs") == 1
    assert index.count("notes") == 1
    assert index.source_ids("tickets") == {"tickets:T-9"}
    assert index.source_ids() == {"notes:N-1", "tickets:T-9", "docs:export"}


def test_index_persists_across_opens(settings: Settings) -> None:
    with open_index(settings) as first:
        first.upsert([ACME_NOTE])

    with open_index(settings) as second:
        assert second.source_ids() == {"notes:N-1"}
        assert second.search("Okta")[0].source_id == "notes:N-1"


def test_other_model_rejected(settings: Settings) -> None:
    client = open_client(settings)
    client.create_collection(
        COLLECTION,
        embedding_function=None,
        configuration={"hnsw": {"space": "cosine"}},
        metadata={"embedding_model": "text-embedding-3-small", "embedding_dimension": 1536},
    )
    client.close()

    with pytest.raises(CsmError) as raised:
        Index(settings)

    message = str(raised.value)
    assert "text-embedding-3-small" in message
    assert "all-MiniLM-L6-v2" in message
    assert "csm index rebuild" in message


def test_drop_index_allows_rebuild(settings: Settings) -> None:
    with Index(settings) as index:
        index.upsert([ACME_NOTE])

    dropped = drop_index(settings)

    assert dropped is True
    with Index(settings) as index:
        assert index.count() == 0


def test_drop_index_removes_keyword_file(settings: Settings) -> None:
    with Index(settings) as index:
        index.upsert([ACME_NOTE])
    assert keyword_path(settings).exists()

    drop_index(settings)

    assert not keyword_path(settings).exists()


ERROR_TICKET = SourceText(
    source_id="tickets:T-31",
    kind="tickets",
    account_id="acme",
    date="2026-03-09",
    title="Uploads rejected",
    text="Every upload since Monday fails with error E_QUOTA_7731 and the file is dropped.",
)


@pytest.mark.parametrize("mode", ["keyword", "hybrid"])
def test_exact_code_ranks_first(index: Index, mode: str) -> None:
    index.upsert([ACME_NOTE, GLOBEX_TICKET, EXPORT_DOC, ERROR_TICKET])

    hits = index.search("E_QUOTA_7731", k=3, mode=mode)

    assert hits[0].source_id == "tickets:T-31"
    assert hits[0].keyword_score is not None


def test_row_id_is_searchable_by_keyword(index: Index) -> None:
    """A ticket's text never names its own id; the keyword index matches it anyway."""
    index.upsert([ACME_NOTE, GLOBEX_TICKET, ERROR_TICKET])

    hits = index.search("what was T-31 about", k=1, mode="keyword")

    assert [hit.source_id for hit in hits] == ["tickets:T-31"]


def test_hybrid_hits_carry_both_scores(index: Index) -> None:
    index.upsert([ACME_NOTE, GLOBEX_TICKET, EXPORT_DOC, ERROR_TICKET])

    hits = index.search("Okta group sync", k=4)

    assert hits[0].source_id == "notes:N-1"
    assert hits[0].keyword_score is not None
    assert all(hit.similarity is not None for hit in hits)
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_hybrid_returns_one_passage_per_source(index: Index) -> None:
    report = SourceText("notes:big", "notes", "acme", None, "Big", long_text("renewal"))
    index.upsert([report, ACME_NOTE])

    hits = index.search("renewal report usage", k=10)

    assert len(hits) == len({hit.source_id for hit in hits}) == 2
    assert report.text[hits[0].start : hits[0].end] == hits[0].text


def test_dense_hits_have_no_keyword_score(index: Index) -> None:
    index.upsert([ACME_NOTE])

    hit = index.search("Okta", mode="dense")[0]

    assert hit.keyword_score is None
    assert hit.score == hit.similarity


def test_keyword_follows_replaced_text(index: Index) -> None:
    index.upsert([ERROR_TICKET])
    edited = SourceText(
        ERROR_TICKET.source_id, "tickets", "acme", None, "Uploads rejected", "Quota raised."
    )

    index.upsert([edited])

    assert index.search("7731", mode="keyword") == []
    assert [hit.text for hit in index.search("quota raised", mode="keyword")] == ["Quota raised."]


def test_keyword_follows_delete(index: Index) -> None:
    index.upsert([ERROR_TICKET, ACME_NOTE])

    index.delete([ERROR_TICKET.source_id])

    assert index.search("E_QUOTA_7731", mode="keyword") == []


def test_keyword_file_rebuilt_from_chroma(settings: Settings) -> None:
    with Index(settings) as index:
        index.upsert([ERROR_TICKET, ACME_NOTE])
    keyword_path(settings).unlink()

    with Index(settings) as index:
        hits = index.search("E_QUOTA_7731", mode="keyword")

    assert [hit.source_id for hit in hits] == ["tickets:T-31"]


@pytest.mark.parametrize("query", ['"unbalanced', "NEAR(a b)", "*", "a AND OR NOT b", "é—ü"])
def test_keyword_query_syntax_is_never_parsed(index: Index, query: str) -> None:
    index.upsert([ACME_NOTE])

    for mode in ("keyword", "hybrid"):
        index.search(query, mode=mode)  # no error, whatever the punctuation


def test_unknown_mode_or_fusion_rejected(index: Index) -> None:
    with pytest.raises(InputError, match="'sparse'"):
        index.search("sync", mode="sparse")
    with pytest.raises(InputError, match="'average'"):
        index.search("sync", fusion="average")


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/some/path", "http://127.0.0.1:8000/?x=1"])
def test_chroma_url_with_path_rejected(settings: Settings, url: str) -> None:
    with pytest.raises(CsmError, match="is not a Chroma server URL"):
        open_client(dataclasses.replace(settings, chroma_url=url))


def test_chroma_url_password_never_shown(settings: Settings) -> None:
    shown = index_location(
        dataclasses.replace(settings, chroma_url="http://ann:s3cret@127.0.0.1:1")
    )

    assert shown == "http://ann:***@127.0.0.1:1"
