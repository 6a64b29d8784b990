"""The model path at the HTTP level, against an OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from agent.cli.main import app


def _completion(message: dict, finish_reason: str) -> dict:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "local-test",
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


class ScriptedServer:
    """Serve scripted chat completions and record each request body."""

    def __init__(self, replies: list[dict]):
        self.replies = list(replies)
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", "0"))
                outer.requests.append(json.loads(self.rfile.read(length)))
                if not outer.replies:
                    self.send_response(500)
                    self.end_headers()
                    return
                body = json.dumps(outer.replies.pop(0)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args) -> None:  # noqa: ANN002 - silence the access log
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> ScriptedServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:  # noqa: ANN002
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def tool_then_answer() -> list[dict]:
    call = {
        "id": "call_1",
        "type": "function",
        "function": {"name": "at_risk_accounts", "arguments": json.dumps({"limit": 3})},
    }
    return [
        _completion({"role": "assistant", "content": None, "tool_calls": [call]}, "tool_calls"),
        _completion({"role": "assistant", "content": "Three accounts need you today."}, "stop"),
    ]


def test_ask_through_openai_compatible_server(
    demo_settings, monkeypatch: pytest.MonkeyPatch, tool_then_answer: list[dict]
):
    with ScriptedServer(tool_then_answer) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("CSM_MODEL", "openai:local-test")
        result = CliRunner().invoke(app, ["ask", "who needs me today?", "--json"])

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["text"] == "Three accounts need you today."
    assert document["tools"] == ["at_risk_accounts"]
    assert document["model"] == "local-test"
    assert len(server.requests) == 2
    first, second = server.requests
    assert first["model"] == "local-test"
    assert "at_risk_accounts" in {tool["function"]["name"] for tool in first["tools"]}
    tool_reply = [m for m in second["messages"] if m["role"] == "tool"]
    assert len(tool_reply) == 1
    assert tool_reply[0]["content"].startswith('<tool_output tool="at_risk_accounts">')
