"""The `csm` application: registers one module per command group.

Command modules import only typer at module level; the heavy libraries (SQLAlchemy,
Chroma, onnxruntime, LangChain) load inside the command that needs them, so that
`csm --help` stays fast.
"""

from __future__ import annotations

import typer

from agent.cli import (
    assistant_cmds,
    demo_cmd,
    draft_cmd,
    eval_cmd,
    import_cmd,
    init_cmd,
    insight_cmds,
    search_cmd,
)

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
app.command("health")(insight_cmds.health_command)
app.command("sentiment")(insight_cmds.sentiment_command)
app.command("search")(search_cmd.search_command)
app.add_typer(draft_cmd.app, name="draft")
app.command("ask")(assistant_cmds.ask_command)
app.command("chat")(assistant_cmds.chat_command)
app.add_typer(eval_cmd.app, name="eval")


def run() -> None:
    """Entry point of the `csm` console script."""
    app()


if __name__ == "__main__":
    run()
