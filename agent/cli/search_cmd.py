"""`csm search`: ranked passages from notes, tickets and docs, each with its source."""

from __future__ import annotations

import typer

from agent.cli.common import handle_errors, open_context, print_json, stderr
from agent.errors import InputError

KIND_CHOICES = ("notes", "tickets", "docs")
MODE_CHOICES = ("hybrid", "dense", "keyword")


@handle_errors
def search_command(
    query: str = typer.Argument(..., help="What to look for."),
    account: str = typer.Option(
        None,
        "--account",
        "-a",
        help="Only this account's notes and tickets (plus the shared product docs).",
    ),
    kind: str = typer.Option(None, "--kind", help="Only notes, tickets or docs."),
    k: int = typer.Option(5, "-k", help="How many passages to return.", min=1, max=100),
    mode: str = typer.Option(
        "hybrid",
        "--mode",
        help="hybrid (meaning and exact words, fused), dense (meaning only) or keyword (BM25).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Search call notes, tickets and product docs; each passage shows its source and date."""
    from agent.assistant.tools import ToolContext, search

    if mode not in MODE_CHOICES:
        raise InputError(f"--mode {mode!r} is not valid; use one of {', '.join(MODE_CHOICES)}.")
    if kind is not None and kind not in KIND_CHOICES:
        raise InputError(f"--kind {kind!r} is not valid; use one of {', '.join(KIND_CHOICES)}.")
    settings, store = open_context()
    record = store.resolve_account(account) if account is not None else None
    account_id = record.id if record is not None else None
    if record is not None and account.strip().casefold() not in (
        record.id.casefold(),
        record.name.casefold(),
    ):
        stderr(f"Searching {record.name} ({record.id}), the closest match to {account!r}.")
    result = search(
        ToolContext(settings, store), query, account=account_id, kind=kind, k=k, mode=mode
    )
    if as_json:
        print_json({**result.data, "account": account_id})
    else:
        typer.echo(result.text)
