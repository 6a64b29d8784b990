"""`csm import`: load a file or folder of accounts, usage, tickets, notes, docs and more."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from agent.cli.common import handle_errors, open_context, print_json, stderr

if TYPE_CHECKING:
    from agent.ingest import ImportReport, RowError

# The kinds of agent.ingest.KINDS, spelled out here so that `csm --help` does not load
# pydantic and SQLAlchemy. A test keeps the two lists equal.
KIND_NAMES = (
    "accounts",
    "contacts",
    "subscriptions",
    "usage",
    "tickets",
    "notes",
    "docs",
    "churn",
    "surveys",
)
MAX_ERRORS_SHOWN = 20


@handle_errors
def import_command(
    path: Annotated[
        Path,
        typer.Argument(
            help="A CSV/TSV, JSON or JSONL file. Notes also accept .txt/.md files or a folder "
            "of them, and docs a Markdown/MDX file or a folder of them.",
            show_default=False,
        ),
    ],
    kind: Annotated[
        str,
        typer.Option(
            "--kind", "-k", help=f"The kind of rows in the file: {', '.join(KIND_NAMES)}."
        ),
    ],
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="SOURCE_COLUMN=FIELD",
            help="Feed FIELD from SOURCE_COLUMN, overriding the built-in column aliases. "
            "Repeat for several columns.",
        ),
    ] = None,
    account: Annotated[
        str | None,
        typer.Option(
            help="Account id or name for notes, tickets or surveys that carry no account."
        ),
    ] = None,
    note_date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="YYYY-MM-DD",
            help="Date for note files whose front matter and file name give none "
            "(default: the import date).",
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Validate and count without writing anything."),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report as one JSON document.")
    ] = False,
) -> None:
    """Import a file or folder into the book of business and index its text for search."""
    from agent.ingest import import_path

    settings, store = open_context()
    try:
        report = import_path(
            settings,
            store,
            path,
            kind,
            mapping=mapping,
            account=account,
            dry_run=dry_run,
            note_date=note_date,
            progress=stderr,
        )
    finally:
        store.close()

    if as_json:
        print_json(report.model_dump(mode="json"))
    else:
        typer.echo(render_report(report))
    if report.loaded == 0 and report.skipped > 0:
        stderr("Error: nothing was loaded because every row had errors. See the errors above.")
        raise typer.Exit(code=1)


def render_report(report: ImportReport) -> str:
    """Format the report for a person: counts first, then warnings and up to 20 errors."""
    verb = "Checked" if report.dry_run else "Imported"
    lines = [f"{verb} {report.kind} from {report.file} (encoding: {report.encoding or 'n/a'})"]
    prefix = "would be " if report.dry_run else ""
    lines.append(
        f"  {prefix}inserted {report.inserted}, {prefix}updated {report.updated}, "
        f"unchanged {report.unchanged}, skipped {report.skipped}"
    )
    if report.dry_run:
        lines.append("  Dry run: nothing was written to the store or the index.")
    if report.indexed:
        lines.append(f"  indexed: {_describe_index(report.indexed)}")
    if report.ignored_columns:
        lines.append(f"  ignored columns: {', '.join(report.ignored_columns)}")
    lines.extend(f"  warning: {warning}" for warning in report.warnings)
    if report.errors:
        lines.append(f"Errors ({report.skipped} row(s) skipped):")
        for error in report.errors[:MAX_ERRORS_SHOWN]:
            where = f"{error.file}:{error.row}" if error.row is not None else error.file
            lines.append(f"  {where}{_describe_value(error)}: {error.message}")
        if len(report.errors) > MAX_ERRORS_SHOWN:
            lines.append(f"  and {len(report.errors) - MAX_ERRORS_SHOWN} more")
    return "\n".join(lines)


def _describe_value(error: RowError) -> str:
    if error.field:
        return f" {error.field}={error.value!r}"
    if error.value is not None:
        return f" {error.value!r}"
    return ""


def _describe_index(indexed: dict) -> str:
    if "sources_to_index" in indexed:
        return f"{indexed['sources_to_index']} source(s) would be indexed"
    return (
        f"{indexed.get('sources_added', 0)} added, {indexed.get('sources_replaced', 0)} "
        f"replaced, {indexed.get('sources_unchanged', 0)} unchanged, "
        f"{indexed.get('sources_deleted', 0)} deleted ({indexed.get('chunks_written', 0)} "
        "passages written)"
    )
