"""The built-in sample business: a seeded generator and product docs under `knowledge/`.

`knowledge` is installed as a package beside `agent` so the generator imports from anywhere;
its docs folder is read from the source tree, which an editable install keeps in place.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

# Files the generator writes, in the order they must be imported: accounts before the
# rows that reference them, subscriptions before usage (usage rows find their account
# through their subscription).
IMPORT_ORDER = (
    ("accounts", "accounts.csv"),
    ("contacts", "contacts.csv"),
    ("subscriptions", "subscriptions.csv"),
    ("usage", "usage.csv"),
    ("tickets", "tickets.csv"),
    ("notes", "notes.csv"),
    ("surveys", "surveys.csv"),
    ("churn", "churn.csv"),
)


def knowledge_dir() -> Path:
    """Return the sample business folder: CSM_KNOWLEDGE_DIR, else `knowledge/` by the package."""
    override = os.environ.get("CSM_KNOWLEDGE_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "knowledge"


def generate_sample(out_dir: Path) -> dict[str, Path]:
    """Write the sample business's tables into `out_dir` with the generator's default seed."""
    from knowledge.generator import generate

    return generate(out_dir)


DEMO_PROFILE = """\
# csm settings for this home. Environment variables (CSM_COMPANY, CSM_SENDER_NAME,
# CSM_SENDER_EMAIL) override these.
[profile]
company = "Meshwright"
"""


def load_sample(settings, store, say: Callable[[str], None]) -> list[dict]:  # noqa: ANN001
    """Generate the sample business and import it into `store`, one report per file.

    Args:
        settings: where the home folder and index are (agent.config.Settings).
        store: the open store (agent.store.Store).
        say: shows a progress line.
    """
    from agent.ingest import import_path

    if not settings.config_path.exists():
        # The sample business is Meshwright's book, so its drafts name Meshwright.
        settings.config_path.write_text(DEMO_PROFILE, encoding="utf-8")
    sample_dir = settings.home / "sample"
    say(f"Generating the sample business into {sample_dir} ...")
    files = generate_sample(sample_dir)
    reports = []
    for kind, name in IMPORT_ORDER:
        path = files.get(name.removesuffix(".csv"), sample_dir / name)
        say(f"Importing {kind} from {path.name} ...")
        reports.append(import_path(settings, store, path, kind).model_dump(mode="json"))
    say("Importing the product docs ...")
    docs = import_path(settings, store, knowledge_dir() / "docs", "docs")
    reports.append(docs.model_dump(mode="json"))
    return reports
