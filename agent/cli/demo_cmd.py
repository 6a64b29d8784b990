"""`csm demo`: the main job on the sample business, end to end, offline."""

from __future__ import annotations

import typer

from agent.cli.common import command_store, handle_errors, stderr

DEMO_QUERY = "what did Northwind Studios say about exports?"


def _section(title: str) -> None:
    typer.echo(f"\n== {title} " + "=" * max(0, 70 - len(title)))


@handle_errors
def demo_command(
    search_query: str = typer.Option(DEMO_QUERY, "--query", help="The search to show."),
) -> None:
    """Load the sample business if needed, then show triage, health, search and a draft."""
    from sqlalchemy import func, select

    from agent.assistant.router import find_account
    from agent.assistant.tools import ToolContext, at_risk, draft_email, health, search
    from agent.config import load_settings
    from agent.llm import CONNECT_HINT
    from agent.sample import load_sample
    from agent.store import Account
    from agent.store.db import create_home

    settings = load_settings()
    create_home(settings)
    store = command_store(settings)
    with store.session() as session:
        loaded = session.scalar(select(func.count()).select_from(Account))
    if not loaded:
        load_sample(settings, store, stderr)
        settings = load_settings()  # load_sample writes the sample's config.toml
    ctx = ToolContext(settings, store)

    _section("Morning triage: accounts at risk")
    triage = at_risk(ctx, limit=8)
    typer.echo(triage.text)

    if not triage.data["accounts"]:
        stderr("No account is at risk, so there is no health explanation or draft to show.")
        return
    top = triage.data["accounts"][0]
    _section(f"Why is {top['account_name']} at risk?")
    typer.echo(health(ctx, top["account_id"]).text)

    with store.session() as session:
        mentioned = find_account(search_query, list(session.scalars(select(Account))))
    scope = mentioned.id if mentioned else None
    _section(f"Search: {search_query!r}" + (f" in {mentioned.name}" if mentioned else ""))
    typer.echo(search(ctx, search_query, account=scope, k=3).text)

    _section(f"Draft: an email to {top['account_name']} about what is going wrong")
    typer.echo(draft_email(ctx, top["account_id"], "risk").text)
    stderr("\n" + CONNECT_HINT)
