"""Import one file or folder into the store, then index its text: the core of `csm import`."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from agent.config import Settings
from agent.errors import InputError, NotFoundError
from agent.ingest.indexing import index_rows
from agent.ingest.kinds import KindSpec, get_spec
from agent.ingest.mapping import parse_map_options
from agent.ingest.report import ImportReport, RowError, show_value
from agent.ingest.sources import Batch, Candidate, load_batch
from agent.ingest.upsert import WritePlan, apply_writes, fetch_columns, plan_writes
from agent.ingest.validate import Validated, settle_duplicate_ids, validate_rows
from agent.ingest.values import is_blank, parse_date, parse_text, today
from agent.store.db import Store
from agent.store.tables import Account, Subscription

log = logging.getLogger(__name__)

Progress = Callable[[str], None]

# Fields a model fills in when the source lacks them, so every import writes them.
# Columns a record derives from others, keyed by kind: the derived column is written only
# when the file has one of its inputs, so a partial file never blanks a stored value.
DERIVED_FIELDS = {"tickets": {"status": {"status", "closed_at"}}}


def import_path(
    settings: Settings,
    store: Store,
    path: str | Path,
    kind: str,
    mapping: Mapping[str, str] | Iterable[str] | None = None,
    account: str | None = None,
    dry_run: bool = False,
    note_date: date | str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a file or folder of one kind into the store and index its text for search.

    Rows are matched to stored rows by id: a new id is inserted, a changed row updated, an
    identical one left alone; nothing is deleted. All writes of one call share one
    transaction. Rows that fail validation are reported and the others are stored.

    Args:
        settings: the settings; the index lives under `settings.index_dir`.
        store: the open store.
        path: a CSV/TSV, JSON or JSONL file. Notes also accept a .txt/.md file or a folder
            of them, and docs a Markdown/MDX file or a folder of them.
        kind: one of KINDS.
        mapping: `SOURCE_COLUMN=FIELD` strings or a dict, overriding the built-in aliases.
        account: an account id or name to attach to notes, tickets or surveys without one.
        dry_run: validate and count without writing the store or the index.
        note_date: the date of note files whose source has none; the import date otherwise.
        progress: called with short progress messages.

    Returns:
        The counts, encoding, ignored columns, warnings and row errors.

    Raises:
        NotFoundError: the path or the `--account` account does not exist.
        InputError: the kind, a `--map`, `--account` or `--date` option, or the file as a
            whole is invalid.
        RuntimeFailure: the rows were stored but indexing them failed.
    """
    notify = progress or (lambda _message: None)
    spec = get_spec(kind)
    path = Path(path).expanduser()
    if not path.exists():
        raise NotFoundError(
            f"{path} not found. Check the path (a relative path starts at {Path.cwd()})."
        )
    user_map = parse_map_options(mapping)
    flag_account = _resolve_flag_account(store, spec, account)
    fixed_date = _parse_note_date(spec, note_date)
    import_date = today()

    notify(f"Reading {path} as {spec.name}...")
    batch = load_batch(path, spec, user_map, account_given=flag_account is not None)
    report = ImportReport(
        file=str(path),
        kind=spec.name,
        encoding=batch.encoding,
        dry_run=dry_run,
        ignored_columns=batch.ignored_columns,
        warnings=list(batch.warnings),
    )
    if spec.name == "notes":
        stored = {} if fixed_date else _stored_note_dates(store, batch)
        _fill_note_dates(batch, fixed_date or import_date, fixed_date is not None, report, stored)
    if flag_account is not None:
        _fill_account(batch, flag_account, report)
    notify(f"Read {len(batch.candidates)} rows ({batch.encoding}); validating...")

    errors = list(batch.errors)
    with store.session() as session:
        validated, columns = _validate(session, spec, batch, path, import_date, errors)
        plan = plan_writes(session, spec.record.table, [r.values for r in validated.rows], columns)
        if not dry_run and (plan.inserts or plan.updates):
            notify(f"Writing {len(plan.inserts)} new and {len(plan.updates)} changed rows...")
            _apply(session, spec, plan, path)

    _fill_counts(report, plan, validated, errors)
    if spec.index_kind and plan.changed_ids:
        report.indexed = _index(settings, store, spec, plan, dry_run, notify)
    return report


def _resolve_flag_account(store: Store, spec: KindSpec, account: str | None) -> str | None:
    if account is None:
        return None
    if not spec.account_from_flag:
        raise InputError(
            f"--account applies to notes, tickets and surveys, not {spec.name}. "
            f"Give each {spec.name} row its account in an account_id column."
        )
    return store.resolve_account(account).id


def _parse_note_date(spec: KindSpec, value: date | str | None) -> date | None:
    if value is not None and spec.name != "notes":
        raise InputError(f"--date applies to notes, not {spec.name}. Remove the option.")
    try:
        return parse_date(value)
    except ValueError as error:
        raise InputError(f"Invalid --date {value!r}: {error}.") from None


def _stored_note_dates(store: Store, batch: Batch) -> dict[str, date]:
    """Return the stored dates of the batch's undated notes that were imported before."""
    from sqlalchemy import select

    from agent.store import Note

    ids = [c.values.get("id") for c in batch.candidates if not c.date_in_source]
    ids = [note_id for note_id in ids if note_id]
    if not ids:
        return {}
    with store.session() as session:
        rows = session.execute(select(Note.id, Note.note_date).where(Note.id.in_(ids)))
        return dict(rows.all())


def _fill_note_dates(
    batch: Batch,
    fallback: date,
    from_option: bool,
    report: ImportReport,
    stored: dict[str, date],
) -> None:
    """Date the notes whose source has none: --date, else the date stored by an earlier
    import (so importing the same files on a later day changes nothing), else today."""
    undated = []
    for candidate in batch.candidates:
        if candidate.date_in_source:
            continue
        kept = stored.get(candidate.values.get("id"))
        candidate.values["note_date"] = (kept or fallback).isoformat()
        if kept is None:
            undated.append(candidate)
    if not undated:
        return
    if from_option:
        report.warnings.append(
            f"{len(undated)} note(s) have no date in the source; their date was set to "
            f"{fallback.isoformat()} from --date."
        )
    else:
        report.warnings.append(
            f"{len(undated)} note(s) have no date in the source (no front matter date and no "
            f"YYYY-MM-DD in the file name), so their date was set to the import date, "
            f"{fallback.isoformat()}. Pass --date YYYY-MM-DD to set it."
        )


def _fill_account(batch: Batch, account_id: str, report: ImportReport) -> None:
    attached = 0
    for candidate in batch.candidates:
        if is_blank(candidate.values.get("account_id")):
            candidate.values["account_id"] = account_id
            attached += 1
    batch.fields.add("account_id")
    if attached:
        report.warnings.append(
            f"{attached} row(s) had no account and were attached to {account_id} (--account)."
        )


def _missing_hints(spec: KindSpec) -> dict[str, str]:
    hints: dict[str, str] = {}
    if spec.name == "usage":
        hints["account_id"] = "Add an account_id or a subscription_id to the row."
    elif spec.account_from_flag:
        hints["account_id"] = (
            "Fill the row's account_id, or pass --account ID_OR_NAME to attach rows without "
            "one to an account."
        )
    if spec.name == "notes":
        hints["body"] = (
            "The note has no text. Fill its body (in a text file, after any front matter), "
            "or remove the empty file from the folder."
        )
    if spec.name == "docs":
        hints["body"] = (
            "The page has no text once front matter, imports, JSX/HTML tags and comments are "
            "removed. Add Markdown text, or remove the file from the folder."
        )
    return hints


def _validate(
    session: Session,
    spec: KindSpec,
    batch: Batch,
    path: Path,
    import_date: date,
    errors: list[RowError],
) -> tuple[Validated, set[str]]:
    """Validate the batch, check referenced accounts, and return the rows and written columns."""
    candidates = batch.candidates
    if spec.name == "usage":
        candidates = _fill_usage_accounts(session, candidates, errors)
    validated = validate_rows(spec, candidates, import_date, _missing_hints(spec))
    errors.extend(validated.errors)
    if "account_id" in spec.fields:
        _check_accounts(session, validated, errors)

    required = {name for name, info in spec.record.model_fields.items() if info.is_required()}
    derived = {
        column
        for column, inputs in DERIVED_FIELDS.get(spec.name, {}).items()
        if inputs & batch.fields
    }
    columns = batch.fields | required | derived | {"id", "source"}
    resolved: dict[str, str] = {}
    for row in validated.rows:
        if row.file not in resolved:
            resolved[row.file] = str(Path(row.file).resolve())
        row.values["source"] = resolved[row.file]
    settle_duplicate_ids(validated, columns)
    return validated, columns


def _fill_usage_accounts(
    session: Session, candidates: list[Candidate], errors: list[RowError]
) -> list[Candidate]:
    """Give usage rows that name only a subscription the account of that subscription."""
    subscription_ids = {
        parse_text(c.values.get("subscription_id"))
        for c in candidates
        if is_blank(c.values.get("account_id")) and not is_blank(c.values.get("subscription_id"))
    }
    owners = fetch_columns(session, Subscription, subscription_ids, ["account_id"])
    resolved = []
    for candidate in candidates:
        subscription_id = parse_text(candidate.values.get("subscription_id"))
        if is_blank(candidate.values.get("account_id")) and subscription_id:
            owner = owners.get(subscription_id)
            if owner is None:
                errors.append(
                    RowError(
                        file=candidate.file,
                        row=candidate.row,
                        field="subscription_id",
                        value=show_value(subscription_id),
                        message=(
                            f"Subscription {subscription_id!r} is not in the store, so the "
                            "row's account is unknown. Import subscriptions first "
                            "(csm import FILE --kind subscriptions) or add an account_id column."
                        ),
                    )
                )
                continue
            candidate.values["account_id"] = owner["account_id"]
        resolved.append(candidate)
    return resolved


def _check_accounts(session: Session, validated: Validated, errors: list[RowError]) -> None:
    """Reject rows whose account_id is not a stored account."""
    referenced = {row.values["account_id"] for row in validated.rows}
    known = fetch_columns(session, Account, referenced, [])
    valid_rows = []
    for row in validated.rows:
        account_id = row.values["account_id"]
        if account_id in known:
            valid_rows.append(row)
            continue
        errors.append(
            RowError(
                file=row.file,
                row=row.row,
                field="account_id",
                value=show_value(account_id),
                message=(
                    f"Account {account_id!r} is not in the store. Import accounts first "
                    "(csm import FILE --kind accounts), or fix the id."
                ),
            )
        )
    validated.rows = valid_rows


def _apply(session: Session, spec: KindSpec, plan: WritePlan, path: Path) -> None:
    try:
        apply_writes(session, spec.record.table, plan)
        session.flush()
    except IntegrityError as error:
        raise InputError(
            f"{path}: the store rejected the {spec.name} rows, so none were written: {error.orig}."
        ) from None


def _fill_counts(
    report: ImportReport, plan: WritePlan, validated: Validated, errors: list[RowError]
) -> None:
    report.inserted = len(plan.inserts)
    report.updated = len(plan.updates)
    report.unchanged = plan.unchanged + validated.duplicates_identical
    report.errors = sorted(errors, key=lambda e: (e.file, e.row or 0))
    report.skipped = len({(error.file, error.row) for error in errors})
    if validated.duplicates_identical:
        report.warnings.append(
            f"{validated.duplicates_identical} row(s) repeat an earlier row of the file exactly "
            "and were counted once."
        )
    if validated.renamed:
        example = validated.renamed[0]
        report.warnings.append(
            f"{len(validated.renamed)} row(s) reuse the id of an earlier row in the file with "
            f"different values; they were stored under the id plus a ~N suffix "
            f"(e.g. {example})."
        )
    if report.skipped and report.loaded:
        report.warnings.append(
            f"{report.skipped} row(s) had errors and were skipped; the other rows were loaded."
        )


def _index(
    settings: Settings,
    store: Store,
    spec: KindSpec,
    plan: WritePlan,
    dry_run: bool,
    notify: Progress,
) -> dict[str, Any]:
    """Index the inserted and updated rows as stored, read back from the store."""
    table = spec.record.table
    if dry_run:
        rows = [*plan.inserts, *plan.updates]
    else:
        with store.session() as session:
            stored = fetch_columns(session, table, plan.changed_ids, table.__table__.columns.keys())
        rows = list(stored.values())
    updated_ids = {row["id"] for row in plan.updates}
    if dry_run:
        from agent.ingest.indexing import source_text

        pending = sum(1 for row in rows if source_text(spec.index_kind, row) is not None)
        return {"sources_to_index": pending}
    notify(f"Indexing the text of {len(rows)} {spec.name} for search...")
    return index_rows(settings, spec.index_kind, rows, updated_ids)
