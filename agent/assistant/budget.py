"""Token budgets for one agent turn, counted with tiktoken.

The model sees the system prompt, the tool definitions, the history and the request, then
writes its reply into what is left of its context. Before a turn, the oldest history is
dropped until all of it fits with room for the tools' output and the reply; a tool's
output longer than its share is cut, with a note the model can act on.

Counts use o200k_base, the encoding of OpenAI's current models. Other models tokenise
differently, so the limits keep a margin (REPLY_RESERVE, TOOL_OUTPUT_TOKENS).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass

from agent.errors import ConfigError, InputError

ENCODING = "o200k_base"
# Context window assumed for `openai:` models: 32,768 tokens, the size of common local
# models served through OpenAI-compatible servers. CSM_CONTEXT_TOKENS overrides it.
DEFAULT_CONTEXT_TOKENS = 32_768
# Tokens kept free for the tools' output and the model's reply within one turn.
REPLY_RESERVE = 4_096
# Longest tool output passed to the model, in tokens.
TOOL_OUTPUT_TOKENS = 2_000
# Tokens a chat message costs beyond its text (role and separators), an estimate.
MESSAGE_OVERHEAD = 4


def count_tokens(text: str) -> int:
    from agent.offline import get_encoding

    return len(get_encoding(ENCODING).encode(text, disallowed_special=()))


def context_tokens(model_spec: str) -> int:
    """Return the context window to budget for: CSM_CONTEXT_TOKENS, else the backend's.

    Raises:
        ConfigError: CSM_CONTEXT_TOKENS is not a whole number of at least 2,048.
    """
    configured = os.environ.get("CSM_CONTEXT_TOKENS", "").strip()
    if configured:
        if not configured.isdigit() or int(configured) < 2048:
            raise ConfigError(
                f"CSM_CONTEXT_TOKENS={configured!r} is invalid; give the model's context "
                "window in tokens, at least 2048."
            )
        return int(configured)
    if model_spec.startswith("llamacpp:"):
        from agent.llm.llamacpp import CONTEXT_TOKENS

        return CONTEXT_TOKENS
    return DEFAULT_CONTEXT_TOKENS


@dataclass
class Fitted:
    """The history that fits, and how many of the oldest messages were left out."""

    history: list[dict]
    dropped: int


def fit_history(
    system_prompt: str,
    tool_schemas: Sequence[dict],
    history: Sequence[dict],
    request: str,
    context: int,
) -> Fitted:
    """Drop the oldest history messages until the turn fits in `context` with REPLY_RESERVE
    tokens to spare.

    Raises:
        InputError: the request alone, with the prompt and tools, does not fit.
    """
    fixed = (
        count_tokens(system_prompt)
        + count_tokens(json.dumps(list(tool_schemas)))
        + count_tokens(request)
        + 2 * MESSAGE_OVERHEAD
    )
    room = context - REPLY_RESERVE - fixed
    if room < 0:
        raise InputError(
            f"The request is too long for the model: it needs {fixed + REPLY_RESERVE} tokens "
            f"with the instructions and tools, and the context holds {context}. Shorten it."
        )
    costs = [count_tokens(message["content"]) + MESSAGE_OVERHEAD for message in history]
    start = 0
    while sum(costs[start:]) > room:
        start += 1
    return Fitted(history=list(history[start:]), dropped=start)


def truncate_output(text: str, limit: int = TOOL_OUTPUT_TOKENS) -> str:
    """Cut text to `limit` tokens, ending with a note on how much was left out."""
    from agent.offline import get_encoding

    encoding = get_encoding(ENCODING)
    tokens = encoding.encode(text, disallowed_special=())
    if len(tokens) <= limit:
        return text
    kept = encoding.decode(tokens[:limit])
    return (
        f"{kept}\n[Output cut at {limit} of {len(tokens)} tokens. Ask for something narrower, "
        "such as one account, one kind of source or fewer results, to see the rest.]"
    )
