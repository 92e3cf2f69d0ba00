"""Running nodes in other processes: a node's inputs and its outcome as plain JSON data.

The Celery driver sends a ``NodeJob`` to the worker hosting the node's model and gets a
``NodeOutcome``/``NodeFailure`` back as JSON (``outcome_to_json``/``failure_to_json``); the process
advancing the run folds it in with ``fold_outcome``, exactly as the in-process driver folds the
results of its asyncio tasks, so both drivers emit the same events.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphs.engine.execution import NodeFailure, NodeOutcome
from graphs.engine.scheduler import Scheduler
from graphs.engine.state import RunState
from graphs.events import EventDraft
from graphs.nodes.base import EmitEvent, NodeContext, NodeResult, RunInput, Upstream
from graphs.runtime import ModelClient
from graphs.spec import GraphSpec


@dataclass(frozen=True)
class NodeJob:
    """Everything node ``node`` of a run needs to execute: the spec, the results arriving on its
    active incoming edges (by edge id) and the run's input."""

    node: str
    spec: Mapping[str, Any]
    upstream: Mapping[str, NodeResult]
    run_input: RunInput

    @classmethod
    def for_node(cls, scheduler: Scheduler, state: RunState, node_id: str) -> NodeJob:
        return cls(
            node=node_id,
            spec=scheduler.spec.to_json(),
            upstream={item.edge.id: item.result for item in scheduler.upstream(state, node_id)},
            run_input=state.run_input,
        )

    def context(self, spec: GraphSpec, client: ModelClient, emit: EmitEvent) -> NodeContext:
        """The executor's context; ``spec`` is ``self.spec`` loaded (validated) by the caller."""
        upstream = tuple(
            Upstream(edge=edge, source=spec.node(edge.source), result=self.upstream[edge.id])
            for edge in spec.incoming[self.node]
            if edge.id in self.upstream
        )
        return NodeContext(
            spec=spec,
            node=spec.node(self.node),
            upstream=upstream,
            run_input=self.run_input,
            client=client,
            emit=emit,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "spec": dict(self.spec),
            "upstream": {edge: result.to_json() for edge, result in self.upstream.items()},
            "run_input": self.run_input.to_json(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> NodeJob:
        return cls(
            node=str(data["node"]),
            spec=data["spec"],
            upstream={
                edge: NodeResult.from_json(result) for edge, result in data["upstream"].items()
            },
            run_input=RunInput.from_json(data["run_input"]),
        )


def outcome_to_json(outcome: NodeOutcome) -> dict[str, Any]:
    return {
        "ok": True,
        "result": outcome.result.to_json(),
        "latency_ms": outcome.latency_ms,
        "attempts": outcome.attempts,
    }


def failure_to_json(failure: NodeFailure) -> dict[str, Any]:
    return {"ok": False, "error": failure.message, "code": failure.code}


def fold_outcome(
    scheduler: Scheduler, state: RunState, node_id: str, outcome: Mapping[str, Any]
) -> list[EventDraft]:
    """Fold a JSON outcome (``outcome_to_json`` or ``failure_to_json``) into ``state``."""
    if not outcome["ok"]:
        return scheduler.fold(state, node_id, NodeFailure(outcome["error"], outcome["code"]))
    decoded = NodeOutcome(
        result=NodeResult.from_json(outcome["result"]),
        latency_ms=outcome["latency_ms"],
        attempts=outcome["attempts"],
    )
    return scheduler.fold(state, node_id, decoded)
