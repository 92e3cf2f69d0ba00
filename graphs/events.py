"""Run events: one schema for the engine, the WebSocket, the stored trace and replay.

``{"run": id, "seq": n, "ts": iso8601, "type": ..., "node": id | null, "data": {...}}``. The engine
and node executors produce ``EventDraft`` values (no run id, seq or time); a ``Sequencer`` owned
by the driver stamps them, so ``seq`` counts 1, 2, 3, ... per run with no gaps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class EventType(StrEnum):
    RUN_STARTED = "run.started"
    NODE_STARTED = "node.started"
    # A started node waits for a worker: none alive serves its model's queue (``reason``,
    # ``model``, ``queue``, ``timeout_s``: when the run fails if none comes).
    NODE_WAITING = "node.waiting"
    # The node's model host is converting or loading its model (first use in that process):
    # ``model``, ``stage`` (converting | loading), ``progress`` (fraction of the stage, or null
    # when unknown); repeated as the load moves on, then ``model.loaded`` (``model``,
    # ``seconds`` the load took) before the node's first token. See graphs.model_loading.
    MODEL_LOADING = "model.loading"
    MODEL_LOADED = "model.loaded"
    # A hosted node is about to call its model: exactly what it sends (``call``, ``model``,
    # ``adapter``, ``messages``, ``params``...; see graphs.nodes.generation), once per call.
    NODE_REQUEST = "node.request"
    NODE_DELTA = "node.delta"
    ROUTER_DECISION = "router.decision"
    TOOL_CALL = "tool.call"
    TOOL_RESULT = "tool.result"
    CLIP_RESULT = "clip.result"
    LAYER_COMPLETED = "layer.completed"
    # ``output``, ``tokens_in``, ``tokens_out``, ``latency_ms``, ``attempts``, the kind's data;
    # a generating node adds ``finish_reason`` (eos | length | stop | null), ``ttft_ms`` and
    # ``duration_ms`` of its generation.
    NODE_COMPLETED = "node.completed"
    NODE_SKIPPED = "node.skipped"
    NODE_FAILED = "node.failed"
    RUN_COMPLETED = "run.completed"
    RUN_FAILED = "run.failed"
    RUN_CANCELLED = "run.cancelled"


TERMINAL_TYPES = frozenset({EventType.RUN_COMPLETED, EventType.RUN_FAILED, EventType.RUN_CANCELLED})

# Deltas are the only events that may be dropped from a stored trace (kept in Redis a while).
STRUCTURAL_TYPES = frozenset(EventType) - {EventType.NODE_DELTA}


@dataclass(frozen=True)
class EventDraft:
    """An event before it is stamped: its type, the node it is about (if any) and its data."""

    type: EventType
    node: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Event:
    run: str
    seq: int
    ts: str
    type: EventType
    node: str | None
    data: Mapping[str, Any]

    @property
    def is_terminal(self) -> bool:
        return self.type in TERMINAL_TYPES

    def to_json(self) -> dict[str, Any]:
        return {
            "run": self.run,
            "seq": self.seq,
            "ts": self.ts,
            "type": str(self.type),
            "node": self.node,
            "data": dict(self.data),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Event:
        """Raises ``ValueError`` for an unknown type and ``KeyError`` for a missing field."""
        return cls(
            run=str(data["run"]),
            seq=int(data["seq"]),
            ts=str(data["ts"]),
            type=EventType(data["type"]),
            node=data.get("node"),
            data=dict(data.get("data") or {}),
        )


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Sequencer:
    """Stamps drafts of one run with consecutive ``seq`` numbers starting after ``last_seq``.

    Not thread-safe: one driver owns it (the Celery driver numbers events in Redis instead).
    """

    def __init__(
        self, run_id: str, *, last_seq: int = 0, clock: Callable[[], str] = utc_now_iso
    ) -> None:
        self.run_id = run_id
        self.last_seq = last_seq
        self._clock = clock

    def stamp(self, draft: EventDraft) -> Event:
        self.last_seq += 1
        return Event(
            run=self.run_id,
            seq=self.last_seq,
            ts=self._clock(),
            type=draft.type,
            node=draft.node,
            data=draft.data,
        )
