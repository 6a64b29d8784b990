"""Tests for import_path on small fixture files, with a real SQLite store and Chroma index."""

from __future__ import annotations

import re
import shutil
import zlib
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from agent.config import Settings
from agent.errors import InputError, NotFoundError
from agent.ingest import KINDS, ImportReport, import_path
from agent.ingest.values import today
from agent.retrieval.embeddings import DIMENSION
from agent.retrieval.index import Index
from agent.retrieval.onnx_export import MODEL_NAME
from agent.store import Store
from agent.store.tables import (
    Account,
    Contact,
    Doc,
    Note,
    Subscription,
    Survey,
    Ticket,
    UsageRecord,
)

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SAMPLE_ORDER = [
    ("accounts.csv", "accounts"),
    ("contacts.csv", "contacts"),
    ("subscriptions.csv", "subscriptions"),
    ("usage.csv", "usage"),
    ("tickets.csv", "tickets"),
    ("notes.csv", "notes"),
    ("surveys.csv", "surveys"),
    ("churn.csv", "churn"),
    ("docs", "docs"),
]


class KeywordEmbedder:
    """A predictable stand-in for the embedding model: hashed bag-of-words vectors.

    Tests that check what reached the index use it, so that they do not spend minutes
    embedding whole folders. It reports the real model's name and dimension so the index
    accepts it, and texts that share words get a higher cosine similarity.
    """

    model_name = MODEL_NAME
    dimension = DIMENSION

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        return np.stack([self.embed_query(text) for text in texts])

    def embed_query(self, text: str) -> np.ndarray:
        vector = np.zeros(DIMENSION, dtype=np.float32)
        vector[0] = 1e-3  # keeps an empty text from being the zero vector
        for word in re.findall(r"[a-z0-9]+", text.casefold()):
            vector[zlib.crc32(word.encode()) % DIMENSION] += 1.0
        return vector / np.linalg.norm(vector)


# The keys of an import report, in the order `--json` prints them.
REPORT_KEYS = [
    "file",
    "kind",
    "encoding",
    "dry_run",
    "inserted",
    "updated",
    "unchanged",
    "skipped",
    "indexed",
    "ignored_columns",
    "warnings",
    "errors",
]


def use_keyword_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every index opened in this test embed with KeywordEmbedder."""
    monkeypatch.setattr("agent.retrieval.index.get_embedder", lambda _settings: KeywordEmbedder())


@pytest.fixture(autouse=True)
def _keyword_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    use_keyword_embedder(monkeypatch)


def count(store: Store, table: type) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(table))


def get(store: Store, table: type, row_id: str):  # noqa: ANN201 - a table row
    with store.session() as session:
        return session.get(table, row_id)


def load(settings: Settings, store: Store, name: str, kind: str, **options) -> ImportReport:
    return import_path(settings, store, FIXTURES / name, kind, **options)


def load_sample(settings: Settings, store: Store) -> list[ImportReport]:
    return [load(settings, store, name, kind) for name, kind in SAMPLE_ORDER]


def indexed_ids(settings: Settings, kind: str) -> set[str]:
    with Index(settings) as index:
        return index.source_ids(kind)


def test_sample_business_loads_without_map(settings: Settings, store: Store) -> None:
    reports = load_sample(settings, store)

    assert [r.inserted for r in reports] == [3, 3, 3, 3, 3, 2, 2, 1, 2]
    assert all(r.skipped == 0 for r in reports)
    assert all(r.errors == [] for r in reports)
    assert all(r.ignored_columns == [] for r in reports)


def test_sample_values_are_typed(settings: Settings, store: Store) -> None:
    load_sample(settings, store)

    initech = get(store, Account, "initech")
    assert initech.is_trial is True
    assert initech.churned is False
    assert initech.lifecycle_stage == "onboarding"
    acme_sub = get(store, Subscription, "sub-acme")
    assert acme_sub.mrr == 12000.0
    assert acme_sub.arr == 144000.0
    assert acme_sub.renewal_date == date(2026, 2, 1)
    assert get(store, Subscription, "sub-initech").end_date == date(2025, 7, 10)
    assert get(store, Contact, "c-2").left_on == date(2025, 3, 31)
    assert get(store, Survey, "s-2").kind == "csat"


def test_ticket_status_derived_from_closed_at(settings: Settings, store: Store) -> None:
    load_sample(settings, store)

    first = get(store, Ticket, "T-100")
    assert first.status == "closed"
    assert first.submitted_at == datetime(2025, 6, 3, 9, 15)
    assert first.escalated is True
    assert get(store, Ticket, "T-101").status == "open"
    assert get(store, Ticket, "T-102").submitted_at == datetime(2025, 6, 7)
    assert get(store, Ticket, "T-102").satisfaction_score is None


def test_usage_without_id_gets_stable_ids(settings: Settings, store: Store) -> None:
    load(settings, store, "accounts.csv", "accounts")
    load(settings, store, "usage.csv", "usage")
    with store.session() as session:
        first_ids = set(session.scalars(select(UsageRecord.id)))

    again = load(settings, store, "usage.csv", "usage")

    assert len(first_ids) == 3
    assert all(row_id.startswith("usage-") for row_id in first_ids)
    assert again.unchanged == 3
    assert again.inserted == 0


def test_second_import_changes_nothing(settings: Settings, store: Store) -> None:
    load_sample(settings, store)

    second = load_sample(settings, store)

    assert [r.inserted for r in second] == [0] * len(SAMPLE_ORDER)
    assert [r.updated for r in second] == [0] * len(SAMPLE_ORDER)
    assert [r.indexed for r in second] == [{}] * len(SAMPLE_ORDER)


def test_changed_row_updates_only_given_columns(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    load(settings, store, "accounts.csv", "accounts")
    path = tmp_path / "rename.csv"
    path.write_text("id,name\nacme,ACME Corp\nglobex,Globex\n", encoding="utf-8")

    report = import_path(settings, store, path, "accounts")

    acme = get(store, Account, "acme")
    assert (report.updated, report.unchanged) == (1, 1)
    assert acme.name == "ACME Corp"
    assert acme.industry == "Manufacturing"


def test_bad_rows_reported_good_rows_kept(settings: Settings, store: Store) -> None:
    load(settings, store, "accounts.csv", "accounts")
    path = FIXTURES / "bad_rows.csv"

    report = import_path(settings, store, path, "tickets")

    found = {(e.file, e.row, e.field, e.value) for e in report.errors}
    assert (str(path), 3, "submitted_at", "2025-13-45") in found
    assert (str(path), 4, "escalated", "maybe") in found
    assert (str(path), 5, "account_id", "") in found
    assert report.inserted == 2
    assert report.skipped == 3
    assert get(store, Ticket, "B-1") is not None
    assert get(store, Ticket, "B-5") is not None
    assert get(store, Ticket, "B-2") is None


def test_bad_row_messages_say_why(settings: Settings, store: Store) -> None:
    load(settings, store, "accounts.csv", "accounts")

    report = load(settings, store, "bad_rows.csv", "tickets")

    messages = {e.field: e.message for e in report.errors}
    assert "month must be in 1..12" in messages["submitted_at"]
    assert "boolean" in messages["escalated"]
    assert "--account" in messages["account_id"]


def test_unknown_account_id_is_row_error(settings: Settings, store: Store) -> None:
    load(settings, store, "accounts.csv", "accounts")
    path = FIXTURES / "tickets.csv"
    text = path.read_text(encoding="utf-8").replace("globex", "nosuch")
    other = Path(settings.home) / "tickets.csv"
    other.write_text(text, encoding="utf-8")

    report = import_path(settings, store, other, "tickets")

    assert report.inserted == 2
    assert report.errors[0].field == "account_id"
    assert report.errors[0].value == "nosuch"
    assert "Import accounts first" in report.errors[0].message


def test_unknown_account_flag_lists_matches(settings: Settings, store: Store) -> None:
    load(settings, store, "accounts.csv", "accounts")

    with pytest.raises(NotFoundError) as caught:
        load(settings, store, "notes", "notes", account="Acmee Corporaton")

    assert "Acme Corporation (acme)" in caught.value.suggestions
    assert "Did you mean" in str(caught.value)


def test_account_flag_rejected_for_accounts(settings: Settings, store: Store) -> None:
    load(settings, store, "accounts.csv", "accounts")
    with pytest.raises(InputError, match="--account applies to notes, tickets and surveys"):
        load(settings, store, "contacts.csv", "contacts", account="acme")


def test_usage_account_from_subscription(settings: Settings, store: Store, tmp_path: Path) -> None:
    load(settings, store, "accounts.csv", "accounts")
    load(settings, store, "subscriptions.csv", "subscriptions")
    path = tmp_path / "usage.csv"
    path.write_text(
        "usage_id,subscription_id,usage_date,feature_name,usage_count\n"
        "U-1,sub-globex,2025-06-01,api,10\n"
        "U-2,sub-missing,2025-06-01,api,5\n",
        encoding="utf-8",
    )

    report = import_path(settings, store, path, "usage")

    assert report.inserted == 1
    assert get(store, UsageRecord, "U-1").account_id == "globex"
    assert report.errors[0].row == 3
    assert report.errors[0].field == "subscription_id"
    assert "Import subscriptions first" in report.errors[0].message


def test_missing_required_column_is_file_error(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text("id,industry\nx,Retail\n", encoding="utf-8")

    with pytest.raises(InputError) as caught:
        import_path(settings, store, path, "accounts")

    message = str(caught.value)
    assert str(path) in message
    assert "required field name" in message
    assert "Columns found: id, industry" in message
    assert "--map COLUMN=name" in message


def test_map_option_feeds_fields(settings: Settings, store: Store, tmp_path: Path) -> None:
    path = tmp_path / "crm.csv"
    path.write_text("Customer,Company Name,Owner\nk-1,Kappa,Jo\n", encoding="utf-8")

    report = import_path(
        settings, store, path, "accounts", mapping=["Customer=id", "Company Name=name"]
    )

    assert report.inserted == 1
    assert report.ignored_columns == ["Owner"]
    assert get(store, Account, "k-1").name == "Kappa"


def test_map_option_unknown_field(settings: Settings, store: Store, tmp_path: Path) -> None:
    path = tmp_path / "crm.csv"
    path.write_text("Customer,Company Name\nk-1,Kappa\n", encoding="utf-8")
    with pytest.raises(InputError, match="Valid fields: id, name, industry"):
        import_path(settings, store, path, "accounts", mapping={"Customer": "customer"})


def test_dry_run_writes_nothing(settings: Settings, store: Store) -> None:
    load(settings, store, "accounts.csv", "accounts", dry_run=True)
    load(settings, store, "accounts.csv", "accounts")

    report = load(settings, store, "tickets.csv", "tickets", dry_run=True)

    assert report.dry_run
    assert report.inserted == 3
    assert report.indexed == {"sources_to_index": 2}
    assert count(store, Ticket) == 0
    assert not settings.index_dir.exists()


def test_dry_run_counts_updates(settings: Settings, store: Store, tmp_path: Path) -> None:
    load(settings, store, "accounts.csv", "accounts")
    path = tmp_path / "rename.csv"
    path.write_text("id,name\nacme,ACME Corp\n", encoding="utf-8")

    report = import_path(settings, store, path, "accounts", dry_run=True)

    assert report.updated == 1
    assert get(store, Account, "acme").name == "Acme Corporation"


def test_bom_file(settings: Settings, store: Store, tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffid,name\nbom-1,Bom Co\n".encode())

    report = import_path(settings, store, path, "accounts")

    assert report.encoding == "utf-8 (with BOM)"
    assert report.inserted == 1
    assert get(store, Account, "bom-1").name == "Bom Co"


def test_latin1_file(settings: Settings, store: Store, tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("id,name,country\ncafe,Café Olé,FR\n".encode("latin-1"))

    report = import_path(settings, store, path, "accounts")

    assert report.encoding == "latin-1"
    assert get(store, Account, "cafe").name == "Café Olé"
    assert any("read as Latin-1" in warning for warning in report.warnings)


def test_tsv_file(settings: Settings, store: Store) -> None:
    report = load(settings, store, "accounts.tsv", "accounts")

    assert report.inserted == 1
    assert get(store, Account, "hooli").seats == 1500


def test_json_array_with_aliases(settings: Settings, store: Store) -> None:
    report = load(settings, store, "accounts.json", "accounts")

    assert report.inserted == 2
    assert get(store, Account, "stark").seats == 2000
    assert get(store, Account, "stark").churned is True


def test_jsonl_bad_line_keeps_others(settings: Settings, store: Store) -> None:
    load(settings, store, "accounts.csv", "accounts")

    report = load(settings, store, "tickets.jsonl", "tickets")

    assert report.inserted == 2
    assert report.errors[0].row == 3
    assert report.errors[0].field == "submitted_at"
    assert get(store, Ticket, "J-1").escalated is True
    assert get(store, Ticket, "J-3").status == "closed"


def test_missing_path_is_not_found(settings: Settings, store: Store) -> None:
    with pytest.raises(NotFoundError, match="nothing.csv not found"):
        import_path(settings, store, FIXTURES / "nothing.csv", "accounts")


def test_folder_for_table_kind_rejected(settings: Settings, store: Store) -> None:
    with pytest.raises(InputError, match="is a folder"):
        load(settings, store, "notes", "accounts")


def test_unknown_kind_lists_kinds(settings: Settings, store: Store) -> None:
    with pytest.raises(InputError, match="Use one of: accounts, contacts"):
        load(settings, store, "accounts.csv", "customers")


def test_kinds_list() -> None:
    assert KINDS == (
        "accounts",
        "contacts",
        "subscriptions",
        "usage",
        "tickets",
        "notes",
        "docs",
        "churn",
        "surveys",
    )


def test_notes_folder_with_account(settings: Settings, store: Store) -> None:
    load(settings, store, "accounts.csv", "accounts")

    report = load(settings, store, "notes", "notes", account="Initech")

    kickoff = get(store, Note, "note-2025-06-15-kickoff-call")
    undated = get(store, Note, "note-renewal-risk")
    assert report.inserted == 2
    assert kickoff.account_id == "globex"
    assert kickoff.note_date == date(2025, 6, 15)
    assert undated.account_id == "initech"
    assert undated.note_date == today()
    assert any("set to the import date" in w and "--date" in w for w in report.warnings)
    assert get(store, Note, "note-LICENSE") is None


def test_notes_folder_date_option(settings: Settings, store: Store) -> None:
    load(settings, store, "accounts.csv", "accounts")

    report = load(settings, store, "notes", "notes", account="initech", note_date="2025-05-01")

    assert get(store, Note, "note-renewal-risk").note_date == date(2025, 5, 1)
    assert get(store, Note, "note-2025-06-15-kickoff-call").note_date == date(2025, 6, 15)
    assert any("from --date" in warning for warning in report.warnings)


def test_notes_folder_without_account_flag(settings: Settings, store: Store) -> None:
    load(settings, store, "accounts.csv", "accounts")

    report = load(settings, store, "notes", "notes")

    assert report.inserted == 1
    assert report.errors[0].file.endswith("renewal-risk.txt")
    assert report.errors[0].field == "account_id"
    assert "--account" in report.errors[0].message


def test_single_text_note(settings: Settings, store: Store) -> None:
    load(settings, store, "accounts.csv", "accounts")

    report = load(settings, store, "notes/renewal-risk.txt", "notes", account="initech")

    assert report.inserted == 1
    assert "Flag as churn risk" in get(store, Note, "note-renewal-risk").body


def test_docs_folder_ids_and_titles(settings: Settings, store: Store) -> None:
    report = load(settings, store, "docs", "docs")

    assert report.inserted == 2
    assert get(store, Doc, "cancel-plan").title == "Cancel your plan"
    assert get(store, Doc, "guides/sso").title == "Set up single sign-on"
    assert get(store, Doc, "LICENSE") is None


def test_text_file_for_table_kind_rejected(settings: Settings, store: Store) -> None:
    with pytest.raises(InputError, match="--kind notes or --kind docs"):
        load(settings, store, "notes/renewal-risk.txt", "tickets")


def test_duplicate_ids_in_file(settings: Settings, store: Store, tmp_path: Path) -> None:
    path = tmp_path / "dups.csv"
    path.write_text("id,name\nd-1,First\nd-1,First\nd-1,Other\nd-2,Second\n", encoding="utf-8")

    report = import_path(settings, store, path, "accounts")

    assert report.inserted == 3
    assert report.unchanged == 1
    assert get(store, Account, "d-1").name == "First"
    assert get(store, Account, "d-1~2").name == "Other"


def test_indexes_tickets_with_text_only(settings: Settings, store: Store) -> None:
    load(settings, store, "accounts.csv", "accounts")

    report = load(settings, store, "tickets.csv", "tickets")

    assert report.indexed["sources_added"] == 2
    assert indexed_ids(settings, "tickets") == {"tickets:T-100", "tickets:T-101"}


def test_indexes_notes_and_docs(settings: Settings, store: Store) -> None:
    load(settings, store, "accounts.csv", "accounts")
    load(settings, store, "notes.csv", "notes")
    load(settings, store, "docs", "docs")

    assert indexed_ids(settings, "notes") == {"notes:n-1", "notes:n-2"}
    assert indexed_ids(settings, "docs") == {"docs:cancel-plan", "docs:guides/sso"}


def test_changed_body_replaces_index_source(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    load(settings, store, "accounts.csv", "accounts")
    path = tmp_path / "tickets.csv"
    shutil.copy(FIXTURES / "tickets.csv", path)
    import_path(settings, store, path, "tickets")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("wants one refunded", "wants both refunded"), encoding="utf-8")

    report = import_path(settings, store, path, "tickets")

    assert (report.updated, report.unchanged) == (1, 2)
    assert report.indexed["sources_replaced"] == 1
    with Index(settings) as index:
        hits = index.search("wants both refunded", k=1, kind="tickets")
    assert hits[0].source_id == "tickets:T-101"
    assert "both refunded" in hits[0].text


def test_emptied_body_leaves_index(settings: Settings, store: Store, tmp_path: Path) -> None:
    load(settings, store, "accounts.csv", "accounts")
    path = tmp_path / "tickets.csv"
    path.write_text(
        "id,account_id,submitted_at,body\nE-1,acme,2025-06-01,Printer is on fire\n",
        encoding="utf-8",
    )
    import_path(settings, store, path, "tickets")
    path.write_text("id,account_id,submitted_at,body\nE-1,acme,2025-06-01,\n", encoding="utf-8")

    report = import_path(settings, store, path, "tickets")

    assert report.updated == 1
    assert report.indexed["sources_deleted"] == 1
    assert indexed_ids(settings, "tickets") == set()


def test_report_dump_keys(settings: Settings, store: Store) -> None:
    dumped = load(settings, store, "accounts.csv", "accounts").model_dump()

    assert list(dumped) == REPORT_KEYS


def test_undated_note_keeps_date_on_reimport(settings: Settings, store: Store) -> None:
    load(settings, store, "accounts.csv", "accounts")
    load(settings, store, "notes", "notes", account="initech", note_date="2025-05-01")

    report = load(settings, store, "notes", "notes", account="initech")

    assert get(store, Note, "note-renewal-risk").note_date == date(2025, 5, 1)
    assert report.updated == 0
    assert report.unchanged == 2
    assert not any("set to the import date" in w for w in report.warnings)
