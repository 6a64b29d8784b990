"""Helpers shared by the command modules: the error boundary, JSON output, the store."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

import typer

from agent.errors import CsmError, InputError, NotFoundError, RuntimeFailure

F = TypeVar("F", bound=Callable[..., Any])

# Stores opened by the running command, closed when it returns or fails. An engine left
# open past its command keeps SQLite connections that may write to the file later, when
# the garbage collector finalises them.
_command_stores: list[Any] = []


def debug_enabled() -> bool:
    """Return True when CSM_DEBUG is set to show tracebacks instead of one-line errors."""
    return os.environ.get("CSM_DEBUG", "").lower() in ("1", "true", "yes")


def describe_os_error(error: OSError) -> str:
    """Describe a file system error in one line: what failed, on which path, and the fix."""
    reason = error.strerror or str(error)
    paths = [str(name) for name in (error.filename, error.filename2) if name is not None]
    where = f": {' -> '.join(paths)}" if paths else ""
    return f"{reason}{where}. Check that the path exists and that you may read and write it."


def handle_errors(func: F) -> F:
    """Turn the core's exceptions into one `Error: ...` line on stderr and an exit code.

    A file system error (OSError) that the core did not turn into a typed error exits 1
    with its reason and path. With CSM_DEBUG=1 the exception propagates with its traceback.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (CsmError, RuntimeFailure) as error:
            if debug_enabled():
                raise
            typer.echo(f"Error: {error}", err=True)
            raise typer.Exit(code=error.exit_code) from None
        except BrokenPipeError:
            # The reader of stdout went away (`csm ... | head`): stop quietly, as Unix tools
            # do, and keep Python from reporting the pipe again at exit.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(code=141) from None
        except OSError as error:
            if debug_enabled():
                raise
            typer.echo(f"Error: {describe_os_error(error)}", err=True)
            raise typer.Exit(code=CsmError.exit_code) from None
        finally:
            while _command_stores:
                _command_stores.pop().close()

    return wrapper  # type: ignore[return-value]


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def print_json(document: Any) -> None:
    """Print exactly one JSON document on stdout."""
    sys.stdout.write(json.dumps(document, indent=2, default=_json_default, ensure_ascii=False))
    sys.stdout.write("\n")


def parse_date(value: str | None, option: str) -> date | None:
    """Parse an option's YYYY-MM-DD value; None stays None.

    Raises:
        InputError: the value is not a date.
    """
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} {value!r} is not a date; use YYYY-MM-DD.") from None


def stderr(message: str) -> None:
    """Write progress or a note for the user to stderr, keeping stdout for results."""
    typer.echo(message, err=True)


def open_context():  # noqa: ANN201 - returns (settings, store); imports stay lazy
    """Load settings and open the store, raising a clear error if `csm init` was not run.

    The store is closed when the command (wrapped in `handle_errors`) ends.
    """
    from agent.config import load_settings

    settings = load_settings()
    return settings, command_store(settings)


def command_store(settings):  # noqa: ANN001, ANN201 - Settings -> Store; imports stay lazy
    """Open the store of `settings` for the running command, which closes it at its end."""
    from agent.store import open_store

    store = open_store(settings)
    _command_stores.append(store)
    return store


__all__ = [
    "NotFoundError",
    "handle_errors",
    "open_context",
    "parse_date",
    "print_json",
    "stderr",
]
