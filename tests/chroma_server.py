"""A real Chroma server (`chroma run`) on 127.0.0.1 for tests of CSM_CHROMA_URL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

STARTUP_SECONDS = 60


class ChromaServer:
    """`chroma run` on a free loopback port, persisting under `path`; stop() ends it."""

    def __init__(self, path: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        executable = Path(sys.executable).parent / "chroma"
        self.log_path = path / "server.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [str(executable), "run", "--path", str(path / "data"), "--host", "127.0.0.1"]
            + ["--port", str(self.port)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chroma run exited; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"chroma run timed out after {STARTUP_SECONDS} s; see {self.log_path}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
