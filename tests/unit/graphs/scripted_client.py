"""A scripted model client for engine tests: each model key answers as the test says."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from graphs.runtime import (
    BackendError,
    Chunk,
    GenerateRequest,
    ScoreRequest,
    TransientBackendError,
)


@dataclass
class Script:
    """How one model key behaves: its reply, delay, failures and router scores."""

    reply: Callable[[GenerateRequest], str] = lambda request: "answer"
    delay_s: float = 0.0
    transient_failures: int = 0
    error: str | None = None
    hang: bool = False
    scores: list[float] | None = None


@dataclass
class ScriptedClient:
    scripts: dict[str, Script] = field(default_factory=dict)
    requests: list[GenerateRequest | ScoreRequest] = field(default_factory=list)
    running: int = 0
    max_running: int = 0

    def script(self, model: str) -> Script:
        return self.scripts.setdefault(model, Script())

    async def _act(self, request: GenerateRequest | ScoreRequest) -> Script:
        self.requests.append(request)
        script = self.script(request.model)
        if script.transient_failures:
            script.transient_failures -= 1
            raise TransientBackendError("connection reset")
        if script.error:
            raise BackendError(script.error)
        self.running += 1
        self.max_running = max(self.max_running, self.running)
        try:
            await asyncio.sleep(script.delay_s)
            while script.hang:
                await asyncio.sleep(3600)
        finally:
            self.running -= 1
        return script

    async def generate(self, request: GenerateRequest) -> AsyncIterator[Chunk]:
        script = await self._act(request)
        words = script.reply(request).split(" ")
        for i, word in enumerate(words):
            yield Chunk(text=word if i == 0 else " " + word)
        yield Chunk(done=True, tokens_in=len(request.messages), tokens_out=len(words))

    async def score(self, request: ScoreRequest) -> list[float]:
        script = await self._act(request)
        n = len(request.candidates)
        return script.scores if script.scores is not None else [1 / n] * n


def spec_json(nodes: list[tuple[str, str, dict[str, Any]]], edges: list[tuple]) -> dict[str, Any]:
    """Compact spec JSON: nodes as (id, kind, config); edges as (source, target[, data])."""
    return {
        "spec": 1,
        "nodes": [{"id": i, "kind": k, "config": c} for i, k, c in nodes],
        "edges": [
            {
                "id": f"{e[0]}->{e[1]}",
                "source": e[0],
                "target": e[1],
                "data": e[2] if len(e) > 2 else {},
            }
            for e in edges
        ],
    }
