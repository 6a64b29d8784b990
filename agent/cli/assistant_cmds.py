"""`csm ask` and `csm chat`."""

from __future__ import annotations

import typer

from agent.cli.common import handle_errors, open_context, print_json, stderr


def _context():  # noqa: ANN202 - returns a ToolContext
    from agent.assistant.tools import ToolContext
    from agent.llm import chat_model, model_name

    settings, store = open_context()
    return ToolContext(settings, store, chat_model(settings), model_name(settings))


def _render(answer) -> str:  # noqa: ANN001 - agent.assistant.agent.Answer
    lines = [answer.text]
    if answer.sources:
        lines.append("\nSources: " + "; ".join(answer.sources[:10]))
    return "\n".join(lines)


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
        try:
            if line.startswith("/"):
                typer.echo(session.command(line))
                continue
            result = session.ask(line)
        except EndSession:
            return
        except KeyboardInterrupt:
            typer.echo("(stopped)")
            continue
        except (CsmError, RuntimeFailure) as error:
            # The session goes on, so a server that is down for one request can be retried.
            typer.echo(f"Error: {error}")
            continue
        typer.echo(_render(result))
        if result.hint and not hinted:
            stderr(result.hint)
            hinted = True
