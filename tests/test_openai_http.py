"""The model path at the HTTP level, against an OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from agent.cli.main import app
from tests.local_server import LocalServer


def _completion(message: dict, finish_reason: str) -> dict:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "local-test",
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }


class ScriptedServer(LocalServer):
    """Serve scripted chat completions in order; a request past the script gets HTTP 500."""

    def __init__(self, replies: list[dict]):
        self.replies = list(replies)
        super().__init__(self._respond)

    def _respond(self, _body: bytes) -> tuple[int, str, bytes]:
        if not self.replies:
            return 500, "application/json", b"{}"
        return 200, "application/json", json.dumps(self.replies.pop(0)).encode()

    @property
    def requests(self) -> list[dict]:
        return [json.loads(body) for body in self.bodies]


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
