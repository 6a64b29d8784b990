"""Score tool routing: does each request reach the expected tool with the expected arguments?"""

from __future__ import annotations

import json
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


def evaluate_router(store: Store, cases: list[RoutingCase]) -> RoutingResult:
    """Route every case without a model and count tool and argument matches."""
    result = RoutingResult()
    for case in cases:
        chosen = route(case.request, store)
        result.cases += 1
        tool_ok = chosen.tool == case.tool
        arguments_ok = tool_ok and _comparable(store, chosen.arguments) == _comparable(
            store, case.arguments
        )
        result.tool_correct += tool_ok
        result.arguments_correct += arguments_ok
        if not arguments_ok:
            result.misses.append(
                {
                    "request": case.request,
                    "expected": {"tool": case.tool, "arguments": case.arguments},
                    "got": {"tool": chosen.tool, "arguments": chosen.arguments},
                }
            )
    return result
