"""The prompt as sent: how hosted executors record their model calls.

Before each model call an executor emits ``node.request`` with exactly what it sends:

``{call, model, adapter, messages: [{role, content}], ...}`` where ``call`` is ``generate``
(with ``params`` and ``prefix``), ``score`` (with ``candidates``), ``route`` (with ``tokens``) or
``similarity`` (``messages`` empty; ``query`` and ``candidates`` instead).

``stream`` runs one generation: it emits the request, streams ``node.delta`` events and returns
the text with its ``GenerationStats``, whose ``to_json()`` joins the node's ``node.completed``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graphs.events import EventType
from graphs.nodes.base import NodeContext
from graphs.prompts import functional_token_messages
from graphs.runtime import (
    FinishReason,
    GenerateRequest,
    Message,
    RouteRequest,
    ScoreRequest,
    SimilarityRequest,
)

ModelCall = GenerateRequest | ScoreRequest | RouteRequest | SimilarityRequest


def _messages(messages: Sequence[Message]) -> list[dict[str, str]]:
    return [message.to_dict() for message in messages]


def request_data(request: ModelCall) -> dict[str, Any]:
    """The ``node.request`` data of ``request`` (plain JSON)."""
    if isinstance(request, SimilarityRequest):
        return {
            "call": "similarity",
            "model": request.model,
            "adapter": None,
            "messages": [],
            "query": request.query,
            "candidates": [list(texts) for texts in request.candidates],
        }
    if isinstance(request, RouteRequest):
        # The backend writes this prompt (graphs.runtime.RouteRequest).
        return {
            "call": "route",
            "model": request.model,
            "adapter": request.adapter,
            "messages": _messages(functional_token_messages(request.query)),
            "tokens": list(request.tokens),
        }
    data: dict[str, Any] = {
        "model": request.model,
        "adapter": request.adapter,
        "messages": _messages(request.messages),
    }
    if isinstance(request, ScoreRequest):
        return {"call": "score", **data, "candidates": list(request.candidates)}
    params = request.params
    return {
        "call": "generate",
        **data,
        "params": {
            "temperature": params.temperature,
            "top_p": params.top_p,
            "max_tokens": params.max_tokens,
            "stop": list(params.stop),
            "seed": params.seed,
        },
        "prefix": request.prefix,
    }


def emit_request(context: NodeContext, request: ModelCall) -> None:
    """Emit ``node.request`` for ``request``, just before it is sent."""
    context.emit(EventType.NODE_REQUEST, request_data(request))


@dataclass(frozen=True)
class GenerationStats:
    """What the host reported of one generation, and how long it took as seen by the node:
    ``ttft_ms`` until the first text (None when none came), ``duration_ms`` until the end."""

    tokens_in: int
    tokens_out: int
    finish_reason: FinishReason | None
    ttft_ms: float | None
    duration_ms: float

    def to_json(self) -> dict[str, Any]:
        """The ``node.completed`` fields (token counts travel on ``NodeResult`` instead)."""
        return {
            "finish_reason": self.finish_reason,
            "ttft_ms": self.ttft_ms,
            "duration_ms": self.duration_ms,
        }


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)


async def stream(context: NodeContext, request: GenerateRequest) -> tuple[str, GenerationStats]:
    """Send ``request`` (after its ``node.request``), emitting ``node.delta`` per text piece;
    return the whole text (not stripped) and its stats. Raises what the client raises."""
    emit_request(context, request)
    started = time.perf_counter()
    pieces: list[str] = []
    ttft_ms: float | None = None
    tokens_in = tokens_out = 0
    finish_reason: FinishReason | None = None
    async for chunk in context.client.generate(request):
        if chunk.text:
            if ttft_ms is None:
                ttft_ms = _ms_since(started)
            pieces.append(chunk.text)
            context.emit("node.delta", {"text": chunk.text})
        if chunk.done:
            tokens_in, tokens_out = chunk.tokens_in, chunk.tokens_out
            finish_reason = chunk.finish_reason
    stats = GenerationStats(tokens_in, tokens_out, finish_reason, ttft_ms, _ms_since(started))
    return "".join(pieces), stats
