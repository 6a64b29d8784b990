"""A scripted chat model for tests: it replays fixed replies and checks it was used exactly."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import PrivateAttr


class UnexpectedModelCall(AssertionError):
    """The code under test called the model more often than the script allows."""


class ScriptedChatModel(BaseChatModel):
    """Return the scripted AIMessages in order; record every call's messages.

    Raises UnexpectedModelCall on a call past the end of the script. `assert_done()` fails
    when scripted replies were left unused.
    """

    replies: list[AIMessage]
    _calls: list[list[BaseMessage]] = PrivateAttr(default_factory=list)
    _bound_tools: list[str] = PrivateAttr(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    @property
    def calls(self) -> list[list[BaseMessage]]:
        return self._calls

    @property
    def bound_tools(self) -> list[str]:
        return self._bound_tools

    def bind_tools(self, tools: list[Any], **_kwargs: Any) -> ScriptedChatModel:
        self._bound_tools = [getattr(tool, "name", str(tool)) for tool in tools]
        return self

    def _generate(
        self, messages: list[BaseMessage], stop: list[str] | None = None, **_kwargs: Any
    ) -> ChatResult:
        if len(self._calls) >= len(self.replies):
            raise UnexpectedModelCall(
                f"model called {len(self._calls) + 1} times, script has {len(self.replies)}"
            )
        self._calls.append(list(messages))
        reply = self.replies[len(self._calls) - 1]
        return ChatResult(generations=[ChatGeneration(message=reply)])

    def assert_done(self) -> None:
        unused = len(self.replies) - len(self._calls)
        assert unused == 0, f"{unused} scripted replies were never requested"
