"""The result of one import: counts, the encoding read, ignored columns, warnings and row errors."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

MAX_VALUE_CHARS = 120


def show_value(value: Any) -> str | None:
    """Render a source value for an error message, shortened to MAX_VALUE_CHARS characters."""
    if value is None:
        return None
    text = str(value)
    if len(text) > MAX_VALUE_CHARS:
        text = text[: MAX_VALUE_CHARS - 3] + "..."
    return text


class RowError(BaseModel):
    """One row (or one file of a folder) that was not stored, and why."""

    file: str = Field(description="The file the row came from.")
    row: int | None = Field(
        default=None,
        description=(
            "1-based row: the line in a CSV file (the header is line 1) or a JSONL file, "
            "the element number in a JSON array; None for a whole text file."
        ),
    )
    field: str | None = Field(default=None, description="The field that failed, if one did.")
    value: str | None = Field(default=None, description="The source value that failed.")
    message: str = Field(description="Why the row was rejected and, where known, the fix.")


class ImportReport(BaseModel):
    """Outcome of `import_path` for one file or folder."""

    file: str = Field(description="The imported path as given.")
    kind: str = Field(description="The import kind, e.g. tickets.")
    encoding: str | None = Field(
        default=None, description="The text encoding used to read the file(s)."
    )
    dry_run: bool = Field(default=False, description="True when nothing was written.")
    inserted: int = Field(default=0, description="Rows new to the store (or that would be).")
    updated: int = Field(default=0, description="Stored rows whose fields changed.")
    unchanged: int = Field(default=0, description="Rows identical to the stored ones.")
    skipped: int = Field(default=0, description="Rows rejected with a row error.")
    indexed: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            "Counts from the search index for the text sources handed to it; empty when "
            "nothing was indexed."
        ),
    )
    ignored_columns: list[str] = Field(
        default_factory=list, description="Source columns that feed no field."
    )
    warnings: list[str] = Field(default_factory=list, description="Notes about the import.")
    errors: list[RowError] = Field(default_factory=list, description="Rejected rows.")

    @property
    def loaded(self) -> int:
        """Count the rows now in the store from this import, changed or not."""
        return self.inserted + self.updated + self.unchanged
