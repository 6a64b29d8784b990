"""The backtest: the AUC by hand, outcomes and reference dates, and the sample business."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import typer
from typer.testing import CliRunner

from agent.cli.metrics_cmd import backtest_command
from agent.errors import InputError
from agent.insights.backtest import (
    SKIP_NO_CHURN_DATE,
    SKIP_NO_SCORE,
    SKIP_NOT_YET_CUSTOMER,
    auc_standard_error,
    mann_whitney_auc,
    run_backtest,
)
from agent.store import Account, ChurnEvent, Store, Subscription, UsageRecord, open_store
from tests.health_models import SEVEN_MEASURES, one_profile_model

AS_OF = date(2025, 6, 30)
RETAINED_REFERENCE = AS_OF - timedelta(days=30)

runner = CliRunner()


def test_auc_perfect_separation():
    assert mann_whitney_auc([5, 6, 7], [1, 2]) == 1.0


def test_auc_reversed():
    assert mann_whitney_auc([1, 2], [5, 6, 7]) == 0.0


def test_auc_all_ties():
    assert mann_whitney_auc([3, 3, 3], [3, 3]) == 0.5


def test_auc_hand_computed_with_ties():
    # Pairs won by `higher`: 4 beats 1, 2 and 3 (3 pairs), and each 2 beats 1 and ties 2 (1.5).
    assert mann_whitney_auc([4, 2, 2], [1, 2, 3]) == pytest.approx(6 / 9)


def test_auc_empty_group_is_none():
    assert mann_whitney_auc([], [1.0]) is None
    assert mann_whitney_auc([1.0], []) is None


def test_auc_standard_error_at_chance():
    # Hanley and McNeil at AUC 0.5 with 10 and 10: sqrt((0.25 + 9/12 + 9/12) / 100).
    assert auc_standard_error(0.5, 10, 10) == pytest.approx((1.75 / 100) ** 0.5)
    assert auc_standard_error(1.0, 10, 10) == 0.0


def _usage(account_id: str, start: date, end: date, count: int) -> list[UsageRecord]:
    days = (end - start).days + 1
    return [
        UsageRecord(
            id=f"{account_id}-{start + timedelta(days=offset)}",
            account_id=account_id,
            usage_date=start + timedelta(days=offset),
            feature="export",
            usage_count=count,
        )
        for offset in range(days)
    ]


def _account(account_id: str, **extra) -> Account:  # noqa: ANN003 - other Account columns
    return Account(id=account_id, name=f"Account {account_id}", **extra)


def _book(store: Store) -> None:
    """Two churned accounts with falling usage, two retained ones with level or rising usage.

    Also one account of each skip reason.
    """
    rows = [
        _account("falls_event"),
        ChurnEvent(id="e-old", account_id="falls_event", churn_date=date(2024, 10, 1)),
        ChurnEvent(id="e-new", account_id="falls_event", churn_date=date(2025, 4, 30)),
        *_usage("falls_event", date(2024, 12, 1), date(2025, 3, 1), 20),
        *_usage("falls_event", date(2025, 3, 2), date(2025, 3, 31), 5),
        _account("falls_flag", churned=True),
        Subscription(
            id="s-flag",
            account_id="falls_flag",
            start_date=date(2024, 1, 1),
            end_date=date(2025, 5, 15),
            churn_flag=True,
        ),
        *_usage("falls_flag", date(2024, 12, 1), date(2025, 3, 16), 20),
        *_usage("falls_flag", date(2025, 3, 17), date(2025, 4, 15), 6),
        _account("level"),
        *_usage("level", date(2025, 1, 1), RETAINED_REFERENCE, 20),
        _account("rising"),
        *_usage("rising", date(2025, 1, 1), date(2025, 4, 30), 10),
        *_usage("rising", date(2025, 5, 1), RETAINED_REFERENCE, 30),
        _account("flag_without_date", churned=True),
        _account("signed_up_late", signup_date=date(2025, 6, 10)),
        *_usage("signed_up_late", date(2025, 6, 10), AS_OF, 20),
        _account("no_data"),
    ]
    with store.session() as session:
        session.add_all(rows)


@pytest.fixture
def store() -> Store:
    book = Store("sqlite://")
    _book(book)
    return book


def test_backtest_separates_falling_usage(store: Store):
    report = run_backtest(store, 30, AS_OF)

    assert report.churned_accounts == 2
    assert report.retained_accounts == 2
    assert report.auc == 1.0
    assert report.retained_reference_date == RETAINED_REFERENCE


def test_backtest_reference_dates(store: Store):
    report = run_backtest(store, 30, AS_OF)
    reference = {item.account_id: item.reference_date for item in report.accounts}

    assert reference["falls_event"] == date(2025, 3, 31)
    assert reference["falls_flag"] == date(2025, 4, 15)
    assert reference["level"] == RETAINED_REFERENCE
    assert reference["rising"] == RETAINED_REFERENCE


def test_backtest_churn_date_is_latest_event(store: Store):
    report = run_backtest(store, 30, AS_OF)
    churn_dates = {item.account_id: item.churn_date for item in report.accounts}

    assert churn_dates["falls_event"] == date(2025, 4, 30)
    assert churn_dates["falls_flag"] == date(2025, 5, 15)
    assert churn_dates["level"] is None


def test_backtest_skips_with_reasons(store: Store):
    report = run_backtest(store, 30, AS_OF)
    reasons = {item.account_id: item.reason for item in report.skipped}

    assert reasons == {
        "flag_without_date": SKIP_NO_CHURN_DATE,
        "signed_up_late": SKIP_NOT_YET_CUSTOMER,
        "no_data": SKIP_NO_SCORE,
    }
    assert report.skipped_by_reason[SKIP_NO_SCORE] == 1


def test_backtest_bands(store: Store):
    # Feature breadth would score 100 for every account of this one-feature book, so the
    # bands are checked on the usage trend alone.
    report = run_backtest(store, 30, AS_OF, one_profile_model(SEVEN_MEASURES))
    bands = {row.band: row for row in report.bands}

    assert (bands["red"].accounts, bands["red"].churned) == (2, 2)
    assert bands["red"].churn_rate == 1.0
    assert (bands["yellow"].accounts, bands["yellow"].churned) == (1, 0)
    assert (bands["green"].accounts, bands["green"].churned) == (1, 0)


def test_backtest_components(store: Store):
    report = run_backtest(store, 30, AS_OF, one_profile_model(SEVEN_MEASURES))
    components = {row.name: row for row in report.components}

    assert components["usage_trend"].auc == 1.0
    assert components["usage_trend"].churned == 2
    assert components["seat_use"].auc is None
    assert components["seat_use"].retained == 0
    # Usage trend is the only input here, so the score without it has nothing to rank.
    assert components["usage_trend"].auc_without is None
    assert components["seat_use"].auc_without == 1.0


def test_backtest_lead_time_moves_reference(store: Store):
    report = run_backtest(store, 0, AS_OF)
    reference = {item.account_id: item.reference_date for item in report.accounts}

    assert reference["falls_event"] == date(2025, 4, 30)
    assert reference["level"] == AS_OF


def test_backtest_negative_lead_rejected(store: Store):
    with pytest.raises(InputError, match="Invalid --lead-days -1"):
        run_backtest(store, -1, AS_OF)


def test_backtest_without_churn_has_no_auc():
    book = Store("sqlite://")
    with book.session() as session:
        session.add_all([_account("A"), *_usage("A", date(2025, 1, 1), AS_OF, 10)])

    report = run_backtest(book, 30, AS_OF)

    assert report.auc is None
    assert report.auc_standard_error is None
    assert report.retained_accounts == 1
    assert "No churned account" in report.notes[0]


def _cli() -> typer.Typer:
    """An app with only `backtest_command`, which typer runs without a subcommand name."""
    app = typer.Typer()
    app.command()(backtest_command)
    return app


def test_backtest_cli_json(settings):
    store = open_store(settings)
    _book(store)
    store.close()

    result = runner.invoke(_cli(), ["--json"])

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    # The book's newest data is the late sign-up's usage on AS_OF.
    assert document["as_of"] == AS_OF.isoformat()
    assert document["auc"] == 1.0
    assert document["churned_accounts"] == 2
    assert document["skipped_by_reason"][SKIP_NO_SCORE] == 1


def test_backtest_cli_text(settings):
    store = open_store(settings)
    _book(store)
    store.close()

    result = runner.invoke(_cli(), ["--lead-days", "30"])

    assert result.exit_code == 0, result.output
    assert "AUC 1.000" in result.stdout
    assert "2 churned, 2 retained; 3 skipped" in result.stdout
    assert "red        2 of    2 accounts churned (100%)" in result.stdout


def test_backtest_cli_rejects_negative_lead(settings):
    open_store(settings).close()

    result = runner.invoke(_cli(), ["--lead-days", "-5"])

    assert result.exit_code == 2
    assert "--lead-days" in result.output
    assert "greater than or equal to 0" in result.output


def test_backtest_sample_business(demo_settings, demo_store):
    stories = json.loads((demo_settings.home / "sample" / "stories.json").read_text())
    churned_stories = {account for account, story in stories.items() if story["story"] == "churned"}

    report = run_backtest(demo_store, 30, date(2026, 11, 30))
    churned = {item.account_id for item in report.accounts if item.churned}
    bands = {row.band: row for row in report.bands}

    assert churned == churned_stories
    assert report.churned_accounts == 5
    assert report.auc is not None and report.auc > 0.8
    assert bands["green"].churned == 0
    assert bands["red"].churned + bands["yellow"].churned == 5
