"""`csm accounts`, `csm health` and `csm sentiment`."""

from __future__ import annotations

from pathlib import Path

import typer

from agent.cli.common import handle_errors, open_context, parse_date, print_json, stderr
from agent.errors import InputError


@handle_errors
def accounts_command(
    at_risk: bool = typer.Option(
        False, "--at-risk", help="Only red or yellow accounts, or accounts with a risk signal."
    ),
    limit: int = typer.Option(0, "--limit", "-n", min=0, help="Show at most this many (0: all)."),
    as_of: str = typer.Option(
        None,
        "--as-of",
        help="Score as of this date (YYYY-MM-DD); "
        "default: today, or the newest data in the store if older.",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """List the book ranked by risk, with each account's band and main driver."""
    from agent.insights.health import rank_book
    from agent.insights.render import triage_text

    _settings, store = open_context()
    day = parse_date(as_of, "--as-of")
    # Only the default date is saved as a snapshot, scored with that day's data. Use
    # `csm health snapshot --as-of` to record another day.
    reports = rank_book(store, day, record=day is None)
    churned = [r for r in reports if r.churned]
    reports = [r for r in reports if not r.churned]
    if at_risk:
        reports = [r for r in reports if r.at_risk]
    if limit:
        reports = reports[:limit]
    if as_json:
        print_json({"accounts": [r.to_dict() for r in reports], "churned_hidden": len(churned)})
        return
    typer.echo(triage_text(reports))
    if churned:
        typer.echo(f"{len(churned)} churned accounts are not listed.")


@handle_errors
def health_command(
    name: str = typer.Argument(..., help="Account name or id; close spellings are matched."),
    as_of: str = typer.Option(None, "--as-of", help="Score as of this date (YYYY-MM-DD)."),
    explain: bool = typer.Option(
        False,
        "--explain",
        help="Add how the account's profile scores each input, and the trend: the score 7, "
        "30 and 90 days earlier.",
    ),
    since: str = typer.Option(
        None, "--since", help="Show what moved the score since this date (YYYY-MM-DD)."
    ),
    chart: Path = typer.Option(
        None,
        "--chart",
        help="Write a PNG of the health score and daily usage over the 90 days to the "
        "scoring date.",
        dir_okay=False,
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Explain an account's health score: components, weights, drivers, missing inputs."""
    from agent.insights.health import health_for
    from agent.insights.health_model import active_model
    from agent.insights.render import changes_text, health_text, rules_text, trend_text
    from agent.insights.trend import changes_since, trend

    _settings, store = open_context()
    model = active_model()
    account = store.resolve_account(name)
    report = health_for(store, account.id, parse_date(as_of, "--as-of"), model)
    since_date = parse_date(since, "--since")
    if since_date is not None and since_date >= report.as_of:
        raise InputError(f"--since {since} must be before the scoring date {report.as_of}.")
    points = trend(store, report, model) if explain or since_date else None
    moved = changes_since(store, report, since_date, model) if since_date else None
    drawn = _write_chart(store, report, chart, model) if chart else None
    if as_json:
        document = {**report.to_dict(), "trend": points, "since": moved}
        if drawn is not None:
            document["chart"] = drawn
        print_json(document)
        return
    typer.echo(health_text(report))
    if explain:
        typer.echo(rules_text(report, model))
    if points is not None:
        typer.echo(trend_text(points))
    if moved is not None:
        typer.echo(changes_text(moved))
    if drawn is not None:
        stderr(
            f"Wrote {drawn['path']}: {drawn['days_from_snapshots']} days from snapshots, "
            f"{drawn['days_recomputed']} recomputed."
        )


def _write_chart(store, report, path: Path, model) -> dict:  # noqa: ANN001 - lazy imports
    from dataclasses import asdict

    from agent.insights.health_chart import write_health_chart

    result = write_health_chart(store, report, path, model)
    return {**asdict(result), "path": str(result.path)}


@handle_errors
def sentiment_command(
    name: str = typer.Argument(None, help="Account name or id."),
    text: str = typer.Option(None, "--text", help="Score this text instead of an account."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Score sentiment: of a text (by the model when one is configured, else VADER), or of an
    account's recent interactions (VADER)."""
    from agent.assistant.tools import ToolContext, sentiment
    from agent.config import load_settings

    if (name is None) == (text is None):
        raise InputError("Give an account name or --text TEXT, not both and not neither.")
    if text is not None and not text.strip():
        raise InputError("--text is empty. Pass the text to score, e.g. --text 'Exports fail'.")
    settings = load_settings()
    if text is not None and settings.has_model:
        from agent.llm import chat_model, model_name

        ctx = ToolContext(settings, None, chat_model(settings), model_name(settings))
        result = sentiment(ctx, text=text)
        if as_json:
            print_json(result.data)
        else:
            typer.echo(result.text)
        return
    if text is not None:
        from agent.insights.sentiment import score_text

        score = score_text(text)
        if as_json:
            print_json({"text": text, "label": score.label, **score.__dict__})
        else:
            typer.echo(f"{score.label} (VADER compound {score.compound:+.2f})")
        return
    settings, store = open_context()
    account = store.resolve_account(name)
    result = sentiment(ToolContext(load_settings(), store), account=account.id)
    if as_json:
        print_json(result.data)
    else:
        typer.echo(result.text)
