"""Local GGUF models: a llama.cpp server on 127.0.0.1, started when the model is first built.

`CSM_MODEL=llamacpp:PATH` starts `llamacpp_serve.py` in a child process (xllamacpp's build
of llama.cpp's OpenAI-compatible server) and returns the same checked ChatOpenAI client as
`openai:MODEL`, pointed at that server. The server stops when csm exits.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import importlib.util
import logging
import queue
import secrets
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.errors import ConfigError, CsmError, RuntimeFailure

logger = logging.getLogger(__name__)

INSTALL_FIX = "pip install 'csm[local]'"
NO_MODEL_FIX = "or set CSM_MODEL=none to work without a model"
GGUF_MAGIC = b"GGUF"
SERVE_SCRIPT = Path(__file__).with_name("llamacpp_serve.py")
# Context window in tokens. llama.cpp's default is the model's training context, 128K
# tokens for many current models, whose KV cache alone takes gigabytes. The assistant's
# system prompt takes about 300 tokens (SmolLM2's tokenizer). The rest is an estimate of
# room for the tool schemas, the 20 history messages a chat sends, and tool outputs.
# NOTE: a model trained on a shorter context gets this size too, and llama.cpp only warns.
CONTEXT_TOKENS = 8192
# Max tokens in one reply, enforced by the client and by the server. A drafted email of 300
# words is about 400 tokens (an estimate). The cap stops a small model that runs on:
# SmolLM2-135M writes about 90 tokens a second on 2 CPU cores, so it stops within 12 s.
MAX_REPLY_TOKENS = 1024
# Seconds to wait for the server to load the model and listen. A server still loading then
# is stopped.
START_TIMEOUT = 120.0
# Seconds to wait for one reply. The server is local, so this only guards against a hung
# server. A 7B model on a CPU may read 20 to 50 tokens a second (an estimate), so a full
# context can take minutes.
REQUEST_TIMEOUT = 600.0
# Seconds to wait for the server to exit after its stdin closes, before it is terminated.
STOP_TIMEOUT = 10.0
LOG_NAME = "llamacpp.log"
MAX_DETAIL_CHARS = 200


@dataclass
class LlamaServer:
    """A llama.cpp server process that csm started for one model file."""

    model_path: Path
    url: str
    api_key: str
    log_path: Path
    process: subprocess.Popen

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Stop the server process and wait for it to exit."""
        _stop_process(self.process)
        logger.info("llama.cpp server for %s stopped", self.model_path)

    def describe_exit(self) -> str:
        """Describe how the stopped process ended, with the error line of its log."""
        return _describe_exit(self.process, self.log_path)


_servers: dict[Path, LlamaServer] = {}
_servers_lock = threading.Lock()


def model_path(spec_path: str) -> Path:
    """Return the GGUF file that `CSM_MODEL=llamacpp:PATH` names, checked to be one.

    Raises:
        ConfigError: no path is given, or the file is missing, unreadable or not GGUF.
    """
    if not spec_path.strip():
        raise ConfigError(
            "CSM_MODEL=llamacpp: names no model file. Write the path of a GGUF file after "
            f"the colon, e.g. CSM_MODEL=llamacpp:/models/model.gguf, {NO_MODEL_FIX}."
        )
    path = Path(spec_path).expanduser().resolve()
    if not path.exists():
        raise ConfigError(
            f"The model file {path} was not found (CSM_MODEL=llamacpp:{spec_path}). Check "
            f"the path, {NO_MODEL_FIX}."
        )
    if path.is_dir():
        raise ConfigError(
            f"{path} is a folder, not a model file. Set CSM_MODEL=llamacpp: to the path of "
            f"the .gguf file inside it, {NO_MODEL_FIX}."
        )
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(GGUF_MAGIC))
    except OSError as error:
        raise ConfigError(
            f"Cannot read the model file {path} ({error.strerror}). Check its permissions, "
            f"{NO_MODEL_FIX}."
        ) from None
    if magic != GGUF_MAGIC:
        raise ConfigError(
            f"{path} is not a GGUF model file: it does not start with the bytes 'GGUF'. "
            f"llama.cpp loads only GGUF files, so download the model as .gguf, {NO_MODEL_FIX}."
        )
    return path


def require_xllamacpp() -> None:
    """Raise ConfigError with the install command when xllamacpp is not installed."""
    if importlib.util.find_spec("xllamacpp") is None:
        raise ConfigError(
            "CSM_MODEL=llamacpp: needs the xllamacpp package, which is not installed. "
            f"Install it with `{INSTALL_FIX}`, {NO_MODEL_FIX}."
        )


def server_for(path: Path, log_dir: Path) -> LlamaServer:
    """Return the running server for the model file, starting one on first use."""
    with _servers_lock:
        server = _servers.get(path)
        if server is not None and server.running:
            return server
        if server is not None:
            logger.warning("llama.cpp server for %s had stopped (%s)", path, server.describe_exit())
        server = start_server(path, log_dir / LOG_NAME)
        _servers[path] = server
        return server


@atexit.register
def stop_servers() -> None:
    """Stop every server that `server_for` started in this process."""
    with _servers_lock:
        for server in _servers.values():
            server.stop()
        _servers.clear()


def start_server(path: Path, log_path: Path, timeout: float = START_TIMEOUT) -> LlamaServer:
    """Start a llama.cpp server for the GGUF file and wait until it is ready.

    llama.cpp's log goes to `log_path`, replaced on each start.

    Raises:
        ConfigError: xllamacpp is not installed.
        RuntimeFailure: the server exited, or was not ready within `timeout` seconds.
    """
    require_xllamacpp()
    api_key = secrets.token_urlsafe(24)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, str(SERVE_SCRIPT), str(path)]
    command += [str(CONTEXT_TOKENS), str(MAX_REPLY_TOKENS)]
    logger.info("starting llama.cpp server for %s, log in %s", path, log_path)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True
        )
    # The key goes through the pipe, not the command line, where other users could read it.
    process.stdin.write(api_key + "\n")
    process.stdin.flush()

    address = _read_address(process, timeout)
    if address is None:
        _stop_process(process)
        raise RuntimeFailure(
            f"The llama.cpp server for {path} was not ready within {timeout:g} s. The model "
            f"may be too large for this machine: try a smaller GGUF file, {NO_MODEL_FIX}. "
            f"llama.cpp's log: {log_path}."
        )
    if not address.startswith("http://127.0.0.1:"):
        _stop_process(process)
        raise RuntimeFailure(
            f"The llama.cpp server for {path} failed to start "
            f"({_describe_exit(process, log_path)}). Check that the file is a complete model "
            f"that this llama.cpp build supports, {NO_MODEL_FIX}. llama.cpp's log: {log_path}."
        )
    server = LlamaServer(path, address + "/v1", api_key, log_path, process)
    _check_health(server, address + "/health")
    logger.info("llama.cpp server for %s ready at %s", path, server.url)
    return server


def _read_address(process: subprocess.Popen, timeout: float) -> str | None:
    """Return the first line the server writes ("" if it exits first), or None on timeout."""
    lines: queue.Queue[str] = queue.Queue()

    # A thread, because a pipe read has no timeout that works on every platform.
    def read() -> None:
        lines.put(process.stdout.readline().strip())

    threading.Thread(target=read, daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        return None


def _check_health(server: LlamaServer, health_url: str) -> None:
    # No proxy: a proxy from the environment (HTTP_PROXY) cannot reach this machine's
    # loopback address.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(health_url, timeout=5) as response:
            if response.status == 200:
                return
            status = f"HTTP {response.status}"
    except (urllib.error.URLError, OSError) as error:
        status = str(getattr(error, "reason", error))
    server.stop()
    raise RuntimeFailure(
        f"The llama.cpp server for {server.model_path} started but its health check at "
        f"{health_url} failed ({status}). llama.cpp's log: {server.log_path}."
    )


def _stop_process(process: subprocess.Popen) -> None:
    """Close the server's stdin so that it exits, and terminate it if it does not."""
    # Closing fails with a broken pipe when the process has exited already.
    with contextlib.suppress(OSError):
        process.stdin.close()
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        logger.warning("llama.cpp server %d did not exit; terminating it", process.pid)
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _describe_exit(process: subprocess.Popen, log_path: Path) -> str:
    detail = log_error_detail(log_path)
    return f"exit code {process.returncode}" + (f": {detail}" if detail else "")


def log_error_detail(log_path: Path) -> str:
    """Return the line of llama.cpp's log that best states why it failed, or "".

    That is the first "error loading model" line (which names a bad header or an unknown
    architecture), else the first error line, else the serving script's own message.
    """
    try:
        lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    # llama.cpp marks an error line with "E" after its timestamp: "0.00.005.028 E srv ...".
    errors = [line.split(" E ", 1)[1] for line in lines if " E " in line[:20]]
    loading = [line for line in errors if "error loading model" in line]
    own = [line for line in lines if line.startswith("csm: ")]
    found = (loading or errors or own or [""])[0]
    return " ".join(found.split())[:MAX_DETAIL_CHARS]


def chat_model(spec_path: str, log_dir: Path):  # noqa: ANN201 - a LangChain chat model
    """Start (or reuse) the llama.cpp server for the GGUF file and return its chat model.

    Raises:
        ConfigError: the file is missing or not GGUF, or xllamacpp is not installed.
        RuntimeFailure: the server failed to start.
    """
    return connect(server_for(model_path(spec_path), log_dir))


def connect(server: LlamaServer):  # noqa: ANN201 - a LangChain chat model
    """Return the checked ChatOpenAI client for a running server, with llama.cpp's fixes."""
    import openai

    from agent.llm import CONNECT_TIMEOUT

    model = _llamacpp_chat_class()(
        model=str(server.model_path),
        api_key=server.api_key,
        base_url=server.url,
        timeout=openai.Timeout(REQUEST_TIMEOUT, connect=CONNECT_TIMEOUT),
        # A retry would read the same prompt again on the same single slot, doubling the
        # wait, and a local server has no brief outages to ride out.
        max_retries=0,
        max_tokens=MAX_REPLY_TOKENS,
        temperature=0.2,
        use_responses_api=False,
        # The server is on loopback: a proxy from the environment must not apply. With its
        # own clients, LangChain's socket options (TCP keep-alive) do not apply either.
        http_client=openai.DefaultHttpxClient(trust_env=False),
        http_async_client=openai.DefaultAsyncHttpxClient(trust_env=False),
        http_socket_options=(),
    )
    model._server = server
    return model


@functools.cache
def _llamacpp_chat_class() -> type:
    """Return the checked ChatOpenAI class adapted to llama.cpp's server.

    Two parts of a request change, because llama.cpp servers reject or ignore them:
    - An assistant message with tool calls and no text goes out with content "" in place of
      null, which some server versions reject.
    - tool_choice "required", or a named tool, goes out as "auto". Some server versions
      reject "required". xllamacpp 2026.10.11549 ignores a named tool, because it accepts
      only a string there.
    """
    from pydantic import PrivateAttr

    from agent.llm import _checked_chat_class

    class LlamaCppChatOpenAI(_checked_chat_class()):
        _server: LlamaServer | None = PrivateAttr(default=None)

        def _get_request_payload(self, *args: Any, **kwargs: Any) -> dict:
            payload = super()._get_request_payload(*args, **kwargs)
            for message in payload.get("messages", []):
                if message.get("role") == "assistant" and message.get("content") is None:
                    message["content"] = ""
            if "tool_choice" in payload and payload["tool_choice"] not in ("auto", "none"):
                payload["tool_choice"] = "auto"
            return payload

        def _server_label(self) -> str:
            return f"The llama.cpp server for {self.model_name}"

        def _describe_error(self, error: Exception) -> CsmError | RuntimeFailure:
            return describe_llamacpp_error(error, self._server, super()._describe_error(error))

    return LlamaCppChatOpenAI


def describe_llamacpp_error(
    error: Exception, server: LlamaServer | None, fallback: CsmError | RuntimeFailure
) -> CsmError | RuntimeFailure:
    """Turn an openai client error from the llama.cpp server into a csm error with the fix.

    `fallback` is the generic description, used for the errors a local server shares with
    any OpenAI-compatible server.
    """
    import openai

    if server is None:
        return fallback
    where = f"The llama.cpp server for {server.model_path}"
    log = f"llama.cpp's log: {server.log_path}"
    # openai's APITimeoutError is a subclass of APIConnectionError, so this covers both.
    if isinstance(error, openai.APIConnectionError) and not server.running:
        return RuntimeFailure(
            f"{where} stopped ({server.describe_exit()}). Run the command again to restart "
            f"it, {NO_MODEL_FIX}. {log}."
        )
    if isinstance(error, openai.APITimeoutError):
        return RuntimeFailure(
            f"{where} did not answer within {REQUEST_TIMEOUT:g} s. The model may be too large "
            f"for this machine: try a smaller GGUF file, {NO_MODEL_FIX}."
        )
    if isinstance(error, openai.BadRequestError):
        from agent.llm import _status_detail

        return RuntimeFailure(
            f"{where} rejected the request (HTTP 400: {_status_detail(error)}). A prompt "
            f"longer than its context of {CONTEXT_TOKENS} tokens fails this way: ask a "
            f"shorter question or use /reset in `csm chat` to drop the history, "
            f"{NO_MODEL_FIX}. {log}."
        )
    return fallback
