"""Any OpenAI-compatible chat endpoint (OpenAI, vLLM, llama.cpp server, Ollama, ...) behind
``ModelClient``.

``generate`` streams ``POST {base_url}/chat/completions`` (server-sent events); ``score`` asks for
one token with ``logprobs``. Errors map to what the engine can act on: HTTP 408/409/429/5xx and
connection or timeout failures raise ``TransientBackendError`` (worth a retry); other 4xx raise
``BackendError`` carrying the server's own message.

A fresh ``httpx.AsyncClient`` is opened per request: a client's connection pool belongs to one
event loop, and Celery tasks may each run their own loop, so sharing one would break there.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import AsyncIterator, Sequence
from typing import Any

from graphs.runtime import (
    BackendError,
    Chunk,
    ClipRequest,
    ClipResult,
    FinishReason,
    GenerateRequest,
    RouteRequest,
    ScoreRequest,
    SimilarityRequest,
    TransientBackendError,
)
from workers.catalog import Catalog, ModelEntry

TOP_LOGPROBS = 20
# Probability given to a candidate missing from the top logprobs: below any listed token, but
# not zero, so every candidate keeps a (tiny) probability in the router trace.
FLOOR_PROBABILITY = 1e-6
_TRANSIENT_STATUS = {408, 409, 429}


class OpenAIBackend:
    """``ModelClient`` for catalog entries of kind ``openai``.

    The API key is read, at each request, from the environment variable the entry names in
    ``api_key_env``; entries without one send no ``Authorization`` header (local servers).
    """

    def __init__(self, catalog: Catalog, *, timeout_s: float = 120.0) -> None:
        self.catalog = catalog
        self._timeout_s = timeout_s

    async def generate(self, request: GenerateRequest) -> AsyncIterator[Chunk]:
        """Stream text deltas, then ``Chunk(done=True)`` with the server's token usage.

        Servers that do not report usage in the stream get ``tokens_in=0`` and ``tokens_out``
        equal to the number of content deltas received. The finish reason is read by
        ``finish_reason_of``.
        """
        entry = self._entry(request.model, request.adapter)
        if request.prefix:
            raise BackendError(
                f"model {request.model!r} is served over HTTP and cannot continue a forced "
                "assistant prefix (functional-token rewriting needs a local transformers model)"
            )
        params = request.params
        body: dict[str, Any] = {
            "model": entry.model_name,
            "messages": [m.to_dict() for m in request.messages],
            "temperature": params.temperature,
            "top_p": params.top_p,
            "max_tokens": params.max_tokens,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        if params.stop:
            body["stop"] = list(params.stop)
        if params.seed is not None:
            body["seed"] = params.seed

        import httpx

        tokens_in = tokens_out = deltas = 0
        finish_reason: FinishReason | None = None
        try:
            async with (
                self._client(entry) as client,
                client.stream("POST", "/chat/completions", json=body) as response,
            ):
                if response.status_code != 200:
                    await response.aread()
                    raise _http_error(entry, response.status_code, response.text)
                async for data in _sse_data(response.aiter_lines()):
                    event = _parse_event(entry, data)
                    usage = event.get("usage") or {}
                    tokens_in = usage.get("prompt_tokens", tokens_in)
                    tokens_out = usage.get("completion_tokens", tokens_out)
                    for choice in event.get("choices") or []:
                        finish_reason = finish_reason_of(choice) or finish_reason
                        text = (choice.get("delta") or {}).get("content")
                        if text:
                            deltas += 1
                            yield Chunk(text=text)
        except httpx.TransportError as exc:  # connect, read, timeout, protocol errors
            raise _transport_error(entry, exc) from exc
        yield Chunk(
            done=True,
            tokens_in=tokens_in,
            tokens_out=tokens_out or deltas,
            finish_reason=finish_reason,
        )

    async def score(self, request: ScoreRequest) -> list[float]:
        """Probability of each candidate as the reply's first token, renormalised.

        A top-logprob token counts for a candidate when, leading whitespace stripped, it equals
        the candidate or is a prefix of it and of no other candidate. Candidates absent from the
        top ``TOP_LOGPROBS`` get ``FLOOR_PROBABILITY``. Raises ``BackendError`` when the server
        returns no logprobs.
        """
        if not request.candidates:
            raise BackendError("score needs at least one candidate")
        entry = self._entry(request.model, request.adapter)
        body = {
            "model": entry.model_name,
            "messages": [m.to_dict() for m in request.messages],
            "max_tokens": 1,
            "temperature": 0,
            "logprobs": True,
            "top_logprobs": TOP_LOGPROBS,
        }
        import httpx

        try:
            async with self._client(entry) as client:
                response = await client.post("/chat/completions", json=body)
        except httpx.TransportError as exc:
            raise _transport_error(entry, exc) from exc
        if response.status_code != 200:
            raise _http_error(entry, response.status_code, response.text)
        top = _top_logprobs(entry, _parse_event(entry, response.text))
        return _candidate_probabilities(top, request.candidates)

    async def route(self, request: RouteRequest) -> list[float]:
        """Not supported: functional tokens live in a local adapter. Raises ``BackendError``."""
        raise BackendError(
            f"model {request.model!r} is served over HTTP; functional-token routing needs a "
            "local transformers model with a trained router adapter (use mode in-context here)"
        )

    async def similarity(self, request: SimilarityRequest) -> list[float]:
        """Not supported over HTTP: embedding routing runs locally. Raises ``BackendError``."""
        raise BackendError("embedding routing is not served by OpenAI-compatible backends")

    async def clip(self, request: ClipRequest) -> ClipResult:
        """Not served over HTTP: CLIP models are catalog entries of kind ``clip``."""
        raise BackendError(f"model {request.model!r} is a chat endpoint, not a CLIP model")

    def _entry(self, key: str, adapter: str | None) -> ModelEntry:
        entry = self.catalog.get(key)
        if entry.kind != "openai":
            raise BackendError(f"model {key!r} is a {entry.kind} model, not an openai one")
        if adapter is not None:
            raise BackendError(
                f"model {key!r} is served over HTTP and cannot apply adapter {adapter!r}; "
                "register the adapter's endpoint model as its own catalog entry"
            )
        return entry

    def _client(self, entry: ModelEntry) -> Any:
        import httpx

        headers = {"Accept": "application/json"}
        if entry.api_key_env:
            key = os.environ.get(entry.api_key_env)
            if not key:
                raise BackendError(
                    f"model {entry.key!r} needs an API key in the environment variable "
                    f"{entry.api_key_env}, which is not set"
                )
            headers["Authorization"] = f"Bearer {key}"
        assert entry.base_url is not None
        return httpx.AsyncClient(
            base_url=entry.base_url.rstrip("/"), headers=headers, timeout=self._timeout_s
        )


async def _sse_data(lines: AsyncIterator[str]) -> AsyncIterator[str]:
    """Yield the ``data:`` payloads of a server-sent event stream until ``[DONE]``."""
    async for line in lines:
        if not line.startswith("data:"):
            continue  # blank separators, comments (": keep-alive"), event names
        data = line[len("data:") :].strip()
        if data == "[DONE]":
            return
        if data:
            yield data


def finish_reason_of(choice: dict[str, Any]) -> FinishReason | None:
    """A streamed choice's finish reason in our terms, None while it has none.

    The API says ``length``, or ``stop`` for both a natural end and a stop sequence; servers that
    tell them apart (vLLM) name the matched stop string in ``stop_reason``, which makes it
    ``stop``, and a plain ``stop`` is read as ``eos``. Other reasons (``content_filter``,
    ``tool_calls``) are None.
    """
    reason = choice.get("finish_reason")
    if reason == "length":
        return "length"
    if reason == "stop":
        return "stop" if isinstance(choice.get("stop_reason"), str) else "eos"
    return None


def _parse_event(entry: ModelEntry, data: str) -> dict[str, Any]:
    try:
        event = json.loads(data)
    except ValueError:
        raise BackendError(
            f"model {entry.key!r}: the server sent something that is not JSON: {data[:200]!r}"
        ) from None
    if not isinstance(event, dict):
        raise BackendError(f"model {entry.key!r}: unexpected response {data[:200]!r}")
    if "error" in event:  # some servers report failures inside a 200 stream
        raise BackendError(f"model {entry.key!r}: {_error_message(event)}")
    return event


def _http_error(entry: ModelEntry, status: int, text: str) -> BackendError:
    try:
        message = _error_message(json.loads(text))
    except ValueError:
        message = text.strip()[:500] or "(no message)"
    detail = f"model {entry.key!r} at {entry.base_url}: HTTP {status}: {message}"
    if status in _TRANSIENT_STATUS or status >= 500:
        return TransientBackendError(detail)
    return BackendError(detail)


def _error_message(payload: Any) -> str:
    """The human message of an OpenAI-style error body (``{"error": {"message": ...}}``)."""
    error = payload.get("error", payload) if isinstance(payload, dict) else payload
    if isinstance(error, dict):
        return str(error.get("message") or error)
    return str(error)


def _transport_error(entry: ModelEntry, exc: Exception) -> TransientBackendError:
    reason = str(exc) or type(exc).__name__
    return TransientBackendError(f"model {entry.key!r}: cannot reach {entry.base_url}: {reason}")


def _top_logprobs(entry: ModelEntry, response: dict[str, Any]) -> list[tuple[str, float]]:
    """(token, logprob) pairs at the first generated position."""
    try:
        first = response["choices"][0]["logprobs"]["content"][0]
        top = first.get("top_logprobs") or [first]
        return [(str(t["token"]), float(t["logprob"])) for t in top]
    except (KeyError, IndexError, TypeError, ValueError):
        raise BackendError(
            f"model {entry.key!r} at {entry.base_url} returned no logprobs; scoring (router "
            "nodes) needs an endpoint that supports logprobs and top_logprobs"
        ) from None


def _candidate_probabilities(
    top: list[tuple[str, float]], candidates: Sequence[str]
) -> list[float]:
    # Servers differ in whether the first token carries a leading space (" A" vs "A").
    stripped = [c.lstrip() for c in candidates]
    mass = [0.0] * len(candidates)
    for token, logprob in top:
        text = token.lstrip()
        if not text:
            continue
        exact = [i for i, c in enumerate(stripped) if c == text]
        prefix = [i for i, c in enumerate(stripped) if c.startswith(text)]
        matches = exact or (prefix if len(prefix) == 1 else [])
        for i in matches:
            mass[i] += math.exp(logprob)
    mass = [max(m, FLOOR_PROBABILITY) for m in mass]
    total = sum(mass)
    return [m / total for m in mass]
