"""`csm ask` and `csm chat`."""

from __future__ import annotations

import typer

from agent.cli.common import handle_errors, open_context, print_json, stderr


def _context():  # noqa: ANN202 - returns a ToolContext
    from agent.assistant.tools import ToolContext
    from agent.llm import chat_model, model_name

    settings, store = open_context()
    return ToolContext(settings, store, chat_model(settings), model_name(settings))


def _render(answer, in_chat: bool = False, streamed: bool = False) -> str:  # noqa: ANN001
    lines = [] if streamed else [answer.text]
    if answer.sources:
        lines.append("\nSources: " + "; ".join(answer.sources[:10]))
    for action in answer.pending:
        how = (
            f"type /confirm {action['number']} to do it"
            if in_chat
            else f"confirm it in `csm chat`, or run: {action['command']}"
        )
        lines.append(f"\nWaiting for you [{action['number']}]: {action['summary']} ({how}).")
    return "\n".join(lines)


class _StreamPrinter:
    """Show a streamed turn: tool calls dimmed on stderr, the answer's words on stdout."""

    def __init__(self) -> None:
        self.streamed = False

    def __call__(self, kind: str, payload) -> None:  # noqa: ANN001 - str or dict
        if kind == "tool_call":
            shown = ", ".join(f"{key}={value!r}" for key, value in payload["args"].items())
            typer.secho(f"  -> {payload['name']}({shown})", err=True, dim=True)
        elif kind == "token":
            typer.echo(payload, nl=False)
            self.streamed = True


@handle_errors
def ask_command(
    question: str = typer.Argument(..., help="The request, in plain words."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Answer one request with the tools (and the model, when one is configured)."""
    from agent.assistant.agent import answer

    ctx = _context()
    result = answer(ctx, question)
    if as_json:
        print_json(result.__dict__)
        return
    typer.echo(_render(result))
    if result.hint:
        stderr(result.hint)


@handle_errors
def chat_command() -> None:
    """Chat with the assistant in the terminal; /help lists the commands."""
    from agent.assistant.chat import ChatSession, EndSession
    from agent.errors import CsmError, RuntimeFailure

    ctx = _context()
    session = ChatSession(ctx)
    mode = f"model {ctx.model_name}" if ctx.model is not None else "no model: tool routing"
    stderr(f"csm chat ({mode}). /help for commands, Ctrl-D to leave.")
    hinted = False
    while True:
        try:
            line = input("csm> ").strip()
        except (EOFError, KeyboardInterrupt):
            typer.echo("")
            return
        if not line:
            continue
        printer = _StreamPrinter()
        try:
            if line.startswith("/"):
                typer.echo(session.command(line))
                continue
            result = session.ask(line, printer if ctx.model is not None else None)
        except EndSession:
            return
        except KeyboardInterrupt:
            typer.echo("\n(stopped)")
            continue
        except (CsmError, RuntimeFailure, OSError) as error:
            # The session goes on, so a server that is down for one request can be retried.
            typer.echo(f"Error: {error}")
            continue
        if printer.streamed:
            typer.echo("")
        rendered = _render(result, in_chat=True, streamed=printer.streamed)
        if rendered:
            typer.echo(rendered)
        if result.hint and not hinted:
            stderr(result.hint)
            hinted = True
