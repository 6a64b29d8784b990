"""Validate candidate rows with the kind's pydantic model and settle duplicate ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from agent.ingest.kinds import KindSpec
from agent.ingest.report import RowError, show_value
from agent.ingest.sources import Candidate
from agent.ingest.values import is_blank

# Appended to an id that an earlier row of the same file used with other values. The second
# such row gets `~2`, the third `~3`.
DUPLICATE_ID_MARK = "~"


@dataclass
class ValidRow:
    """A validated row: its origin and the values to store, keyed by table column."""

    file: str
    row: int | None
    values: dict[str, Any]


@dataclass
class Validated:
    rows: list[ValidRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    duplicates_identical: int = 0
    renamed: list[str] = field(default_factory=list)


def _message(error: dict[str, Any], raw: Any, hint: str | None) -> str:
    if is_blank(raw):
        return "A required value is missing." + (f" {hint}" if hint else "")
    if error["type"] == "value_error":
        reason = str(error["ctx"]["error"])
        return reason[:1].upper() + reason[1:] + "."
    return str(error["msg"]) + "."


def row_errors(
    candidate: Candidate, error: ValidationError, hints: dict[str, str] | None = None
) -> list[RowError]:
    """Turn a pydantic ValidationError into one RowError per failed field.

    Args:
        candidate: the row that failed.
        error: the error pydantic raised for it.
        hints: a fix to add, by field, when that field's value is missing.
    """
    hints = hints or {}
    result = []
    for item in error.errors():
        name = str(item["loc"][0]) if item["loc"] else None
        raw = candidate.values.get(name) if name else None
        result.append(
            RowError(
                file=candidate.file,
                row=candidate.row,
                field=name,
                value=show_value(raw),
                message=_message(item, raw, hints.get(name) if name else None),
            )
        )
    return result


def validate_rows(
    spec: KindSpec,
    candidates: list[Candidate],
    import_date: date,
    hints: dict[str, str] | None = None,
) -> Validated:
    """Validate every candidate; a failing row becomes row errors and the rest go on.

    Args:
        spec: the kind whose record model validates the rows.
        candidates: rows keyed by field, with raw values.
        import_date: the date open-ended subscriptions renew from.
        hints: a fix to add, by field, when a required value is missing.
    """
    result = Validated()
    context = {"today": import_date}
    for candidate in candidates:
        try:
            record = spec.record.model_validate(candidate.values, context=context)
        except ValidationError as error:
            result.errors.extend(row_errors(candidate, error, hints))
            continue
        result.rows.append(ValidRow(candidate.file, candidate.row, record.model_dump()))
    return result


def settle_duplicate_ids(validated: Validated, compared_fields: set[str]) -> None:
    """Keep one row per id within a file.

    A row that repeats an earlier row exactly is dropped and counted. A row that reuses an
    earlier row's id with different values is kept under the id plus `~2` (`~3`, ...), so
    both reach the store. The suffix depends on row order, so it stays stable only while
    the file keeps its order.
    """
    first_by_id: dict[str, dict[str, Any]] = {}
    uses: dict[str, int] = {}
    unique_rows: list[ValidRow] = []
    for row in validated.rows:
        row_id = row.values["id"]
        values = {name: row.values.get(name) for name in compared_fields}
        if row_id not in first_by_id:
            first_by_id[row_id] = values
            uses[row_id] = 1
            unique_rows.append(row)
            continue
        if values == first_by_id[row_id]:
            validated.duplicates_identical += 1
            continue
        uses[row_id] += 1
        new_id = f"{row_id}{DUPLICATE_ID_MARK}{uses[row_id]}"
        row.values["id"] = new_id
        validated.renamed.append(f"{row.file}:{row.row}: {row_id} -> {new_id}")
        unique_rows.append(row)
    validated.rows = unique_rows
