"""Prompt and template files under `prompts/`, loaded by name."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from agent.errors import ConfigError


def prompts_dir() -> Path:
    """Return the prompts folder: CSM_PROMPTS_DIR, else `prompts/` beside the package."""
    override = os.environ.get("CSM_PROMPTS_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "prompts"


@lru_cache(maxsize=64)
def load_prompt(name: str) -> str:
    """Read `prompts/<name>` as UTF-8 text."""
    path = prompts_dir() / name
    if not path.is_file():
        raise ConfigError(f"Prompt file {path} is missing. Reinstall csm or set CSM_PROMPTS_DIR.")
    return path.read_text(encoding="utf-8")


def quote_data(text: str) -> str:
    """Escape `<`, `>` and `&` so customer text cannot close the tags that mark it as data."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
