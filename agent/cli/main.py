"""The `csm` application: registers one module per command group.

Command modules import only typer at module level; the heavy libraries (SQLAlchemy,
Chroma, onnxruntime, LangChain) load inside the command that needs them, so that
`csm --help` stays fast.
"""

from __future__ import annotations

import sys

import typer

from agent.cli import (
    assistant_cmds,
    demo_cmd,
    draft_cmd,
    eval_cmd,
    health_cmd,
    import_cmd,
    index_cmd,
    init_cmd,
    insight_cmds,
    key_cmd,
    metrics_cmd,
    search_cmd,
)
from agent.cli.common import debug_enabled

app = typer.Typer(
    name="csm",
    help="An assistant for Customer Success Managers: triage, health, search and drafts. "
    "State lives under CSM_HOME (default ~/.csm).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.command("demo")(demo_cmd.demo_command)
app.command("init")(init_cmd.init_command)
app.command("setup")(init_cmd.setup_command)
app.command("import")(import_cmd.import_command)
app.command("accounts")(insight_cmds.accounts_command)
app.add_typer(health_cmd.app, name="health")
app.command("metrics")(metrics_cmd.metrics_command)
app.command("portfolio")(metrics_cmd.portfolio_command)
app.command("sentiment")(insight_cmds.sentiment_command)
app.command("search")(search_cmd.search_command)
app.add_typer(draft_cmd.app, name="draft")
app.command("ask")(assistant_cmds.ask_command)
app.command("chat")(assistant_cmds.chat_command)
app.add_typer(index_cmd.app, name="index")
app.add_typer(key_cmd.app, name="key")
app.add_typer(eval_cmd.app, name="eval")


# Exit status for an exception no command turned into an `Error:` line: EX_SOFTWARE
# from BSD sysexits.h, "an internal software error has been detected".
INTERNAL_ERROR_EXIT = 70


def run() -> None:
    """Entry point of the `csm` console script.

    An exception that escapes every command's error handling is a bug. It is shown as one
    line naming CSM_DEBUG=1, which re-raises it with the traceback. Tests call `app`
    directly and so still see the exception itself.
    """
    try:
        app()
    except Exception as error:
        if debug_enabled():
            raise
        reason = (str(error).strip().splitlines() or [""])[0][:300]
        typer.echo(
            f"Error: unexpected {type(error).__name__}: {reason}. This is a bug in csm: run "
            "the command again with CSM_DEBUG=1 to see the traceback, and report it.",
            err=True,
        )
        sys.exit(INTERNAL_ERROR_EXIT)


if __name__ == "__main__":
    run()
