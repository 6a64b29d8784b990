"""Turn a path (a table file, a text file, or a folder) into candidate rows keyed by field."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.errors import InputError
from agent.ingest.docs import DOC_SUFFIXES, doc_from_text
from agent.ingest.kinds import KindSpec
from agent.ingest.mapping import check_required, plan_columns
from agent.ingest.readers import UnreadableFileError, read_table, read_text
from agent.ingest.report import RowError
from agent.ingest.textfiles import NOTE_SUFFIXES, list_files, note_from_text


@dataclass
class Candidate:
    """One row keyed by field name, still holding raw source values."""

    file: str
    row: int | None
    values: dict[str, Any]
    # False for a note file whose date the import had to assume.
    date_in_source: bool = True


@dataclass
class Batch:
    """Everything read from one import path, before validation."""

    candidates: list[Candidate] = field(default_factory=list)
    fields: set[str] = field(default_factory=set)
    encoding: str | None = None
    ignored_columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def load_batch(path: Path, spec: KindSpec, user_map: dict[str, str], account_given: bool) -> Batch:
    """Read `path` for `spec`: a table file for every kind, or text files for notes and docs.

    Raises:
        InputError: a folder given for a table kind, an unsupported file type, an unreadable
            file, or a required column missing from a table file's header.
    """
    suffix = path.suffix.casefold()
    if path.is_dir():
        if spec.name == "notes":
            return _load_text_files(path, spec, list_files(path, NOTE_SUFFIXES), user_map)
        if spec.name == "docs":
            return _load_text_files(path, spec, list_files(path, DOC_SUFFIXES), user_map)
        raise InputError(
            f"{path} is a folder, but --kind {spec.name} reads one CSV, JSON or JSONL file. "
            "Pass the file itself; only notes and docs import whole folders."
        )
    if spec.name == "notes" and suffix in NOTE_SUFFIXES:
        return _load_text_files(path.parent, spec, [path], user_map, single=True)
    if spec.name == "docs" and suffix in DOC_SUFFIXES:
        return _load_text_files(path.parent, spec, [path], user_map, single=True)
    if suffix in NOTE_SUFFIXES | DOC_SUFFIXES:
        raise InputError(
            f"{path} is a text file, but --kind {spec.name} reads CSV, JSON or JSONL. "
            "Text and Markdown files import as --kind notes or --kind docs."
        )
    return _load_table(path, spec, user_map, account_given)


def _load_table(path: Path, spec: KindSpec, user_map: dict[str, str], account_given: bool) -> Batch:
    table = read_table(path)
    plan = plan_columns(table.header, spec, user_map)
    # A JSON file's columns come from its objects, so one without objects has no header to
    # check. Its row errors, or the no-rows warning, are then more useful than a missing
    # column.
    if table.header or table.rows:
        check_required(plan, spec, table.header, str(path), account_given)
    batch = Batch(
        fields=plan.fields,
        encoding=table.encoding,
        ignored_columns=plan.ignored,
        warnings=plan.warnings,
        errors=list(table.errors),
    )
    for raw in table.rows:
        values: dict[str, Any] = {}
        for column, alias in plan.columns.items():
            value = raw.values.get(column)
            values[alias.field] = alias.convert(value) if alias.convert else value
        batch.candidates.append(Candidate(raw.file, raw.row, values))
    if not table.rows and not table.errors:
        batch.warnings.append(f"{path} has no rows to import.")
    if table.short_rows:
        lines = ", ".join(str(line) for line in table.short_rows[:5])
        more = ", ..." if len(table.short_rows) > 5 else ""
        batch.warnings.append(
            f"{len(table.short_rows)} row(s) have fewer cells than the header (line(s) "
            f"{lines}{more}); their missing cells were read as empty."
        )
    if table.encoding == "latin-1":
        batch.warnings.append(_latin1_warning([path]))
    return batch


def _latin1_warning(files: list[Path]) -> str:
    names = ", ".join(str(file) for file in files[:5]) + (", ..." if len(files) > 5 else "")
    return (
        f"{names}: the text is not valid UTF-8 and was read as Latin-1. If accented letters "
        "look wrong, save the file as UTF-8 and import it again."
    )


def _load_text_files(
    root: Path, spec: KindSpec, files: list[Path], user_map: dict[str, str], single: bool = False
) -> Batch:
    batch = Batch(fields=set(spec.fields))
    if user_map:
        batch.warnings.append("--map applies to CSV and JSON files and was ignored here.")
    if not files:
        suffixes = ", ".join(sorted(NOTE_SUFFIXES if spec.name == "notes" else DOC_SUFFIXES))
        raise InputError(f"{root} contains no {suffixes} files to import as {spec.name}.")
    encodings: Counter[str] = Counter()
    latin1_files: list[Path] = []
    for file in files:
        try:
            text, encoding = read_text(file)
        except UnreadableFileError as error:
            if single:
                raise
            # One unreadable file of a folder is reported like a bad row of a table.
            batch.errors.append(RowError(file=str(file), message=error.reason))
            continue
        encodings[encoding] += 1
        if encoding == "latin-1":
            latin1_files.append(file)
        if spec.name == "notes":
            note = note_from_text(file, text)
            candidate = Candidate(str(file), None, note.values, note.date_in_source)
        else:
            values = doc_from_text(file, None if single else root, text)
            candidate = Candidate(str(file), None, values)
        batch.candidates.append(candidate)
    batch.encoding = _describe_encodings(encodings) if encodings else None
    if latin1_files:
        batch.warnings.append(_latin1_warning(latin1_files))
    return batch


def _describe_encodings(encodings: Counter[str]) -> str:
    if len(encodings) == 1:
        return next(iter(encodings))
    return ", ".join(f"{name} ({count} files)" for name, count in encodings.most_common())
