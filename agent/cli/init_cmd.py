"""`csm init` and `csm setup`: create the home folder, load the sample business."""

from __future__ import annotations

import typer

from agent.cli.common import command_store, handle_errors, print_json, stderr


@handle_errors
def init_command(
    demo: bool = typer.Option(False, "--demo", help="Load the built-in sample business."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Create the csm home folder (CSM_HOME, default ~/.csm); --demo loads the sample business."""
    from agent.config import load_settings
    from agent.sample import load_sample
    from agent.store.db import create_home

    settings = load_settings()
    create_home(settings)
    store = command_store(settings)
    reports = load_sample(settings, store, stderr) if demo else []
    if as_json:
        print_json({"home": str(settings.home), "database": settings.db_url, "imports": reports})
        return
    typer.echo(f"csm home: {settings.home}")
    for report in reports:
        typer.echo(
            f"  {report['kind']:<13} inserted {report['inserted']:>6}, updated "
            f"{report['updated']:>5}, unchanged {report['unchanged']:>6}, skipped "
            f"{report['skipped']:>3}"
        )
    if not demo:
        typer.echo("Empty book created. Load data with `csm import PATH --kind KIND`.")


@handle_errors
def setup_command() -> None:
    """Put the offline embedding model and tokenizer files in place (no download)."""
    from agent.config import load_settings
    from agent.offline import prepare_all

    settings = load_settings()
    paths = prepare_all(settings)
    typer.echo(f"tiktoken files: {paths.tiktoken_dir}")
    typer.echo(f"embedding model: {paths.embedding_model_dir}")
