"""Answering a request: the LangChain agent with a model, the keyword router without one."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field

from agent.assistant import tools
from agent.assistant.router import route
from agent.assistant.tools import ToolContext, ToolResult
from agent.errors import CsmError, RuntimeFailure
from agent.llm import CONNECT_HINT
from agent.prompts import load_prompt, quote_data

logger = logging.getLogger(__name__)

# LangGraph steps per request: each tool call takes two (the model's call, the tool's reply).
MAX_GRAPH_STEPS = 12


@dataclass
class Answer:
    """The reply to one request, with the tools that produced it and their sources."""

    text: str
    tools: list[str]
    sources: list[str]
    model: str | None
    hint: str | None = None
    data: list[dict[str, Any]] = field(default_factory=list)


def _run_tool(ctx: ToolContext, name: str, arguments: dict) -> ToolResult:
    functions = {
        "search": tools.search,
        "health": tools.health,
        "sentiment": tools.sentiment,
        "draft_email": tools.draft_email,
        "at_risk_accounts": tools.at_risk,
    }
    return functions[name](ctx, **arguments)


def answer_without_model(ctx: ToolContext, question: str) -> Answer:
    """Route the request to one tool and return its output, naming the tool."""
    chosen = route(question, ctx.store)
    if chosen.tool == "clarify":
        candidates = chosen.arguments["candidates"]
        text = "Which account do you mean: " + ", ".join(candidates) + "? Ask again with its name."
        return Answer(text=text, tools=[], sources=[], model=None, hint=CONNECT_HINT)
    result = _run_tool(ctx, chosen.tool, chosen.arguments)
    shown = ", ".join(f"{key}={value!r}" for key, value in chosen.arguments.items())
    text = f"Answered by the `{chosen.tool}` tool ({shown or 'no arguments'}):\n\n{result.text}"
    return Answer(
        text=text,
        tools=[chosen.tool],
        sources=result.sources,
        model=None,
        hint=CONNECT_HINT,
        data=[{"tool": chosen.tool, "arguments": chosen.arguments, "result": result.data}],
    )


class SearchArgs(BaseModel):
    query: str = Field(description="What to look for, in the user's words or key terms.")
    account: str | None = Field(
        default=None,
        description="Account name or id to limit the search to (its notes and tickets plus "
        "the shared product docs). Leave empty to search everything.",
    )
    kind: str | None = Field(
        default=None,
        description="Only this kind of source: `notes` (call notes, transcripts), `tickets` "
        "(support tickets) or `docs` (product documentation). Leave empty for all.",
    )


class AccountArgs(BaseModel):
    account: str = Field(description="The account's name or id, as the user wrote it.")


class SentimentArgs(BaseModel):
    account: str | None = Field(
        default=None, description="Account whose recent notes and tickets to score."
    )
    text: str | None = Field(default=None, description="A text to score instead of an account.")


class DraftEmailArgs(BaseModel):
    account: str = Field(description="The account's name or id.")
    purpose: str = Field(
        default="checkin",
        description="One of checkin, renewal, onboarding, risk, followup.",
    )


class AtRiskArgs(BaseModel):
    limit: int = Field(default=10, ge=1, le=50, description="How many accounts to list.")


TOOL_SPECS = (
    ("search", SearchArgs, "Search call notes, support tickets and product docs; cites sources."),
    ("health", AccountArgs, "Explain an account's health score: components, drivers, missing."),
    ("sentiment", SentimentArgs, "Sentiment of a text or of an account's recent interactions."),
    ("draft_email", DraftEmailArgs, "Draft a verified email to the account's right contact."),
    ("at_risk_accounts", AtRiskArgs, "List the accounts most at risk with their main driver."),
)


def _langchain_tools(ctx: ToolContext, calls: list[ToolResult]) -> list:
    from langchain_core.tools import StructuredTool

    def make(name: str):  # noqa: ANN202 - returns the tool's callable
        def invoke(**arguments: Any) -> str:
            try:
                result = _run_tool(ctx, name, arguments)
            except CsmError as error:
                return f"Tool error: {error}"
            calls.append(result)
            # Tool output carries customer content: mark it as quoted data for the model.
            return f'<tool_output tool="{name}">\n{quote_data(result.text)}\n</tool_output>'

        return invoke

    return [
        StructuredTool.from_function(
            func=make(name), name=name, description=description, args_schema=schema
        )
        for name, schema, description in TOOL_SPECS
    ]


def answer_with_model(ctx: ToolContext, question: str, history: list | None = None) -> Answer:
    """Let the LangChain agent choose tools and write the answer."""
    from langchain.agents import create_agent

    calls: list[ToolResult] = []
    graph = create_agent(
        ctx.model,
        tools=_langchain_tools(ctx, calls),
        system_prompt=load_prompt("assistant_system.md"),
    )
    messages = list(history or []) + [{"role": "user", "content": question}]
    from langgraph.errors import GraphRecursionError

    try:
        state = graph.invoke({"messages": messages}, {"recursion_limit": MAX_GRAPH_STEPS})
    except GraphRecursionError:
        raise RuntimeFailure(
            f"The model did not finish within {MAX_GRAPH_STEPS // 2} tool calls. Ask a narrower "
            "question, or name the account and what you need from it."
        ) from None
    final = state["messages"][-1]
    sources: list[str] = []
    for call in calls:
        sources.extend(source for source in call.sources if source not in sources)
    return Answer(
        text=str(final.content),
        tools=[call.tool for call in calls],
        sources=sources,
        model=ctx.model_name,
        data=[{"tool": call.tool, "result": call.data} for call in calls],
    )


def answer(ctx: ToolContext, question: str, history: list | None = None) -> Answer:
    """Answer a request with the model if one is configured, else through the router."""
    if not question.strip():
        raise CsmError(
            'The question is empty. Ask something, e.g. `csm ask "which accounts are at risk?"`.'
        )
    if ctx.model is None:
        return answer_without_model(ctx, question)
    return answer_with_model(ctx, question, history)
