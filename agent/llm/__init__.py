"""Chat model construction behind one function, from the `CSM_MODEL` setting.

The model returned here raises failures of the model server (refused connection, timeout,
rejected key, unknown model, malformed response) as ConfigError or RuntimeFailure. Each
error is one line that names the server URL and the fix, the same for every caller.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from agent.config import Settings
from agent.errors import ConfigError, CsmError, RuntimeFailure

logger = logging.getLogger(__name__)

CONNECT_HINT = (
    "No model is configured: answers come from computed facts and templates. To connect one, "
    "set OPENAI_API_KEY (and OPENAI_BASE_URL for an OpenAI-compatible server such as Ollama, "
    "vLLM or a llama.cpp server) and CSM_MODEL=openai:MODEL, or set "
    "CSM_MODEL=llamacpp:PATH.gguf to run a local GGUF file."
)
# Seconds to wait for one model response before giving up. Local servers on a CPU can take
# tens of seconds to read a long prompt, so this stays generous.
REQUEST_TIMEOUT = 60.0
# Seconds to wait for the server to accept a connection. A stopped server refuses at once;
# this bounds the wait for an address that drops packets instead.
CONNECT_TIMEOUT = 5.0
# Retries after a failed request (connection error, timeout, HTTP 408/409/429/5xx). One
# retry rides out a brief outage and keeps the worst case for one call near two timeouts.
MAX_RETRIES = 1
# The error code with which OpenAI (and servers that copy its errors) report a key whose
# quota or credit is used up.
QUOTA_CODE = "insufficient_quota"
NO_MODEL_FIX = "or set CSM_MODEL=none to work without a model"
MAX_DETAIL_CHARS = 200
# Requests for one reply while the model returns neither text nor a tool call. A llama.cpp
# server in auto tool mode can return such an empty reply, and a new sample may differ.
EMPTY_REPLY_ATTEMPTS = 2


def model_name(settings: Settings) -> str:
    """Return the model part of the spec, e.g. `gpt-4o-mini` for `openai:gpt-4o-mini`."""
    return settings.model.partition(":")[2]


def chat_model(settings: Settings):  # noqa: ANN201 - a LangChain BaseChatModel, or None
    """Build the configured chat model, or return None when the setting is `none`.

    `llamacpp:PATH` starts a llama.cpp server for the GGUF file on first use and stops it
    when the process exits.

    Raises:
        ConfigError: the spec is unknown, its key is missing, OPENAI_BASE_URL is not an
            http(s) URL, the GGUF file is missing or invalid, or xllamacpp is not installed.
        RuntimeFailure: the llama.cpp server failed to start.
    """
    spec = settings.model
    if spec == "none":
        return None
    provider, _, name = spec.partition(":")
    if provider == "llamacpp":
        from agent.llm import llamacpp

        return llamacpp.chat_model(name, settings.home / "logs")
    if provider != "openai" or not name:
        raise ConfigError(
            f"CSM_MODEL={spec!r} is not a supported model. Use `openai:MODEL` (with "
            "OPENAI_BASE_URL for any OpenAI-compatible server), `llamacpp:PATH.gguf` for a "
            "local GGUF file, or `none`."
        )
    base_url = settings.base_url
    if base_url is not None and not base_url.startswith(("http://", "https://")):
        raise ConfigError(
            f"OPENAI_BASE_URL={base_url!r} is not an http(s) URL. Write it in full, e.g. "
            "http://127.0.0.1:11434/v1, or unset it to use the OpenAI API."
        )
    api_key = settings.api_key
    if not api_key:
        if not base_url:
            raise ConfigError(
                "CSM_MODEL is set to an OpenAI model but OPENAI_API_KEY is not set. Set the key, "
                "or set OPENAI_BASE_URL to a local OpenAI-compatible server."
            )
        # Local OpenAI-compatible servers accept any key; the client requires one.
        api_key = "not-needed"
    import httpx
    import openai

    return _checked_chat_class()(
        model=name,
        api_key=api_key,
        base_url=base_url,
        timeout=openai.Timeout(REQUEST_TIMEOUT, connect=CONNECT_TIMEOUT),
        max_retries=MAX_RETRIES,
        temperature=0.2,
        http_client=httpx.Client(event_hooks={"response": [_no_retry_when_out_of_quota]}),
    )


def _no_retry_when_out_of_quota(response) -> None:  # noqa: ANN001 - an httpx.Response
    """Mark a 429 that reports an exhausted quota as final.

    The openai client retries every 429 with backoff, which helps with rate limits but only
    delays the error when the key has no quota left. It skips the retry when the response
    carries `x-should-retry: false`.
    """
    if response.status_code == 429:
        response.read()
        if QUOTA_CODE in response.text:
            response.headers["x-should-retry"] = "false"


@functools.cache
def _checked_chat_class() -> type:
    """Return ChatOpenAI subclassed so that its server failures raise csm's own errors.

    A reply with neither text nor a tool call is requested again, up to
    EMPTY_REPLY_ATTEMPTS requests in all, then raises RuntimeFailure.

    The class is built on first use, so that importing this module does not load LangChain.
    Only the synchronous calls are wrapped, because csm makes no asynchronous ones.
    """
    from langchain_openai import ChatOpenAI

    class CheckedChatOpenAI(ChatOpenAI):
        def _server_url(self) -> str:
            return str(self.root_client.base_url).rstrip("/")

        def _server_label(self) -> str:
            return f"The model server at {self._server_url()}"

        def _describe_error(self, error: Exception) -> CsmError | RuntimeFailure:
            return describe_server_error(error, self._server_url(), self.model_name)

        @contextmanager
        def _server_errors(self) -> Iterator[None]:
            import openai

            try:
                yield
            except (openai.APIError, openai.LengthFinishReasonError) as error:
                raise self._describe_error(error) from error

        def _generate(self, *args: Any, **kwargs: Any) -> Any:
            for attempt in range(1, EMPTY_REPLY_ATTEMPTS + 1):
                with self._server_errors():
                    result = super()._generate(*args, **kwargs)
                if not _is_empty_reply(result.generations[0].message):
                    return result
                self._log_empty_reply(attempt)
            raise self._empty_reply_error()

        def _stream(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
            for attempt in range(1, EMPTY_REPLY_ATTEMPTS + 1):
                replied = False
                with self._server_errors():
                    for chunk in super()._stream(*args, **kwargs):
                        replied = replied or not _is_empty_reply(chunk.message)
                        yield chunk
                if replied:
                    return
                self._log_empty_reply(attempt)
            raise self._empty_reply_error()

        def _log_empty_reply(self, attempt: int) -> None:
            logger.warning(
                "%s returned an empty reply from model %s (attempt %d of %d)",
                self._server_url(),
                self.model_name,
                attempt,
                EMPTY_REPLY_ATTEMPTS,
            )

        def _empty_reply_error(self) -> RuntimeFailure:
            return RuntimeFailure(
                f"{self._server_label()} returned an empty reply {EMPTY_REPLY_ATTEMPTS} times "
                f"in a row (model {self.model_name!r}). Ask again in other words, or try a "
                f"larger model in CSM_MODEL, {NO_MODEL_FIX}."
            )

        # NOTE: a private method of langchain-openai 1.x, the one that reads the parsed
        # response into a ChatResult. A garbled response fails there with a plain
        # ValueError, TypeError or KeyError.
        def _create_chat_result(self, response: Any, generation_info: Any = None) -> Any:
            try:
                return super()._create_chat_result(response, generation_info)
            except (KeyError, TypeError, ValueError) as error:
                raise RuntimeFailure(
                    f"The model server at {self._server_url()} returned a response that is "
                    f"not an OpenAI chat completion ({_one_line(str(error))}). Check that "
                    f"OPENAI_BASE_URL points at an OpenAI-compatible API (it usually ends in "
                    f"/v1), {NO_MODEL_FIX}."
                ) from error

    return CheckedChatOpenAI


def _is_empty_reply(message: Any) -> bool:
    """Return True for an AIMessage (or chunk) with no text and no tool call."""
    calls = message.tool_calls or message.invalid_tool_calls
    calls = calls or getattr(message, "tool_call_chunks", None)
    return not calls and not message.text.strip()


def describe_server_error(error: Exception, url: str, model: str) -> CsmError | RuntimeFailure:
    """Turn one openai client error into the csm error that names the URL and the fix.

    A rejected key, a refused model or an unknown model is the user's setting to fix
    (ConfigError). A server that is down, slow, overloaded or broken is a RuntimeFailure.
    """
    import openai

    where = f"The model server at {url}"
    if isinstance(error, openai.LengthFinishReasonError):
        return RuntimeFailure(
            f"{where} stopped model {model!r} at its max reply length before it finished a "
            f"structured reply. Ask for less at once, or try another model in CSM_MODEL, "
            f"{NO_MODEL_FIX}."
        )
    if isinstance(error, openai.APITimeoutError):
        attempts = MAX_RETRIES + 1
        tries = "1 attempt" if attempts == 1 else f"{attempts} attempts"
        return RuntimeFailure(
            f"{where} did not answer within {REQUEST_TIMEOUT:g} s ({tries}). Check that it "
            f"is running and not overloaded, {NO_MODEL_FIX}."
        )
    if isinstance(error, openai.APIConnectionError):
        return RuntimeFailure(
            f"Cannot connect to the model server at {url} ({_connection_reason(error)}). "
            f"Start the server or correct OPENAI_BASE_URL, {NO_MODEL_FIX}."
        )
    if not isinstance(error, openai.APIStatusError):
        return RuntimeFailure(
            f"{where} returned an invalid response ({_one_line(str(error))}). Check that "
            f"OPENAI_BASE_URL points at an OpenAI-compatible API, {NO_MODEL_FIX}."
        )
    status = f"HTTP {error.status_code}: {_status_detail(error)}"
    if isinstance(error, openai.AuthenticationError):
        return ConfigError(
            f"{where} rejected the API key ({status}). Set OPENAI_API_KEY to a key it "
            f"accepts, {NO_MODEL_FIX}."
        )
    if isinstance(error, openai.PermissionDeniedError):
        return ConfigError(
            f"{where} denied access to model {model!r} ({status}). Use a key allowed to call "
            f"it in OPENAI_API_KEY, or another model in CSM_MODEL."
        )
    if isinstance(error, openai.NotFoundError):
        return ConfigError(
            f"{where} has no model {model!r} or no chat completions endpoint ({status}). "
            f"Check CSM_MODEL=openai:{model} and OPENAI_BASE_URL (it usually ends in /v1)."
        )
    if isinstance(error, openai.RateLimitError) and QUOTA_CODE in str(error.body):
        return ConfigError(
            f"{where} says the API key is out of quota ({status}). Add credit to the key's "
            f"account or set another key in OPENAI_API_KEY, {NO_MODEL_FIX}."
        )
    if isinstance(error, openai.RateLimitError):
        return RuntimeFailure(
            f"{where} is rate limiting requests or the key is out of quota ({status}). Wait "
            f"and try again, or check the plan of the key in OPENAI_API_KEY."
        )
    if isinstance(error, openai.BadRequestError):
        return RuntimeFailure(
            f"{where} rejected the request to model {model!r} ({status}). The model may not "
            f"support tool calling, or the prompt may be too long for it; try another model "
            f"in CSM_MODEL, {NO_MODEL_FIX}."
        )
    return RuntimeFailure(f"{where} failed ({status}). Try again later, {NO_MODEL_FIX}.")


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > MAX_DETAIL_CHARS:
        text = text[: MAX_DETAIL_CHARS - 3] + "..."
    return text


def _connection_reason(error: BaseException) -> str:
    # The openai client reports every transport failure as "Connection error.", and
    # LangChain wraps that once more. The innermost cause, an httpx exception, names the
    # failure: refused, unknown host, TLS, or a malformed URL.
    innermost = error
    seen = {id(error)}
    while (cause := innermost.__cause__ or innermost.__context__) and id(cause) not in seen:
        seen.add(id(cause))
        innermost = cause
    return _one_line(str(innermost)) or type(innermost).__name__


def _status_detail(error: Any) -> str:
    body = error.body
    if isinstance(body, dict) and body.get("message"):
        return _one_line(str(body["message"]))
    return _one_line(str(error.message))
