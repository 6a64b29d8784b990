"""Daily health snapshots: one per account per day, backfill, and trends read from them."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from agent.cli.main import app
from agent.insights.health import health_for, rank_book
from agent.insights.health_model import active_model
from agent.insights.snapshots import load_snapshots, save_snapshots
from agent.insights.trend import changes_since, record_snapshots, trend
from agent.store import Account, HealthSnapshot, Store, UsageRecord, open_store
from tests.health_models import SEVEN_MEASURES, one_profile_model

AS_OF = date(2026, 6, 30)
runner = CliRunner()


def _usage(account_id: str, start: date, end: date, count: int) -> list[UsageRecord]:
    days = (end - start).days + 1
    return [
        UsageRecord(
            id=f"{account_id}-{start + timedelta(days=offset)}",
            account_id=account_id,
            usage_date=start + timedelta(days=offset),
            feature="text_to_3d",
            usage_count=count,
        )
        for offset in range(days)
    ]


def _book(store: Store) -> None:
    """A level account, one whose usage halves in June, and one that signs up on June 28."""
    rows = [
        Account(id="A", name="Level Co", signup_date=date(2025, 1, 1)),
        *_usage("A", date(2025, 11, 1), AS_OF, 10),
        Account(id="B", name="Falling Co", signup_date=date(2025, 1, 1)),
        *_usage("B", date(2025, 11, 1), date(2026, 5, 31), 20),
        *_usage("B", date(2026, 6, 1), AS_OF, 10),
        Account(id="C", name="New Co", signup_date=date(2026, 6, 28)),
        *_usage("C", date(2026, 6, 28), AS_OF, 5),
    ]
    with store.session() as session:
        session.add_all(rows)


@pytest.fixture
def book() -> Store:
    store = Store("sqlite://")
    _book(store)
    return store


def _count(store: Store, **where) -> int:  # noqa: ANN003 - column filters
    query = select(func.count()).select_from(HealthSnapshot).filter_by(**where)
    with store.session() as session:
        return session.scalar(query)


def test_rank_book_records_one_snapshot_per_account(book: Store):
    rank_book(book, AS_OF, record=True)
    rank_book(book, AS_OF, record=True)

    assert _count(book) == 3
    assert _count(book, snapshot_date=AS_OF, account_id="B") == 1


def test_rank_book_without_record_saves_nothing(book: Store):
    rank_book(book, AS_OF)

    assert _count(book) == 0


def test_snapshot_later_run_replaces_score(book: Store):
    report = health_for(book, "A", AS_OF)
    with book.session() as session:
        save_snapshots(session, [report], origin="ranked")
    report.score = 12
    with book.session() as session:
        save_snapshots(session, [report], origin="recorded")

    with book.session() as session:
        stored = load_snapshots(session, "A", AS_OF, AS_OF)
    assert _count(book, account_id="A") == 1
    assert stored[AS_OF].score == 12
    assert stored[AS_OF].origin == "recorded"


def test_snapshot_stores_model_score_not_override(book: Store):
    from agent.insights.overrides import set_override

    set_override(book, "B", 95, "Renewal signed early", today=AS_OF - timedelta(days=1))

    reports = {r.account_id: r for r in rank_book(book, AS_OF, record=True)}
    with book.session() as session:
        stored = load_snapshots(session, "B", AS_OF, AS_OF)[AS_OF]

    assert reports["B"].score == 95
    assert stored.score == reports["B"].computed_score
    assert stored.score != 95


def test_snapshot_keeps_profile_model_and_components(book: Store):
    rank_book(book, AS_OF, record=True)

    with book.session() as session:
        stored = load_snapshots(session, "A", AS_OF, AS_OF)[AS_OF]
    model = active_model()
    assert stored.profile == "steady"
    assert stored.model_version == model.version
    assert stored.model_digest == model.digest
    assert [c.name for c in stored.components][:3] == ["usage_trend", "seat_use", "feature_breadth"]


def test_backfill_records_each_day(book: Store):
    run = record_snapshots(book, AS_OF, backfill_days=4)

    assert run.first_day == AS_OF - timedelta(days=4)
    # A and B on five days; C only from its sign-up on June 28, three days.
    assert run.saved == 2 * 5 + 3
    assert run.not_yet_customers == 2
    assert _count(book) == 13
    assert _count(book, snapshot_date=AS_OF, origin="recorded") == 3
    assert _count(book, snapshot_date=AS_OF - timedelta(days=1), origin="backfill") == 3


def test_backfill_keeps_existing_days(book: Store):
    record_snapshots(book, AS_OF, backfill_days=2)

    again = record_snapshots(book, AS_OF, backfill_days=2)

    # The as-of day is recorded again; the two days before keep their snapshots.
    assert again.saved == 3
    assert again.kept_existing == 6
    assert _count(book) == 9


def test_backfill_replace_redoes_days(book: Store):
    record_snapshots(book, AS_OF, backfill_days=2)

    again = record_snapshots(book, AS_OF, backfill_days=2, replace=True)

    assert again.saved == 9
    assert again.kept_existing == 0
    assert _count(book) == 9


def _store_score(store: Store, account_id: str, day: date, score: int) -> None:
    """Save the account's snapshot of `day` with its score set to `score`."""
    report = health_for(store, account_id, day)
    report.score = score
    with store.session() as session:
        save_snapshots(session, [report], origin="ranked")


def test_trend_reads_snapshot_when_present(book: Store):
    week_ago = AS_OF - timedelta(days=7)
    _store_score(book, "B", week_ago, 33)
    report = health_for(book, "B", AS_OF)

    points = {point["days"]: point for point in trend(book, report)}

    assert points[7]["source"] == "snapshot"
    assert points[7]["score"] == 33
    assert points[7]["change"] == report.score - 33
    assert points[30]["source"] == "recomputed"
    assert points[90]["source"] == "recomputed"


def test_trend_recomputed_equals_backfilled_snapshot(book: Store):
    report = health_for(book, "B", AS_OF)
    recomputed = {p["days"]: p["score"] for p in trend(book, report)}

    record_snapshots(book, AS_OF, backfill_days=90)
    from_snapshots = trend(book, report)

    assert all(point["source"] == "snapshot" for point in from_snapshots)
    assert {p["days"]: p["score"] for p in from_snapshots} == recomputed


def test_trend_ignores_snapshot_of_other_model(book: Store):
    week_ago = AS_OF - timedelta(days=7)
    _store_score(book, "B", week_ago, 33)
    other = one_profile_model(SEVEN_MEASURES)
    report = health_for(book, "B", AS_OF, other)

    points = {point["days"]: point for point in trend(book, report, other)}

    assert points[7]["source"] == "recomputed"
    assert points[7]["score"] != 33
    assert "another health model" in points[7]["note"]


def test_changes_since_reads_snapshot(book: Store):
    since = AS_OF - timedelta(days=20)
    _store_score(book, "B", since, 41)
    report = health_for(book, "B", AS_OF)

    moved = changes_since(book, report, since)

    assert moved["source"] == "snapshot"
    assert moved["score_then"] == 41
    assert moved["score_now"] == report.score


def _cli_book(settings) -> None:  # noqa: ANN001 - Settings
    store = open_store(settings)
    _book(store)
    store.close()


def test_snapshot_cli_backfill(settings):
    _cli_book(settings)

    result = runner.invoke(app, ["health", "snapshot", "--backfill", "3", "--json"])

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["as_of"] == AS_OF.isoformat()
    # Four days of A and B, three of C from its sign-up on June 28.
    assert document["saved"] == 11
    assert document["not_yet_customers"] == 1


def test_snapshot_cli_text_counts_kept(settings):
    _cli_book(settings)
    runner.invoke(app, ["health", "snapshot", "--backfill", "1"])

    result = runner.invoke(app, ["health", "snapshot", "--backfill", "1"])

    assert result.exit_code == 0, result.output
    assert f"Saved 3 health snapshots for {AS_OF - timedelta(days=1)} to {AS_OF}" in result.stdout
    assert "Kept 3 earlier snapshots" in result.stdout


def test_snapshot_cli_rejects_bad_date(settings):
    _cli_book(settings)

    result = runner.invoke(app, ["health", "snapshot", "--as-of", "30/06/2026"])

    assert result.exit_code == 1
    assert "--as-of '30/06/2026' is not a date" in result.stderr


def test_accounts_command_records_snapshots(settings):
    _cli_book(settings)

    first = runner.invoke(app, ["accounts"])
    second = runner.invoke(app, ["accounts", "--json"])
    dated = runner.invoke(app, ["accounts", "--as-of", "2026-06-01"])

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert dated.exit_code == 0, dated.output
    store = open_store(settings)
    try:
        assert _count(store) == 3
        assert _count(store, snapshot_date=AS_OF) == 3
    finally:
        store.close()


def test_health_explain_says_trend_source(settings):
    _cli_book(settings)
    runner.invoke(app, ["health", "snapshot", "--as-of", "2026-06-23"])

    result = runner.invoke(app, ["health", "Falling Co", "--explain"])

    assert result.exit_code == 0, result.output
    assert "7 days ago" in result.stdout
    assert "from the snapshot of that day" in result.stdout
    assert "30 days ago" in result.stdout
    assert "recomputed" in result.stdout
