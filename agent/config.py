"""Settings from the environment, with every piece of user state under one home folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOME = Path("~/.csm")


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one run.

    Attributes:
        home: the folder that contains the store, the index, the outbox and the config.
        cache_dir: derived files rebuilt from installed packages (the ONNX embedding model,
            tokenizer files); safe to delete.
        model: the chat model spec, `openai:MODEL` or `none`.
        api_key: the key for an OpenAI-compatible server, if any.
        base_url: the URL of an OpenAI-compatible server, if not the OpenAI API.
    """

    home: Path
    cache_dir: Path
    model: str
    api_key: str | None
    base_url: str | None

    @property
    def db_path(self) -> Path:
        return self.home / "csm.sqlite3"

    @property
    def db_url(self) -> str:
        return os.environ.get("CSM_DATABASE_URL") or f"sqlite:///{self.db_path}"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def outbox_dir(self) -> Path:
        return self.home / "outbox"

    @property
    def has_model(self) -> bool:
        return self.model != "none"


def _default_cache_dir() -> Path:
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path("~/.cache").expanduser()
    return base / "csm"


def _model_spec(api_key: str | None, base_url: str | None) -> str:
    """Return CSM_MODEL if set, else `openai:gpt-4o-mini` when a key or URL is set, else none."""
    spec = os.environ.get("CSM_MODEL", "").strip()
    if spec:
        return spec
    if api_key or base_url:
        return "openai:gpt-4o-mini"
    return "none"


def load_settings() -> Settings:
    """Read the settings from the environment."""
    home = Path(os.environ.get("CSM_HOME") or DEFAULT_HOME).expanduser()
    cache = Path(os.environ.get("CSM_CACHE_DIR") or _default_cache_dir()).expanduser()
    api_key = os.environ.get("OPENAI_API_KEY") or None
    base_url = os.environ.get("OPENAI_BASE_URL") or None
    return Settings(
        home=home,
        cache_dir=cache,
        model=_model_spec(api_key, base_url),
        api_key=api_key,
        base_url=base_url,
    )
