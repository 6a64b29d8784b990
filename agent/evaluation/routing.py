"""Score tool routing: does each request reach the expected tool with the expected arguments?"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from agent.assistant.router import route
from agent.errors import CsmError, InputError
from agent.store import Store


@dataclass
class RoutingCase:
    request: str
    tool: str
    arguments: dict


@dataclass
class RoutingResult:
    cases: int = 0
    tool_correct: int = 0
    arguments_correct: int = 0
    misses: list[dict] = field(default_factory=list)

    @property
    def tool_accuracy(self) -> float:
        return self.tool_correct / self.cases if self.cases else 0.0

    @property
    def argument_accuracy(self) -> float:
        return self.arguments_correct / self.cases if self.cases else 0.0


def load_cases(path: Path) -> list[RoutingCase]:
    """Read one JSON object a line: request, tool, arguments."""
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            cases.append(RoutingCase(record["request"], record["tool"], record["arguments"]))
        except (json.JSONDecodeError, KeyError) as error:
            raise InputError(f"{path}:{number}: invalid routing case ({error}).") from None
    return cases


def _comparable(store: Store, arguments: dict) -> dict:
    """Resolve account names to ids; the search query text is not compared.

    Raises:
        InputError: an expected account is not in the store, so the case cannot be scored.
    """
    result = {key: value for key, value in arguments.items() if key != "query"}
    if result.get("account") is not None:
        try:
            result["account"] = store.resolve_account(result["account"]).id
        except CsmError as error:
            raise InputError(
                f"The routing set names an account the store lacks: {error} Load the sample "
                "business with `csm init --demo`."
            ) from None
    return result


def _score(
    store: Store, cases: list[RoutingCase], choose: Callable[[str], tuple[str, dict]]
) -> RoutingResult:
    """Ask `choose` for each case's tool and arguments and count the matches."""
    result = RoutingResult()
    for case in cases:
        tool, arguments = choose(case.request)
        result.cases += 1
        tool_ok = tool == case.tool
        try:
            got = _comparable(store, arguments)
        except InputError:
            got = {"unresolved": arguments}  # the chosen account is not in the store
        arguments_ok = tool_ok and got == _comparable(store, case.arguments)
        result.tool_correct += tool_ok
        result.arguments_correct += arguments_ok
        if not arguments_ok:
            result.misses.append(
                {
                    "request": case.request,
                    "expected": {"tool": case.tool, "arguments": case.arguments},
                    "got": {"tool": tool, "arguments": arguments},
                }
            )
    return result


def evaluate_router(store: Store, cases: list[RoutingCase]) -> RoutingResult:
    """Route every case without a model and count tool and argument matches."""

    def choose(request: str) -> tuple[str, dict]:
        chosen = route(request, store)
        return chosen.tool, chosen.arguments

    return _score(store, cases, choose)


def evaluate_model(ctx, cases: list[RoutingCase]) -> RoutingResult:  # noqa: ANN001 - ToolContext
    """Give each request to the model with the agent's tools and score its first tool call.

    The tools are not run. Arguments left at their default (or None) count as not given,
    so `limit=10` equals no limit. A reply without a tool call counts as tool `none`.
    """
    from langchain_core.messages import HumanMessage, SystemMessage

    from agent.assistant.agent import TOOL_SPECS, _langchain_tools
    from agent.prompts import load_prompt

    bound = ctx.model.bind_tools(_langchain_tools(ctx, []))
    system = SystemMessage(load_prompt("assistant_system.md"))
    schemas = {name: schema for name, schema, _description in TOOL_SPECS}

    def choose(request: str) -> tuple[str, dict]:
        reply = bound.invoke([system, HumanMessage(request)])
        if not reply.tool_calls:
            return "none", {}
        call = reply.tool_calls[0]
        return call["name"], _without_defaults(schemas.get(call["name"]), call["args"])

    return _score(ctx.store, cases, choose)


def _without_defaults(schema, arguments: dict) -> dict:  # noqa: ANN001 - a pydantic model class
    if schema is None:
        return arguments
    fields = schema.model_fields
    return {
        key: value
        for key, value in arguments.items()
        if value is not None and not (key in fields and fields[key].default == value)
    }
