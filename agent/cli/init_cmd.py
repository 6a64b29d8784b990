"""`csm init` and `csm setup`: create the home folder, load the sample business."""

from __future__ import annotations

import typer

from agent.cli.common import handle_errors, print_json, stderr

DEMO_PROFILE = """\
# csm settings for this home. Environment variables (CSM_COMPANY, CSM_SENDER_NAME,
# CSM_SENDER_EMAIL) override these.
[profile]
company = "Meshwright"
"""


def load_demo(settings, store) -> list[dict]:  # noqa: ANN001 - Settings, Store
    """Generate the sample business and import it, returning one report per file."""
    from agent.ingest import import_path
    from agent.sample import IMPORT_ORDER, generate_sample, knowledge_dir

    if not settings.config_path.exists():
        # The sample business is Meshwright's book, so its drafts name Meshwright.
        settings.config_path.write_text(DEMO_PROFILE, encoding="utf-8")
    sample_dir = settings.home / "sample"
    stderr(f"Generating the sample business into {sample_dir} ...")
    files = generate_sample(sample_dir)
    reports = []
    for kind, name in IMPORT_ORDER:
        path = files.get(name.removesuffix(".csv"), sample_dir / name)
        stderr(f"Importing {kind} from {path.name} ...")
        reports.append(import_path(settings, store, path, kind).model_dump(mode="json"))
    stderr("Importing the product docs ...")
    docs = import_path(settings, store, knowledge_dir() / "docs", "docs")
    reports.append(docs.model_dump(mode="json"))
    return reports


@handle_errors
def init_command(
    demo: bool = typer.Option(False, "--demo", help="Load the built-in sample business."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document."),
) -> None:
    """Create the csm home folder (CSM_HOME, default ~/.csm); --demo loads the sample business."""
    from agent.config import load_settings
    from agent.store.db import create_home, open_store

    settings = load_settings()
    create_home(settings)
    store = open_store(settings)
    reports = load_demo(settings, store) if demo else []
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
