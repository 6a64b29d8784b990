"""Shared fixtures: every test gets its own CSM_HOME; derived model files are built once."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from agent.config import Settings, load_settings

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache for derived model files, shared by the whole test session."""
    return tmp_path_factory.mktemp("csm-cache")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cache_dir: Path) -> None:
    monkeypatch.setenv("CSM_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CSM_CACHE_DIR", str(cache_dir))
    monkeypatch.setenv("CSM_EMBED_THREADS", "1")
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "CSM_MODEL",
        "CSM_DATABASE_URL",
        "CSM_CHROMA_URL",
        "CSM_HEALTH_MODEL",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any connection to an address other than loopback."""
    real_connect = socket.socket.connect

    def guarded_connect(sock: socket.socket, address):  # noqa: ANN001 - socket address
        is_inet = sock.family in (socket.AF_INET, socket.AF_INET6)
        host = address[0] if isinstance(address, tuple) else address
        if is_inet and host not in ("127.0.0.1", "localhost", "::1"):
            raise OSError(f"tests must not reach the network: connect to {address!r}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - ChromaServer
    """A real `chroma run` server on 127.0.0.1, shared by the session."""
    from tests.chroma_server import ChromaServer

    server = ChromaServer(tmp_path_factory.mktemp("chroma-server"))
    yield server
    server.stop()


@pytest.fixture(params=["embedded", "server"])
def index_backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test against the embedded Chroma store and against a Chroma server.

    The server is shared, so its collection is dropped before each test.
    """
    if request.param == "server":
        from agent.retrieval.index import drop_index

        server = request.getfixturevalue("chroma_server")
        monkeypatch.setenv("CSM_CHROMA_URL", server.url)
        drop_index(load_settings())
    return request.param


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings pointing at this test's CSM_HOME, created."""
    result = load_settings()
    result.home.mkdir(parents=True, exist_ok=True)
    return result


@pytest.fixture
def store(settings: Settings):  # noqa: ANN201 - agent.store.Store
    """The store under this test's CSM_HOME, closed after the test."""
    from agent.store import open_store

    opened = open_store(settings)
    yield opened
    opened.close()


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.skip(f"real data folder {SHARED_DATA} is not present")
    return SHARED_DATA


@pytest.fixture(scope="session")
def demo_snapshot(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path) -> Path:
    """A CSM_HOME with the sample business loaded and indexed, built once per session."""
    home = tmp_path_factory.mktemp("demo-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CSM_HOME", str(home))
        patch.setenv("CSM_CACHE_DIR", str(cache_dir))
        patch.setenv("CSM_EMBED_THREADS", "1")
        from agent.sample import load_sample
        from agent.store import open_store

        snapshot_settings = load_settings()
        store = open_store(snapshot_settings)
        load_sample(snapshot_settings, store, lambda line: None)
        store.close()
    return home


@pytest.fixture
def demo_settings(demo_snapshot: Path, tmp_path: Path) -> Settings:
    """Settings for this test's own copy of the loaded sample business."""
    shutil.copytree(demo_snapshot, tmp_path / "home")
    return load_settings()


@pytest.fixture
def demo_store(demo_settings: Settings):  # noqa: ANN201 - agent.store.Store
    from agent.store import open_store

    store = open_store(demo_settings)
    yield store
    store.close()
