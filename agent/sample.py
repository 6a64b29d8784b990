"""The built-in sample business: a seeded generator and product docs under `knowledge/`.

`knowledge` is installed as a package beside `agent` so the generator imports from anywhere;
its docs folder is read from the source tree, which an editable install keeps in place.
"""

from __future__ import annotations

import os
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
