"""Chat model construction behind one function, from the `CSM_MODEL` setting."""

from __future__ import annotations

from agent.config import Settings
from agent.errors import ConfigError

CONNECT_HINT = (
    "No model is configured: answers come from computed facts and templates. To connect one, "
    "set OPENAI_API_KEY (and OPENAI_BASE_URL for an OpenAI-compatible server such as Ollama, "
    "vLLM or a llama.cpp server) and CSM_MODEL=openai:MODEL."
)
# Seconds to wait for one model response before giving up.
REQUEST_TIMEOUT = 60.0
MAX_RETRIES = 2


def model_name(settings: Settings) -> str:
    """Return the model part of the spec, e.g. `gpt-4o-mini` for `openai:gpt-4o-mini`."""
    return settings.model.partition(":")[2]


def chat_model(settings: Settings):  # noqa: ANN201 - a LangChain BaseChatModel, or None
    """Build the configured chat model, or return None when the setting is `none`.

    Raises:
        ConfigError: the spec is unknown or its key is missing.
    """
    spec = settings.model
    if spec == "none":
        return None
    provider, _, name = spec.partition(":")
    if provider != "openai" or not name:
        raise ConfigError(
            f"CSM_MODEL={spec!r} is not a supported model. Use `openai:MODEL` (with "
            "OPENAI_BASE_URL for any OpenAI-compatible server) or `none`."
        )
    api_key = settings.api_key
    if not api_key:
        if not settings.base_url:
            raise ConfigError(
                "CSM_MODEL is set to an OpenAI model but OPENAI_API_KEY is not set. Set the key, "
                "or set OPENAI_BASE_URL to a local OpenAI-compatible server."
            )
        # Local OpenAI-compatible servers accept any key; the client requires one.
        api_key = "not-needed"
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=name,
        api_key=api_key,
        base_url=settings.base_url,
        timeout=REQUEST_TIMEOUT,
        max_retries=MAX_RETRIES,
        temperature=0.2,
    )
