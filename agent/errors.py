"""Exception families: user mistakes, run-time failures, and messages meant for the model.

Core code raises these; only the CLI turns them into one `Error: ...` line and an exit code.
"""


class CsmError(Exception):
    """A mistake the user can fix: bad input, unknown name, missing setup."""

    exit_code = 1


class NotFoundError(CsmError):
    """A named thing (account, file, source) that does not exist."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        self.suggestions = suggestions or []
        super().__init__(message)


class InputError(CsmError):
    """Input that cannot be read or validated: a file, a column, a value."""


class ConfigError(CsmError):
    """A setting that is missing or invalid."""


class RuntimeFailure(Exception):
    """A failure at run time that the user did not cause: provider down, timeout."""

    exit_code = 2


class ToolError(Exception):
    """A message for the model: a tool call it should correct and retry."""
