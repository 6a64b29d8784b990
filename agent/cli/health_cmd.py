"""`csm health NAME` and `csm health backtest`, as one group with a default command."""

from __future__ import annotations

import typer
from typer.core import TyperGroup

from agent.cli import insight_cmds, metrics_cmd
from agent.cli.common import handle_errors, open_context
from agent.errors import InputError


class DefaultCommandGroup(TyperGroup):
    """A group that sends a first argument naming no subcommand to its `show` command.

    So `csm health "Northwind Studios"` means `csm health show "Northwind Studios"`, while
    `csm health backtest` runs the backtest. An account literally named `backtest` is
    reached by its id or through `csm health show`.
    """

    def resolve_command(self, ctx, args):  # noqa: ANN001, ANN201 - Click's signature
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["show", *args]
        return super().resolve_command(ctx, args)


app = typer.Typer(
    cls=DefaultCommandGroup,
    help="Explain an account's health (`csm health NAME`), override it, or backtest the model.",
    no_args_is_help=True,
)
app.command("show")(insight_cmds.health_command)
app.command("backtest")(metrics_cmd.backtest_command)


@app.command("override")
@handle_errors
def override_command(
    name: str = typer.Argument(..., help="Account name or id."),
    score: int = typer.Option(None, "--score", help="Your score for the account, 0 to 100."),
    note: str = typer.Option(None, "--note", help="Why: shown with every explanation."),
    days: int = typer.Option(90, "--days", help="Days until the override lapses."),
    clear: bool = typer.Option(False, "--clear", help="End the account's override now."),
) -> None:
    """Set or clear your own health score for an account, with a note and an expiry."""
    import os

    from agent.insights.book import default_as_of
    from agent.insights.overrides import clear_override, set_override

    _settings, store = open_context()
    account = store.resolve_account(name)
    if clear:
        count = clear_override(store, account.id)
        typer.echo(f"Cleared {count} override(s) of {account.name}.")
        return
    if score is None or note is None:
        raise InputError("Give --score N and --note TEXT, or --clear.")
    author = os.environ.get("CSM_SENDER_NAME") or account.csm_name
    with store.session() as session:
        # Dated in the book's time (today, or the newest data of a book that ends earlier),
        # so the override applies to the scores shown by default.
        start = default_as_of(session)
    override = set_override(store, account.id, score, note, days, author, start)
    typer.echo(
        f"{account.name}: health set to {override.score} until {override.expires_on} "
        f"({override.note})."
    )
