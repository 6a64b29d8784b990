"""The built-in sample business: a seeded generator and product docs under `knowledge/`."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

from agent.errors import ConfigError

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


def load_generator() -> ModuleType:
    """Import `knowledge/generator.py` from its file, so the folder need not be a package."""
    path = knowledge_dir() / "generator.py"
    if not path.is_file():
        raise ConfigError(f"The sample business generator {path} is missing. Reinstall csm.")
    spec = importlib.util.spec_from_file_location("csm_sample_generator", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generate_sample(out_dir: Path) -> dict[str, Path]:
    """Write the sample business's tables into `out_dir` with the generator's default seed."""
    return load_generator().generate(out_dir)
