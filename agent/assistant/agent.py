"""Answering a request: the LangChain agent with a model, the keyword router without one."""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field

from agent.assistant import budget, tools
from agent.assistant.budget import context_tokens, fit_history, truncate_output
from agent.assistant.router import route
from agent.assistant.tools import ToolContext, ToolResult
from agent.errors import CsmError, RuntimeFailure
from agent.llm import CONNECT_HINT
from agent.prompts import load_prompt, quote_data

logger = logging.getLogger(__name__)

# LangGraph steps per request: each tool call takes two (the model's call, the tool's reply).
MAX_GRAPH_STEPS = 12
# A tool call that fails this many times with the same arguments ends the turn.
MAX_SAME_FAILURES = 2


@dataclass
class Answer:
    """The reply to one request, with the tools that produced it and their sources."""

    text: str
    tools: list[str]
    sources: list[str]
    model: str | None
    hint: str | None = None
    data: list[dict[str, Any]] = field(default_factory=list)
    # Side effects the tools proposed in this turn, waiting for the CSM's confirmation.
    pending: list[dict[str, Any]] = field(default_factory=list)
    # Oldest history messages left out so that the turn fits the model's context.
    trimmed: int = 0


def _run_tool(ctx: ToolContext, name: str, arguments: dict) -> ToolResult:
    functions = {
        "search": tools.search,
        "health": tools.health,
        "sentiment": tools.sentiment,
        "draft_email": tools.draft_email,
        "draft_ebr": tools.draft_ebr,
        "at_risk_accounts": tools.at_risk,
        "account_brief": tools.account_brief,
        "metrics": tools.metrics,
        "schedule_followup": tools.schedule_followup,
        "set_health_override": tools.set_health_override,
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


class DraftDeckArgs(BaseModel):
    account: str = Field(description="The account's name or id.")
    kind: str = Field(
        default="qbr",
        description="`qbr` (operational, for the champion) or `ebr` (strategic, for the "
        "executive sponsor).",
    )
    period: str | None = Field(
        default=None,
        description="The quarter, e.g. 2026Q3. Leave empty for the current quarter.",
    )


class AtRiskArgs(BaseModel):
    limit: int = Field(default=10, ge=1, le=50, description="How many accounts to list.")


class MetricsArgs(BaseModel):
    start: str | None = Field(
        default=None,
        description="First day of the period, YYYY-MM-DD. Leave empty for a year before the end.",
    )
    end: str | None = Field(
        default=None,
        description="Last day of the period, YYYY-MM-DD. Leave empty for the book's latest date.",
    )


class FollowupArgs(BaseModel):
    account: str = Field(description="The account's name or id.")
    on: str = Field(description="The day to send it, as YYYY-MM-DD, from today to a year ahead.")
    purpose: str = Field(
        default="followup",
        description="One of checkin, renewal, onboarding, risk, followup.",
    )
    contact: str | None = Field(
        default=None,
        description="Which of the account's contacts to write to: a name, a role (champion, "
        "sponsor, admin) or their address on file. Leave empty to let the purpose pick. "
        "Addresses that are not the account's contacts are rejected.",
    )


class OverrideArgs(BaseModel):
    account: str = Field(description="The account's name or id.")
    score: int = Field(ge=0, le=100, description="The health score to show, 0 to 100.")
    note: str = Field(description="Why the computed score is wrong, in the CSM's words.")
    days: int = Field(default=90, ge=1, le=365, description="Days until the override expires.")


TOOL_SPECS = (
    ("search", SearchArgs, "Search call notes, support tickets and product docs; cites sources."),
    ("health", AccountArgs, "Explain an account's health score: components, drivers, missing."),
    ("sentiment", SentimentArgs, "Sentiment of a text or of an account's recent interactions."),
    ("draft_email", DraftEmailArgs, "Draft a verified email to the account's right contact."),
    (
        "draft_ebr",
        DraftDeckArgs,
        "Write a QBR or EBR deck for the account, every figure verified and cited; it is "
        "saved for the CSM to review.",
    ),
    ("at_risk_accounts", AtRiskArgs, "List the accounts most at risk with their main driver."),
    (
        "account_brief",
        AccountArgs,
        "One account at a glance: plan, ARR, renewal, health, usage trend, contacts and their "
        "roles, open tickets and recent notes, each fact with its source.",
    ),
    (
        "metrics",
        MetricsArgs,
        "Retention of the whole book over a period: GRR, NRR, logo retention, expansion, "
        "contraction and churned ARR, with the counts behind them.",
    ),
    (
        "schedule_followup",
        FollowupArgs,
        "Propose a follow-up email to one of the account's contacts on a date. The CSM must "
        "confirm it before anything is saved; tell them it is waiting.",
    ),
    (
        "set_health_override",
        OverrideArgs,
        "Propose a manual health score with a note, only when the CSM asks for one. The CSM "
        "must confirm it before it is written.",
    ),
)


def _langchain_tools(ctx: ToolContext, calls: list[ToolResult]) -> list:
    from langchain_core.tools import StructuredTool, ToolException

    def make(name: str):  # noqa: ANN202 - returns the tool's callable
        def invoke(**arguments: Any) -> str:
            try:
                result = _run_tool(ctx, name, arguments)
            except CsmError as error:
                # Raised as ToolException, the error goes back to the model as a failed call.
                raise ToolException(f"Tool error: {error}") from None
            calls.append(result)
            # Tool output carries customer content: mark it as quoted data for the model.
            text = quote_data(truncate_output(result.text, budget.TOOL_OUTPUT_TOKENS))
            return f'<tool_output tool="{name}">\n{text}\n</tool_output>'

        return invoke

    return [
        StructuredTool.from_function(
            func=make(name),
            name=name,
            description=description,
            args_schema=schema,
            handle_tool_error=True,
        )
        for name, schema, description in TOOL_SPECS
    ]


_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)\s]*)[^)]*\)")


def neutralize_markdown(text: str) -> str:
    """Turn Markdown images and links in model output into plain text.

    A Markdown viewer fetches an image as soon as it shows it, so a model that was fed a
    hostile ticket could leak data through an image URL. Images become `[image not
    loaded: ALT (URL)]` and links `TEXT (URL)`, so the URL stays visible and nothing is
    fetched by a viewer of the answer or of a saved chat.
    """
    text = _IMAGE.sub(lambda m: f"[image not loaded: {m.group(1)} ({m.group(2)})]", text)
    return _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)


class RepeatedToolFailure(Exception):
    """The model called the same tool with the same arguments after it had failed."""


def _failure_guard():  # noqa: ANN202 - a LangChain AgentMiddleware
    """Build a middleware that ends the turn when one failing call is repeated."""
    from langchain.agents.middleware import AgentMiddleware
    from langchain_core.messages import ToolMessage

    class FailureGuard(AgentMiddleware):
        def __init__(self) -> None:
            super().__init__()
            self.failures: Counter[str] = Counter()

        def wrap_tool_call(self, request, handler):  # noqa: ANN001, ANN201 - LangChain's types
            call = request.tool_call
            result = handler(request)
            if isinstance(result, ToolMessage) and result.status == "error":
                key = call["name"] + json.dumps(call.get("args"), sort_keys=True, default=str)
                self.failures[key] += 1
                if self.failures[key] >= MAX_SAME_FAILURES:
                    raise RepeatedToolFailure(f"{call['name']}: {result.content}")
            return result

    return FailureGuard()


Event = Callable[[str, Any], None]


def answer_with_model(
    ctx: ToolContext,
    question: str,
    history: list | None = None,
    on_event: Event | None = None,
) -> Answer:
    """Let the LangChain agent choose tools and write the answer.

    Args:
        on_event: when given, the turn streams: it receives ("tool_call", {"name", "args"})
            as the model calls each tool and ("token", text) as it writes the answer.
    """
    from langchain.agents import create_agent
    from langchain_core.utils.function_calling import convert_to_openai_tool
    from langgraph.errors import GraphRecursionError

    calls: list[ToolResult] = []
    proposed_before = ctx.actions.last_number
    system_prompt = load_prompt("assistant_system.md")
    tool_list = _langchain_tools(ctx, calls)
    fitted = fit_history(
        system_prompt,
        [convert_to_openai_tool(tool) for tool in tool_list],
        history or [],
        question,
        context_tokens(ctx.settings.model),
    )
    graph = create_agent(
        ctx.model, tools=tool_list, system_prompt=system_prompt, middleware=[_failure_guard()]
    )
    messages = fitted.history + [{"role": "user", "content": question}]
    config = {"recursion_limit": MAX_GRAPH_STEPS}
    stopped = ""
    try:
        if on_event is None:
            final = graph.invoke({"messages": messages}, config)["messages"][-1]
        else:
            final = _stream(graph, messages, config, on_event)
    except GraphRecursionError:
        raise RuntimeFailure(
            f"The model did not finish within {MAX_GRAPH_STEPS // 2} tool calls. Ask a narrower "
            "question, or name the account and what you need from it."
        ) from None
    except RepeatedToolFailure as failure:
        final = None
        stopped = (
            f"I stopped: the model repeated a tool call that had already failed ({failure}). "
            "Rephrase the request, or name the account exactly."
        )
    sources: list[str] = []
    for call in calls:
        sources.extend(source for source in call.sources if source not in sources)
    return Answer(
        text=stopped or neutralize_markdown(str(final.content)),
        tools=[call.tool for call in calls],
        sources=sources,
        model=ctx.model_name,
        data=[{"tool": call.tool, "result": call.data} for call in calls],
        pending=[
            _describe(action)
            for action in ctx.actions.pending.values()
            if action.number > proposed_before
        ],
        trimmed=fitted.dropped,
    )


def _stream(graph, messages: list, config: dict, on_event: Event):  # noqa: ANN001, ANN202
    """Run the graph, reporting tool calls and answer tokens; return the last message."""
    final = None
    modes = ["updates", "messages"]
    for mode, chunk in graph.stream({"messages": messages}, config, stream_mode=modes):
        if mode == "messages":
            piece, metadata = chunk
            # Only the agent's own model node writes the answer. A tool may call the model
            # too (to write an email), and those tokens are not the answer.
            from_agent = metadata.get("langgraph_node") == "model"
            text = piece.content if isinstance(piece.content, str) else ""
            if from_agent and text and not getattr(piece, "tool_call_chunks", None):
                on_event("token", text)
            continue
        for update in chunk.values():
            for message in (update or {}).get("messages", []):
                final = message
                for call in getattr(message, "tool_calls", None) or []:
                    on_event("tool_call", {"name": call["name"], "args": call["args"]})
    return final


def _describe(action) -> dict[str, Any]:  # noqa: ANN001 - actions.PendingAction
    return {
        "number": action.number,
        "kind": action.kind,
        "account": action.account_name,
        "summary": action.summary,
        "command": action.command,
    }


def answer(
    ctx: ToolContext, question: str, history: list | None = None, on_event: Event | None = None
) -> Answer:
    """Answer a request with the model if one is configured, else through the router."""
    if not question.strip():
        raise CsmError(
            'The question is empty. Ask something, e.g. `csm ask "which accounts are at risk?"`.'
        )
    if ctx.model is None:
        return answer_without_model(ctx, question)
    return answer_with_model(ctx, question, history, on_event)
