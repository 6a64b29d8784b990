"""`csm health NAME` and `csm health backtest`, as one group with a default command."""

from __future__ import annotations

import typer
from typer.core import TyperGroup

from agent.cli import insight_cmds, metrics_cmd


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
    help="Explain an account's health (`csm health NAME`) or backtest the health model.",
    no_args_is_help=True,
)
app.command("show")(insight_cmds.health_command)
app.command("backtest")(metrics_cmd.backtest_command)
