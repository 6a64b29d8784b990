"""`csm index rebuild`: embed every note, ticket and doc of the store into a new index."""

from __future__ import annotations

from dataclasses import asdict

import typer

from agent.cli.common import handle_errors, open_context, print_json, stderr

app = typer.Typer(
    help="Manage the search index, which csm can always rebuild from the store.",
    no_args_is_help=True,
)


@app.command("rebuild")
@handle_errors
def rebuild_command(
    as_json: bool = typer.Option(False, "--json", help="Print the counts as one JSON document."),
) -> None:
    """Drop the search index and index every note, ticket and doc in the store again."""
    from agent.ingest import reindex_all
    from agent.retrieval.index import drop_index

    settings, store = open_context()
    try:
        stderr(f"Dropping the search index at {settings.index_dir} ...")
        drop_index(settings)
        stderr("Indexing every note, ticket and doc in the store ...")
        stats = reindex_all(settings, store)
    finally:
        store.close()
    if as_json:
        print_json(asdict(stats))
        return
    typer.echo(
        f"Indexed {stats.sources_added} sources ({stats.chunks_written} passages); "
        f"{len(stats.skipped_empty)} without text were skipped."
    )
