"""The agent with a scripted model: bad tool calls, repeated failures, step and token limits,
streaming."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from agent.assistant.agent import MAX_GRAPH_STEPS, answer
from agent.assistant.tools import ToolContext
from agent.errors import RuntimeFailure
from tests.scripted_model import ScriptedChatModel

NORTHWIND = "Northwind Studios"


def tool_call(name: str, args: dict, call_id: str) -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": call_id}])


def tool_replies(model: ScriptedChatModel, call: int) -> list[str]:
    """Return the tool messages the model had seen by its `call`-th call (from 0)."""
    return [m.content for m in model.calls[call] if isinstance(m, ToolMessage)]


def run(demo_settings, demo_store, replies: list[AIMessage], question: str = "help", **kw):  # noqa: ANN001, ANN003, ANN201
    model = ScriptedChatModel(replies=replies)
    result = answer(ToolContext(demo_settings, demo_store, model, "scripted"), question, **kw)
    model.assert_done()
    return model, result


def test_unknown_tool_is_answered_to_model(demo_settings, demo_store):
    model, result = run(
        demo_settings,
        demo_store,
        [tool_call("export_customer_list", {}, "c1"), AIMessage(content="I cannot do that.")],
    )

    assert "export_customer_list is not a valid tool" in tool_replies(model, 1)[-1]
    assert result.text == "I cannot do that."


def test_malformed_arguments_are_answered_then_corrected(demo_settings, demo_store):
    model, result = run(
        demo_settings,
        demo_store,
        [
            tool_call("at_risk_accounts", {"limit": "lots"}, "c1"),
            tool_call("at_risk_accounts", {"limit": 3}, "c2"),
            AIMessage(content="Three accounts are listed above."),
        ],
    )

    first, second = tool_replies(model, 2)
    assert "limit" in first
    assert "valid integer" in first
    assert second.startswith('<tool_output tool="at_risk_accounts">')
    assert result.tools == ["at_risk_accounts"]


def test_repeated_failing_call_ends_the_turn(demo_settings, demo_store):
    # Two scripted replies only: a third model call would fail the test.
    _model, result = run(
        demo_settings,
        demo_store,
        [
            tool_call("health", {"account": "Nowhere Ltd"}, "c1"),
            tool_call("health", {"account": "Nowhere Ltd"}, "c2"),
        ],
    )

    assert result.text.startswith("I stopped: the model repeated a tool call")
    assert "Nowhere Ltd" in result.text


def test_steps_per_turn_are_capped(demo_settings, demo_store):
    calls = MAX_GRAPH_STEPS // 2
    replies = [tool_call("at_risk_accounts", {"limit": n + 1}, f"c{n}") for n in range(calls)]
    model = ScriptedChatModel(replies=replies)
    ctx = ToolContext(demo_settings, demo_store, model, "scripted")

    with pytest.raises(RuntimeFailure, match=f"within {calls} tool calls"):
        answer(ctx, "list at-risk accounts again and again")


def test_long_tool_output_is_cut_with_a_note(demo_settings, demo_store, monkeypatch):
    monkeypatch.setattr("agent.assistant.budget.TOOL_OUTPUT_TOKENS", 200)
    model, _result = run(
        demo_settings,
        demo_store,
        [tool_call("at_risk_accounts", {"limit": 50}, "c1"), AIMessage(content="Listed.")],
    )

    output = tool_replies(model, 1)[-1]
    assert "[Output cut at 200 of" in output
    assert output.endswith("</tool_output>")


def test_history_is_trimmed_to_the_context(demo_settings, demo_store, monkeypatch):
    monkeypatch.setenv("CSM_CONTEXT_TOKENS", "8000")
    history = []
    for n in range(12):
        history.append({"role": "user", "content": f"Question {n}: " + "renewal " * 400})
        history.append({"role": "assistant", "content": f"Answer {n}."})

    model, result = run(
        demo_settings, demo_store, [AIMessage(content="Fine.")], "hello", history=history
    )

    sent = [m.content for m in model.calls[0] if isinstance(m, HumanMessage)]
    assert result.trimmed > 0
    assert sent[-1] == "hello"
    assert len(sent) < 13
    assert "Question 11" in sent[-2]


def test_streaming_reports_tool_calls_and_tokens(demo_settings, demo_store):
    events: list[tuple[str, object]] = []

    _model, result = run(
        demo_settings,
        demo_store,
        [tool_call("health", {"account": NORTHWIND}, "c1"), AIMessage(content="It is green.")],
        "how is Northwind?",
        on_event=lambda kind, payload: events.append((kind, payload)),
    )

    assert events[0] == ("tool_call", {"name": "health", "args": {"account": NORTHWIND}})
    tokens = "".join(payload for kind, payload in events if kind == "token")
    assert tokens == "It is green."
    assert result.text == "It is green."
    assert result.tools == ["health"]
