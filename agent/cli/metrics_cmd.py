"""`csm metrics` (GRR, NRR, logo retention) and the health score's backtest."""

from __future__ import annotations

from datetime import date

import typer

from agent.cli.common import handle_errors, open_context, print_json
from agent.errors import InputError


def _parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"Invalid {option} {value!r}: expected a date as YYYY-MM-DD.") from None


@handle_errors
def metrics_command(
    period_start: str = typer.Option(
        None,
        "--from",
        help="First day of the period (YYYY-MM-DD). Default: one year before --to.",
    ),
    period_end: str = typer.Option(
        None,
        "--to",
        help="Last day of the period (YYYY-MM-DD). "
        "Default: today, or the newest data in the store if older.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Compute GRR, NRR and logo retention of the accounts that had ARR when the period began."""
    from agent.insights.metrics import metrics_text, retention_metrics

    start = _parse_date(period_start, "--from")
    end = _parse_date(period_end, "--to")
    _settings, store = open_context()
    metrics = retention_metrics(store, start, end)
    if as_json:
        print_json(metrics.to_dict())
        return
    typer.echo(metrics_text(metrics))


def _backtest_text(report) -> str:  # noqa: ANN001 - BacktestReport, imported lazily
    r = report
    profiles = ", ".join(f"{name} {count}" for name, count in r.profiles.items())
    lines = [
        f"Backtest of the health score, scored {r.lead_days} days before each outcome",
        f"Health model version {r.model_version}, {r.model_source}; accounts scored per "
        f"profile: {profiles or 'none'}.",
        f"Churned accounts scored {r.lead_days} days before their latest churn date; retained "
        f"accounts scored on {r.retained_reference_date} ({r.as_of} minus {r.lead_days} days).",
        f"Accounts scored: {r.churned_accounts} churned, {r.retained_accounts} retained; "
        f"{len(r.skipped)} skipped.",
    ]
    if r.auc is not None:
        lines.append(
            f"AUC {r.auc:.3f} (standard error {r.auc_standard_error:.3f}): the probability that "
            "a retained account scores above a churned one; 0.5 is chance, 1.0 is perfect."
        )
    lines.append("Churn rate by band:")
    for band in r.bands:
        rate = "no accounts" if band.churn_rate is None else f"{band.churn_rate:.0%}"
        lines.append(
            f"  {band.band:<7} {band.churned:>4} of {band.accounts:>4} accounts churned ({rate})"
        )
    lines.append(
        "By component: its AUC alone (over the accounts where it was present), "
        "and the score's AUC without it:"
    )
    for c in r.components:
        alone = "   n/a" if c.auc is None else f"{c.auc:6.3f}"
        without = "   n/a" if c.auc_without is None else f"{c.auc_without:6.3f}"
        lines.append(
            f"  {c.label:<22} alone {alone}  without {without}  "
            f"({c.churned} churned, {c.retained} retained)"
        )
    if r.skipped:
        lines.append("Skipped:")
        lines.extend(f"  {count:>4}  {reason}" for reason, count in r.skipped_by_reason.items())
    lines.extend(r.notes)
    return "\n".join(lines)


@handle_errors
def backtest_command(
    lead_days: int = typer.Option(
        30,
        "--lead-days",
        min=0,
        help="Score each account this many days before its outcome: before its latest churn "
        "date if it churned, before the book's as-of date if it stayed.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Backtest the health score: AUC and churn rate per band on past churn outcomes."""
    from agent.insights.backtest import run_backtest

    _settings, store = open_context()
    report = run_backtest(store, lead_days)
    if as_json:
        print_json(report.to_dict())
        return
    typer.echo(_backtest_text(report))


@handle_errors
def portfolio_command(
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Show the book by band, renewals in 30/60/90 days with ARR at risk, and the week's movers."""
    from dataclasses import asdict

    from agent.insights.portfolio import portfolio

    _settings, store = open_context()
    try:
        result = portfolio(store)
    finally:
        store.close()
    if as_json:
        document = asdict(result)
        for mover, raw in zip(result.movers, document["movers"], strict=True):
            raw["change"] = mover.change
        print_json(document)
        return
    typer.echo(f"Book as of {result.as_of}")
    typer.echo("  " + ", ".join(f"{band} {count}" for band, count in result.bands.items() if count))
    typer.echo("Renewals ahead:")
    for window in result.renewals:
        typer.echo(
            f"  within {window.within_days:>2} days: {window.accounts:>3} accounts, ARR "
            f"{window.arr:,.0f}, at risk {window.arr_at_risk:,.0f}"
            + (f" ({', '.join(window.names[:5])})" if window.names else "")
        )
    typer.echo("Largest moves in health over the last 7 days:")
    if not result.movers:
        typer.echo("  none")
    for mover in result.movers:
        typer.echo(
            f"  {mover.account_name} ({mover.account_id}): {mover.before} -> {mover.now} "
            f"({mover.change:+d})"
        )
