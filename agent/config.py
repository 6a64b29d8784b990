"""Settings from the environment, with every piece of user state under one home folder."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from agent.errors import ConfigError

DEFAULT_HOME = Path("~/.csm")


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one run.

    Attributes:
        home: the folder that contains the store, the index, the outbox and the config.
        cache_dir: derived files rebuilt from installed packages (the ONNX embedding model,
            tokenizer files); safe to delete.
        model: the chat model spec, `openai:MODEL`, `llamacpp:PATH.gguf` or `none`.
        api_key: the key for an OpenAI-compatible server, if any.
        base_url: the URL of an OpenAI-compatible server, if not the OpenAI API.
        company_name: the CSM's own company, named in drafts; None leaves it out.
        sender_name, sender_email: who signs drafts for accounts that name no CSM.
        chroma_url: a Chroma server to hold the search index; None keeps it under `home`.
    """

    home: Path
    cache_dir: Path
    model: str
    api_key: str | None = field(repr=False)
    base_url: str | None
    company_name: str | None = None
    sender_name: str | None = None
    sender_email: str | None = None
    chroma_url: str | None = None

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
    def config_path(self) -> Path:
        return self.home / "config.toml"

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


def _profile(home: Path) -> dict[str, str]:
    """Read the `[profile]` table of `config.toml` under the home folder, if there is one."""
    path = home / "config.toml"
    if not path.is_file():
        return {}
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path} is not valid TOML ({error}). Fix or delete it.") from None
    profile = document.get("profile", {})
    return {key: str(value) for key, value in profile.items() if isinstance(value, str)}


KEY_FILE = "openai.key"


def _read_key_file(home: Path) -> str | None:
    """Read the API key that `csm key set` stored under the home folder, if any."""
    path = home / KEY_FILE
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8").strip() or None


def write_key_file(home: Path, key: str) -> Path:
    """Store the API key readable by the owner only (mode 600), created with that mode."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / KEY_FILE
    temporary = home / (KEY_FILE + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key.strip() + "\n")
    os.replace(temporary, path)
    return path


def home_from_env() -> Path:
    """Return the home folder: CSM_HOME, else ~/.csm."""
    return Path(os.environ.get("CSM_HOME") or DEFAULT_HOME).expanduser()


def load_settings() -> Settings:
    """Read the settings from the environment, then from `config.toml` under CSM_HOME."""
    home = home_from_env()
    profile = _profile(home)
    cache = Path(os.environ.get("CSM_CACHE_DIR") or _default_cache_dir()).expanduser()
    api_key = os.environ.get("OPENAI_API_KEY") or _read_key_file(home)
    base_url = os.environ.get("OPENAI_BASE_URL") or None
    return Settings(
        home=home,
        cache_dir=cache,
        model=_model_spec(api_key, base_url),
        api_key=api_key,
        base_url=base_url,
        company_name=os.environ.get("CSM_COMPANY") or profile.get("company"),
        sender_name=os.environ.get("CSM_SENDER_NAME") or profile.get("sender_name"),
        sender_email=os.environ.get("CSM_SENDER_EMAIL") or profile.get("sender_email"),
        chroma_url=os.environ.get("CSM_CHROMA_URL", "").strip() or None,
    )
