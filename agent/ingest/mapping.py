"""Decide which source column feeds which field: `--map` first, then field names, then aliases."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from agent.errors import InputError
from agent.ingest.kinds import Alias, KindSpec, normalize_column


@dataclass
class ColumnPlan:
    """The outcome of matching a file's header to a kind's fields.

    Attributes:
        columns: source column name to the alias (field and conversion) it feeds.
        ignored: source columns that feed no field.
        warnings: notes for the report, such as two columns claiming one field.
    """

    columns: dict[str, Alias] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def fields(self) -> set[str]:
        return {alias.field for alias in self.columns.values()}


def parse_map_options(mapping: Mapping[str, str] | Iterable[str] | None) -> dict[str, str]:
    """Turn `--map SOURCE_COLUMN=FIELD` options (or a ready dict) into a dict.

    Raises:
        InputError: an option has no `=`, or an empty column or field name.
    """
    if mapping is None:
        return {}
    if isinstance(mapping, Mapping):
        return {str(source): str(target) for source, target in mapping.items()}
    result: dict[str, str] = {}
    for option in mapping:
        source, sep, target = option.rpartition("=")
        if not sep or not source.strip() or not target.strip():
            raise InputError(
                f"Invalid --map {option!r}: write it as SOURCE_COLUMN=FIELD, "
                "e.g. --map 'Customer Name=name'."
            )
        result[source.strip()] = target.strip()
    return result


def _find_column(header: list[str], wanted: str) -> str | None:
    if wanted in header:
        return wanted
    key = normalize_column(wanted)
    for column in header:
        if normalize_column(column) == key:
            return column
    return None


def _user_columns(header: list[str], spec: KindSpec, user_map: dict[str, str]) -> dict:
    valid = spec.fields
    columns: dict[str, Alias] = {}
    for source, target in user_map.items():
        if target not in valid:
            raise InputError(
                f"--map {source}={target}: {target!r} is not a field of {spec.name}. "
                f"Valid fields: {', '.join(valid)}."
            )
        column = _find_column(header, source)
        if column is None:
            raise InputError(
                f"--map {source}={target}: the file has no column {source!r}. "
                f"Columns found: {', '.join(header) or '(none)'}."
            )
        columns[column] = Alias(target)
    return columns


def plan_columns(header: list[str], spec: KindSpec, user_map: dict[str, str]) -> ColumnPlan:
    """Match each source column to a field.

    A `--map` option wins over a column named exactly like a field, which wins over an
    alias. When two columns claim the same field at the same rank, the first one in the
    header feeds it and the other is ignored with a warning.

    Raises:
        InputError: a `--map` target is not a field of the kind, or its column is missing.
    """
    plan = ColumnPlan(columns=_user_columns(header, spec, user_map))
    claimed = {alias.field: column for column, alias in plan.columns.items()}
    valid = set(spec.fields)
    candidates: list[tuple[int, str, Alias]] = []
    for column in header:
        if column in plan.columns:
            continue
        key = normalize_column(column)
        if key in valid:
            candidates.append((0, column, Alias(key)))
        elif key in spec.aliases:
            candidates.append((1, column, spec.aliases[key]))
        else:
            plan.ignored.append(column)
    for _rank, column, alias in sorted(candidates, key=lambda item: item[0]):
        if alias.field in claimed:
            plan.ignored.append(column)
            plan.warnings.append(
                f"Column {column!r} was ignored because {claimed[alias.field]!r} already "
                f"feeds {alias.field}."
            )
            continue
        claimed[alias.field] = column
        plan.columns[column] = alias
    return plan


def check_required(
    plan: ColumnPlan, spec: KindSpec, header: list[str], path: str, account_given: bool
) -> None:
    """Raise a file-level error when a required field has no column.

    Only accounts and docs require an id column, because other kinds derive a missing id
    from the row. With `--account`, the account_id column is optional for kinds that accept
    the flag.

    Raises:
        InputError: names the file, the field, the columns found and the `--map` fix.
    """
    provided = plan.fields
    for choices in spec.required:
        if provided.intersection(choices):
            continue
        if choices == ("account_id",) and spec.account_from_flag and account_given:
            continue
        field_names = " or ".join(choices)
        fix = f"Add the column, or map one with --map COLUMN={choices[0]}"
        if choices == ("account_id",) and spec.account_from_flag:
            fix += ", or pass --account ID_OR_NAME to attach every row to one account"
        raise InputError(
            f"{path}: no column for the required field {field_names} of {spec.name}. "
            f"Columns found: {', '.join(header) or '(none)'}. {fix}."
        )
