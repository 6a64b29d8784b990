"""`csm key set` and `csm key clear`: the model API key, stored with mode 600 under CSM_HOME."""

from __future__ import annotations

import typer

from agent.cli.common import handle_errors

app = typer.Typer(
    help="Store the API key for the model server (never passed on the command line).",
    no_args_is_help=True,
)


@app.command("set")
@handle_errors
def set_command() -> None:
    """Read the API key from a hidden prompt (or stdin) and store it readable by you only."""
    import getpass
    import sys

    from agent.config import load_settings, write_key_file
    from agent.errors import InputError

    settings = load_settings()
    if sys.stdin.isatty():
        key = getpass.getpass("API key (input hidden): ")
    else:
        key = sys.stdin.readline()
    if not key.strip():
        raise InputError("No key given. Paste the key at the prompt, or pipe it on stdin.")
    path = write_key_file(settings.home, key)
    typer.echo(f"Stored the key in {path} (mode 600). OPENAI_API_KEY, when set, takes precedence.")


@app.command("clear")
@handle_errors
def clear_command() -> None:
    """Delete the stored API key."""
    from agent.config import KEY_FILE, load_settings

    path = load_settings().home / KEY_FILE
    if path.exists():
        path.unlink()
        typer.echo(f"Deleted {path}.")
    else:
        typer.echo("No key is stored.")
