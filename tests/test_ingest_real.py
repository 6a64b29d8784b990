"""Tests that import the real data: RavenStack, CFPB complaints, AMI transcripts, Plausible docs."""

from __future__ import annotations

import time
from datetime import date, datetime
from pathlib import Path

import pytest
from test_ingest_import import count, get, use_keyword_embedder

from agent.config import Settings
from agent.ingest import ImportReport, import_path
from agent.ingest.values import today
from agent.retrieval.index import Index
from agent.store import Store
from agent.store.tables import (
    Account,
    ChurnEvent,
    Doc,
    Note,
    Subscription,
    Ticket,
    UsageRecord,
)

RAVENSTACK = [
    ("ravenstack_accounts.csv", "accounts", Account, 500),
    ("ravenstack_subscriptions.csv", "subscriptions", Subscription, 5000),
    ("ravenstack_feature_usage.csv", "usage", UsageRecord, 25000),
    ("ravenstack_support_tickets.csv", "tickets", Ticket, 2000),
    ("ravenstack_churn_events.csv", "churn", ChurnEvent, 600),
]
# Measured at about 1.6 s on a two-core development VM; the bound only catches a return to
# per-row queries, it is not a benchmark.
USAGE_IMPORT_BOUND_SECONDS = 30.0


def import_ravenstack(settings: Settings, store: Store, folder: Path) -> list[ImportReport]:
    return [
        import_path(settings, store, folder / name, kind) for name, kind, _table, _n in RAVENSTACK
    ]


def add_account(settings: Settings, store: Store, tmp_path: Path) -> None:
    path = tmp_path / "account.csv"
    path.write_text("id,name\nbank-1,Consumer Bank\n", encoding="utf-8")
    import_path(settings, store, path, "accounts")


def test_ravenstack_full_load_counts(settings: Settings, store: Store, shared_data: Path) -> None:
    reports = import_ravenstack(settings, store, shared_data / "ravenstack")

    for (_name, kind, table, expected), report in zip(RAVENSTACK, reports, strict=True):
        assert report.inserted == expected, kind
        assert report.skipped == 0, kind
        assert count(store, table) == expected, kind
    assert reports[0].ignored_columns == []


def test_ravenstack_second_import_unchanged(
    settings: Settings, store: Store, shared_data: Path
) -> None:
    import_ravenstack(settings, store, shared_data / "ravenstack")

    second = import_ravenstack(settings, store, shared_data / "ravenstack")

    for (_name, kind, _table, expected), report in zip(RAVENSTACK, second, strict=True):
        assert report.inserted == 0, kind
        assert report.updated == 0, kind
        assert report.unchanged == expected, kind


def test_ravenstack_quirks(settings: Settings, store: Store, shared_data: Path) -> None:
    reports = import_ravenstack(settings, store, shared_data / "ravenstack")

    ticket = get(store, Ticket, "T-0024de")
    assert ticket.closed_at == datetime(2023, 7, 28, 3, 0)
    assert ticket.satisfaction_score is None
    assert ticket.status == "closed"
    assert ticket.escalated is False
    assert get(store, Account, "A-43a9e3").churned is True
    subscription = get(store, Subscription, "S-8cec59")
    assert subscription.end_date == date(2024, 4, 12)
    open_ended = get(store, Subscription, "S-0f6f44")
    assert open_ended.end_date is None
    assert open_ended.renewal_date is None, "open-ended renewals are derived when scoring"
    assert get(store, UsageRecord, "U-1c6c24").is_beta is False
    assert get(store, ChurnEvent, "C-5a81e7").feedback is None
    assert any("~N suffix" in warning for warning in reports[2].warnings)


def test_ravenstack_usage_import_time(settings: Settings, store: Store, shared_data: Path) -> None:
    folder = shared_data / "ravenstack"
    import_path(settings, store, folder / "ravenstack_accounts.csv", "accounts")
    import_path(settings, store, folder / "ravenstack_subscriptions.csv", "subscriptions")

    started = time.perf_counter()
    report = import_path(settings, store, folder / "ravenstack_feature_usage.csv", "usage")
    elapsed = time.perf_counter() - started

    assert report.inserted == 25000
    assert elapsed < USAGE_IMPORT_BOUND_SECONDS


def test_cfpb_tickets_searchable(
    settings: Settings, store: Store, shared_data: Path, tmp_path: Path
) -> None:
    add_account(settings, store, tmp_path)
    path = shared_data / "tickets" / "cfpb_complaints_sample.csv"

    report = import_path(settings, store, path, "tickets", account="Consumer Bank")
    with Index(settings) as index:
        hits = index.search(
            "transworld systems is trying to collect a debt that is not mine",
            k=3,
            account_id="bank-1",
            kind="tickets",
        )
    again = import_path(settings, store, path, "tickets", account="bank-1")

    ticket = get(store, Ticket, "CFPB-3384392")
    assert report.inserted == 500
    assert report.indexed["sources_added"] == 500
    assert "Company" in report.ignored_columns
    assert ticket.account_id == "bank-1"
    assert ticket.submitted_at == datetime(2019, 9, 24)
    assert ticket.subject == "Attempts to collect debt not owed"
    assert ticket.category == "Debt collection"
    assert ticket.status == "closed"
    assert hits[0].source_id == "tickets:CFPB-3384392"
    assert hits[0].date == "2019-09-24"
    assert hits[0].path == str(path.resolve())
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 500)
    assert again.indexed == {}


def test_cfpb_without_account_names_fix(
    settings: Settings, store: Store, shared_data: Path
) -> None:
    from agent.errors import InputError

    path = shared_data / "tickets" / "cfpb_complaints_sample.csv"
    with pytest.raises(InputError, match="--account ID_OR_NAME"):
        import_path(settings, store, path, "tickets")


def test_ami_transcripts_as_notes(
    settings: Settings,
    store: Store,
    shared_data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_keyword_embedder(monkeypatch)
    add_account(settings, store, tmp_path)

    report = import_path(settings, store, shared_data / "calls" / "ami", "notes", account="bank-1")

    note = get(store, Note, "note-ES2004a")
    assert report.inserted == 10
    assert report.skipped == 0
    assert note.kind == "transcript"
    assert note.title == "ES2004a"
    assert note.account_id == "bank-1"
    assert note.note_date == today()
    assert "{vocalsound}" not in note.body
    assert note.body.startswith("User Interface: Hmm hmm hmm .")
    assert any("import date" in w and "--date" in w for w in report.warnings)
    assert count(store, Note) == 10
    with Index(settings) as index:
        assert "notes:note-ES2004a" in index.source_ids("notes")


def test_ami_transcripts_with_date(
    settings: Settings,
    store: Store,
    shared_data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    use_keyword_embedder(monkeypatch)
    add_account(settings, store, tmp_path)
    folder = shared_data / "calls" / "ami"

    report = import_path(settings, store, folder, "notes", account="bank-1", note_date="2024-11-05")

    assert report.inserted == 10
    assert get(store, Note, "note-IS1003b").note_date == date(2024, 11, 5)


def test_plausible_docs(
    settings: Settings, store: Store, shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_keyword_embedder(monkeypatch)

    report = import_path(settings, store, shared_data / "docs" / "plausible", "docs")

    cancel = get(store, Doc, "cancel-subscription")
    assert report.inserted == 132
    assert report.skipped == 0
    assert cancel.title == "Cancel your subscription plan"
    assert cancel.description.startswith("How to cancel your Plausible subscription")
    assert "import useBaseUrl" not in cancel.body
    assert "Cancel your Plausible subscription" in cancel.body
    assert get(store, Doc, "proxy/introduction") is not None
    assert get(store, Doc, "LICENSE_CC-BY-SA-4.0") is None
    with Index(settings) as index:
        assert len(index.source_ids("docs")) == 132
