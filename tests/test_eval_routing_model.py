"""`evaluate_model`: routing scored against a model's first tool call, with a scripted model."""

from __future__ import annotations

from langchain_core.messages import AIMessage

from agent.assistant.tools import ToolContext
from agent.evaluation.routing import RoutingCase, evaluate_model
from tests.scripted_model import ScriptedChatModel


def reply(name: str, args: dict) -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": "c1"}])


def test_model_routing_counts_tool_and_arguments(demo_settings, demo_store):
    cases = [
        RoutingCase("which accounts are at risk?", "at_risk_accounts", {}),
        RoutingCase("how healthy is Northwind?", "health", {"account": "Northwind Studios"}),
        RoutingCase(
            "draft a renewal email to Northwind",
            "draft_email",
            {"account": "Northwind Studios", "purpose": "renewal"},
        ),
        RoutingCase("search exports", "search", {"query": "exports"}),
    ]
    model = ScriptedChatModel(
        replies=[
            # Arguments left at their defaults count as not given.
            reply("at_risk_accounts", {"limit": 10}),
            # A name the store resolves to the same account matches.
            reply("health", {"account": "northwind studios"}),
            # The right tool with the wrong purpose.
            reply("draft_email", {"account": "Northwind Studios", "purpose": "checkin"}),
            AIMessage(content="I would search for exports."),
        ]
    )

    result = evaluate_model(ToolContext(demo_settings, demo_store, model, "scripted"), cases)

    model.assert_done()
    assert result.cases == 4
    assert result.tool_correct == 3
    assert result.arguments_correct == 2
    assert [miss["got"]["tool"] for miss in result.misses] == ["draft_email", "none"]
    assert "schedule_followup" in model.bound_tools
