"""The model path at the HTTP level, against an OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
from typing import Literal

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

from agent.cli.main import app
from agent.config import load_settings
from agent.errors import RuntimeFailure
from agent.llm import chat_model
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


def _model_at(url: str, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN202 - a chat model
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    monkeypatch.setenv("CSM_MODEL", "openai:local-test")
    return chat_model(load_settings())


EMPTY_REPLY = _completion({"role": "assistant", "content": ""}, "stop")


def test_empty_reply_requested_again(monkeypatch: pytest.MonkeyPatch):
    text_reply = _completion({"role": "assistant", "content": "Hello."}, "stop")
    with ScriptedServer([EMPTY_REPLY, text_reply]) as server:
        reply = _model_at(server.url, monkeypatch).invoke("hi")

    assert reply.content == "Hello."
    assert len(server.requests) == 2


def test_empty_reply_twice_fails(monkeypatch: pytest.MonkeyPatch):
    with ScriptedServer([EMPTY_REPLY, EMPTY_REPLY]) as server:
        model = _model_at(server.url, monkeypatch)
        with pytest.raises(RuntimeFailure) as caught:
            model.invoke("hi")

    message = str(caught.value)
    assert f"The model server at {server.url} returned an empty reply 2 times" in message
    assert "CSM_MODEL=none" in message
    assert len(server.requests) == 2


def _event_stream(*deltas: dict) -> bytes:
    """Encode chat completion chunks, one per delta, as a server-sent event stream."""
    events = []
    for index, delta in enumerate(deltas):
        last = index == len(deltas) - 1
        chunk = {
            "id": "chatcmpl-test",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "local-test",
            "choices": [{"index": 0, "delta": delta, "finish_reason": "stop" if last else None}],
        }
        events.append(f"data: {json.dumps(chunk)}\n\n")
    events.append("data: [DONE]\n\n")
    return "".join(events).encode()


def test_empty_streamed_reply_twice_fails(monkeypatch: pytest.MonkeyPatch):
    empty_stream = _event_stream({"role": "assistant", "content": ""}, {"content": ""})
    with LocalServer(lambda _body: (200, "text/event-stream", empty_stream)) as server:
        model = _model_at(server.url, monkeypatch)
        with pytest.raises(RuntimeFailure) as caught:
            list(model.stream("hi"))

    assert "returned an empty reply 2 times" in str(caught.value)
    assert len(server.bodies) == 2


def test_streamed_reply_passes_through(monkeypatch: pytest.MonkeyPatch):
    stream = _event_stream({"role": "assistant", "content": "Hel"}, {"content": "lo."})
    with LocalServer(lambda _body: (200, "text/event-stream", stream)) as server:
        chunks = list(_model_at(server.url, monkeypatch).stream("hi"))

    assert "".join(chunk.text for chunk in chunks) == "Hello."
    assert len(server.bodies) == 1


class Verdict(BaseModel):
    level: Literal["low", "high"]


def test_structured_reply_cut_short_fails(monkeypatch: pytest.MonkeyPatch):
    cut_short = _completion({"role": "assistant", "content": '{"level": "lo'}, "length")
    with ScriptedServer([cut_short]) as server:
        model = _model_at(server.url, monkeypatch).with_structured_output(Verdict)
        with pytest.raises(RuntimeFailure) as caught:
            model.invoke("Rate the risk.")

    assert "stopped model 'local-test' at its max reply length" in str(caught.value)
    assert server.requests[0]["response_format"]["type"] == "json_schema"
