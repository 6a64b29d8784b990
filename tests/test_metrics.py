"""GRR, NRR and logo retention on hand-worked books and on the sample business."""

from __future__ import annotations

import json
from datetime import date

import pytest
import typer
from typer.testing import CliRunner

from agent.cli.metrics_cmd import metrics_command
from agent.errors import InputError
from agent.insights.metrics import retention_metrics, year_before
from agent.store import Account, ChurnEvent, Store, Subscription, UsageRecord, open_store

START = date(2025, 1, 1)
END = date(2025, 12, 31)

runner = CliRunner()


@pytest.fixture
def store() -> Store:
    return Store("sqlite://")


def _subscription(
    account_id: str,
    number: int,
    start: date | None,
    end: date | None,
    arr: float | None,
    **extra,  # noqa: ANN003 - other Subscription columns
) -> Subscription:
    return Subscription(
        id=f"{account_id}-s{number}",
        account_id=account_id,
        start_date=start,
        end_date=end,
        arr=arr,
        **extra,
    )


def _add(store: Store, *rows) -> None:  # noqa: ANN002 - table rows
    with store.session() as session:
        session.add_all(rows)


def _accounts(store: Store, *ids: str) -> None:
    _add(store, *(Account(id=account_id, name=f"Account {account_id}") for account_id in ids))


def _domain_example(store: Store) -> None:
    """Start 2.0M, then expansion 0.3M, contraction 0.1M and churn 0.2M over 2025."""
    _accounts(store, "grow", "shrink", "leave", "flat")
    _add(
        store,
        _subscription("grow", 1, date(2024, 3, 1), date(2025, 6, 30), 1_000_000),
        _subscription("grow", 2, date(2025, 7, 1), None, 1_300_000),
        _subscription("shrink", 1, date(2024, 5, 1), date(2025, 3, 31), 500_000),
        _subscription("shrink", 2, date(2025, 4, 1), None, 400_000),
        _subscription("leave", 1, date(2024, 1, 1), date(2025, 5, 31), 200_000),
        _subscription("flat", 1, date(2024, 2, 1), None, 300_000),
    )


def test_metrics_domain_example(store: Store):
    _domain_example(store)

    metrics = retention_metrics(store, START, END)

    assert metrics.starting_arr == pytest.approx(2_000_000)
    assert metrics.expansion == pytest.approx(300_000)
    assert metrics.contraction == pytest.approx(100_000)
    assert metrics.churned_arr == pytest.approx(200_000)
    assert metrics.ending_arr == pytest.approx(2_000_000)
    assert metrics.grr == pytest.approx(0.85)
    assert metrics.nrr == pytest.approx(1.00)
    assert metrics.logo_retention == pytest.approx(0.75)
    assert metrics.cohort_accounts == 4
    assert metrics.accounts_expanded == 1
    assert metrics.accounts_contracted == 1
    assert metrics.accounts_churned == 1
    assert metrics.accounts_flat == 1
    assert metrics.notes == []


def test_metrics_movements_list_each_account(store: Store):
    _domain_example(store)

    movements = {m.account_id: m for m in retention_metrics(store, START, END).movements}

    assert movements["leave"].movement == "churned"
    assert movements["leave"].end_arr == 0
    assert movements["shrink"].movement == "contracted"
    assert movements["grow"].change == pytest.approx(300_000)
    assert movements["flat"].movement == "flat"


def test_metrics_partial_churn_is_contraction(store: Store):
    _accounts(store, "A")
    _add(
        store,
        _subscription("A", 1, date(2024, 1, 1), None, 6_000),
        _subscription("A", 2, date(2024, 1, 1), date(2025, 8, 31), 4_000),
    )

    metrics = retention_metrics(store, START, END)

    assert metrics.contraction == pytest.approx(4_000)
    assert metrics.churned_arr == 0
    assert metrics.accounts_churned == 0
    assert metrics.accounts_contracted == 1
    assert metrics.grr == pytest.approx(0.6)
    assert metrics.logo_retention == 1.0


def test_metrics_zero_start_undefined(store: Store):
    _accounts(store, "new")
    _add(store, _subscription("new", 1, date(2025, 3, 1), None, 12_000))

    metrics = retention_metrics(store, START, END)

    assert metrics.starting_arr == 0
    assert metrics.grr is None
    assert metrics.nrr is None
    assert metrics.logo_retention is None
    assert metrics.cohort_accounts == 0
    assert "undefined" in metrics.notes[0]


def test_metrics_empty_store_is_undefined(store: Store):
    metrics = retention_metrics(store, START, END)

    assert metrics.grr is None
    assert metrics.new_logos_excluded == 0


def test_metrics_new_logos_excluded(store: Store):
    _accounts(store, "old", "new", "came_and_went")
    _add(
        store,
        _subscription("old", 1, date(2024, 1, 1), None, 10_000),
        _subscription("new", 1, date(2025, 3, 1), None, 50_000),
        _subscription("came_and_went", 1, date(2025, 2, 1), date(2025, 4, 30), 8_000),
    )

    metrics = retention_metrics(store, START, END)

    assert metrics.cohort_accounts == 1
    assert metrics.starting_arr == pytest.approx(10_000)
    assert metrics.nrr == pytest.approx(1.0)
    assert metrics.new_logos_excluded == 1
    assert metrics.new_logo_arr_excluded == pytest.approx(50_000)


def test_metrics_lapse_and_return_retained(store: Store):
    _accounts(store, "back")
    _add(
        store,
        _subscription("back", 1, date(2024, 6, 1), date(2025, 3, 31), 10_000),
        _subscription("back", 2, date(2025, 7, 1), None, 12_000),
    )

    metrics = retention_metrics(store, START, END)

    assert metrics.accounts_churned == 0
    assert metrics.accounts_lapsed_and_returned == 1
    assert metrics.expansion == pytest.approx(2_000)
    assert metrics.logo_retention == 1.0
    assert metrics.movements[0].lapsed_and_returned is True


def test_metrics_gapless_renewal_not_lapse(store: Store):
    _accounts(store, "renews")
    _add(
        store,
        _subscription("renews", 1, date(2024, 7, 1), date(2025, 6, 30), 10_000),
        _subscription("renews", 2, date(2025, 7, 1), None, 10_000),
    )

    metrics = retention_metrics(store, START, END)

    assert metrics.accounts_flat == 1
    assert metrics.accounts_lapsed_and_returned == 0


def test_metrics_end_date_inclusive(store: Store):
    _accounts(store, "ends_on_start", "ends_on_end", "starts_on_start", "starts_on_end")
    _add(
        store,
        _subscription("ends_on_start", 1, date(2024, 1, 1), START, 1_000),
        _subscription("ends_on_end", 1, date(2024, 1, 1), END, 2_000),
        _subscription("starts_on_start", 1, START, None, 4_000),
        _subscription("starts_on_end", 1, END, None, 8_000),
    )

    metrics = retention_metrics(store, START, END)
    movements = {m.account_id: m.movement for m in metrics.movements}

    assert movements == {
        "ends_on_start": "churned",
        "ends_on_end": "flat",
        "starts_on_start": "flat",
    }
    assert metrics.starting_arr == pytest.approx(7_000)
    assert metrics.new_logos_excluded == 1
    assert metrics.new_logo_arr_excluded == pytest.approx(8_000)


def test_metrics_trials_excluded(store: Store):
    _accounts(store, "trial", "paid")
    _add(
        store,
        _subscription("trial", 1, date(2024, 12, 1), None, 5_000, is_trial=True),
        _subscription("paid", 1, date(2024, 12, 1), None, 5_000, is_trial=False),
    )

    metrics = retention_metrics(store, START, END)

    assert metrics.cohort_accounts == 1
    assert metrics.starting_arr == pytest.approx(5_000)


def test_metrics_mrr_when_arr_missing(store: Store):
    _accounts(store, "monthly")
    _add(store, _subscription("monthly", 1, date(2024, 1, 1), None, None, mrr=500.0))

    metrics = retention_metrics(store, START, END)

    assert metrics.starting_arr == pytest.approx(6_000)


def test_metrics_missing_dates_mean_open(store: Store):
    _accounts(store, "undated")
    _add(store, _subscription("undated", 1, None, None, 3_000))

    metrics = retention_metrics(store, START, END)

    assert metrics.starting_arr == pytest.approx(3_000)
    assert metrics.accounts_flat == 1


def test_metrics_rejects_reversed_period(store: Store):
    with pytest.raises(InputError, match="is not before the end"):
        retention_metrics(store, END, START)
    with pytest.raises(InputError, match="is not before the end"):
        retention_metrics(store, START, START)


def test_metrics_default_period_newest_data(store: Store):
    _accounts(store, "A")
    _add(
        store,
        _subscription("A", 1, date(2024, 1, 1), None, 1_000),
        UsageRecord(
            id="u1", account_id="A", usage_date=date(2025, 9, 15), feature="f", usage_count=1
        ),
    )

    metrics = retention_metrics(store)

    assert metrics.period_end == date(2025, 9, 15)
    assert metrics.period_start == date(2024, 9, 15)


def test_year_before_leap_day():
    assert year_before(date(2024, 2, 29)) == date(2023, 2, 28)
    assert year_before(date(2025, 3, 1)) == date(2024, 3, 1)


def test_metrics_notes_kept_churn_event(store: Store):
    _accounts(store, "A")
    _add(
        store,
        _subscription("A", 1, date(2024, 1, 1), None, 1_000),
        ChurnEvent(id="c1", account_id="A", churn_date=date(2025, 5, 1)),
    )

    metrics = retention_metrics(store, START, END)

    assert metrics.accounts_churned == 0
    assert metrics.accounts_kept_despite_churn_event == 1
    assert any("churn event" in note for note in metrics.notes)


def test_metrics_notes_overlapping_subscriptions(store: Store):
    _accounts(store, "A")
    _add(
        store,
        _subscription("A", 1, date(2024, 1, 1), None, 1_000),
        _subscription("A", 2, date(2025, 2, 1), None, 1_500),
    )

    metrics = retention_metrics(store, START, END)

    assert metrics.accounts_with_overlapping_subscriptions == 1
    assert metrics.ending_arr == pytest.approx(2_500)
    assert any("more than one subscription" in note for note in metrics.notes)


def _cli() -> typer.Typer:
    """An app with only `metrics_command`, which typer runs without a subcommand name."""
    app = typer.Typer()
    app.command()(metrics_command)
    return app


def test_metrics_cli_json(settings):
    store = open_store(settings)
    _domain_example(store)
    store.close()

    result = runner.invoke(_cli(), ["--from", "2025-01-01", "--to", "2025-12-31", "--json"])

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["grr"] == pytest.approx(0.85)
    assert document["nrr"] == pytest.approx(1.0)
    assert document["period_start"] == "2025-01-01"
    assert len(document["movements"]) == 4


def test_metrics_cli_text(settings):
    store = open_store(settings)
    _domain_example(store)
    store.close()

    result = runner.invoke(_cli(), ["--from", "2025-01-01", "--to", "2025-12-31"])

    assert result.exit_code == 0, result.output
    assert "GRR             85.0%" in result.stdout
    assert "NRR             100.0%" in result.stdout
    assert "3 of 4 accounts kept" in result.stdout


def test_metrics_cli_rejects_bad_dates(settings):
    open_store(settings).close()

    reversed_period = runner.invoke(_cli(), ["--from", "2025-12-31", "--to", "2025-01-01"])
    not_a_date = runner.invoke(_cli(), ["--from", "31/12/2025"])

    assert reversed_period.exit_code == 1
    assert "is not before the end" in reversed_period.stderr
    assert not_a_date.exit_code == 1
    assert "expected a date as YYYY-MM-DD" in not_a_date.stderr


def test_metrics_sample_business(demo_store):
    stories = {"MW-A006", "MW-A012", "MW-A014", "MW-A018", "MW-A023"}

    metrics = retention_metrics(demo_store, date(2025, 11, 30), date(2026, 11, 30))
    churned = {m.account_id for m in metrics.movements if m.movement == "churned"}

    assert churned == stories
    assert metrics.grr is not None and metrics.grr <= 1.0
    assert metrics.ending_arr == pytest.approx(
        metrics.starting_arr + metrics.expansion - metrics.contraction - metrics.churned_arr
    )
    assert metrics.nrr == pytest.approx(metrics.ending_arr / metrics.starting_arr)
    assert metrics.accounts_with_overlapping_subscriptions == 0
    assert metrics.accounts_kept_despite_churn_event == 0
