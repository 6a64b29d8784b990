"""`csm index status` and `csm index rebuild`: the search index against the store."""

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
    from agent.retrieval.index import drop_index, index_location

    settings, store = open_context()
    try:
        stderr(f"Dropping the search index at {index_location(settings)} ...")
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


@app.command("status")
@handle_errors
def status_command(
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Count indexed sources and passages by kind, and list drift from the store."""
    from agent.ingest.indexing import sources_from_store
    from agent.retrieval import open_index
    from agent.retrieval.index import index_location
    from agent.retrieval.types import KINDS

    settings, store = open_context()
    try:
        sources = sources_from_store(store)
    finally:
        store.close()
    with open_index(settings) as index:
        counts = {
            kind: {
                "store_sources": sum(1 for source in sources if source.kind == kind),
                "indexed_sources": len(index.source_ids(kind)),
                "passages": index.count(kind),
            }
            for kind in KINDS
        }
        drift = index.drift(sources)
    if as_json:
        print_json({"index": index_location(settings), "kinds": counts, "drift": drift})
        return
    typer.echo(f"Search index at {index_location(settings)}")
    for kind, row in counts.items():
        typer.echo(
            f"  {kind:<8} {row['indexed_sources']:>6} of {row['store_sources']:>6} sources "
            f"indexed, {row['passages']:>7} passages"
        )
    problems = {name: ids for name, ids in drift.items() if ids}
    if not problems:
        typer.echo("In step with the store.")
        return
    for name, ids in problems.items():
        shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        typer.echo(f"  {name}: {len(ids)} ({shown})")
    typer.echo("Run `csm index rebuild` to bring the index in step with the store.")
