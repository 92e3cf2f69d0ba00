"""A run's state as plain data, so any process can advance it (the Celery driver stores it).

``GraphPlan`` holds what is derived from the spec alone (order, MoA layers); ``RunState`` what a
run has done so far. Both drivers mutate a ``RunState`` only through ``graphs.engine.scheduler``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

from graphs.nodes.base import NodeResult, RunInput
from graphs.spec import GraphSpec


class NodeStatus(StrEnum):
    PENDING = "pending"
    READY = "ready"
    RUNNING = "running"
    COMPLETED = "completed"
    SKIPPED = "skipped"
    FAILED = "failed"


SETTLED = frozenset({NodeStatus.COMPLETED, NodeStatus.SKIPPED, NodeStatus.FAILED})


class RunStatus(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class GraphPlan:
    """Facts about a spec that every step of a run needs; computed once per spec."""

    spec: GraphSpec

    @cached_property
    def order(self) -> dict[str, int]:
        """Each node's position in the spec: ready nodes start in this order (deterministic)."""
        return {node.id: index for index, node in enumerate(self.spec.nodes)}

    @cached_property
    def layers(self) -> dict[str, int]:
        """MoA layer (1-based) of each model node: one more than its deepest model predecessor."""
        layers: dict[str, int] = {}
        for node_id in self._topological_order:
            if self.spec.node(node_id).kind != "model":
                continue
            below = [
                layers[edge.source] for edge in self.spec.incoming[node_id] if edge.source in layers
            ]
            layers[node_id] = 1 + max(below, default=0)
        return layers

    @cached_property
    def is_mixture(self) -> bool:
        """Whether some model node aggregates two or more model predecessors."""
        return any(
            sum(1 for edge in self.spec.incoming[node_id] if edge.source in self.layers) >= 2
            for node_id in self.layers
        )

    @cached_property
    def routers(self) -> tuple[str, ...]:
        """The router nodes, in spec order."""
        return tuple(node.id for node in self.spec.nodes_of_kind("router"))

    @cached_property
    def layer_members(self) -> dict[int, tuple[str, ...]]:
        members: dict[int, list[str]] = {}
        for node_id, layer in self.layers.items():
            members.setdefault(layer, []).append(node_id)
        return {layer: tuple(ids) for layer, ids in sorted(members.items())}

    @cached_property
    def _topological_order(self) -> list[str]:
        waiting = {node.id: len(self.spec.incoming[node.id]) for node in self.spec.nodes}
        queue = deque(node.id for node in self.spec.nodes if waiting[node.id] == 0)
        order: list[str] = []
        while queue:
            node_id = queue.popleft()
            order.append(node_id)
            for edge in self.spec.outgoing[node_id]:
                waiting[edge.target] -= 1
                if waiting[edge.target] == 0:
                    queue.append(edge.target)
        return order


@dataclass
class RunState:
    """What a run has done: node statuses and results, active edges, and the run's outcome.

    ``waiting[n]`` counts n's predecessors that have not settled yet; ``ready`` lists nodes whose
    predecessors all settled with at least one active edge into them, not yet started.
    """

    run_input: RunInput
    status: dict[str, NodeStatus]
    waiting: dict[str, int]
    results: dict[str, NodeResult] = field(default_factory=dict)
    active_edges: set[str] = field(default_factory=set)
    ready: list[str] = field(default_factory=list)
    run_status: RunStatus = RunStatus.RUNNING
    error: str | None = None

    @property
    def finished(self) -> bool:
        return self.run_status is not RunStatus.RUNNING

    def to_json(self) -> dict[str, Any]:
        return {
            "run_input": self.run_input.to_json(),
            "status": {node: str(status) for node, status in self.status.items()},
            "waiting": dict(self.waiting),
            "results": {node: result.to_json() for node, result in self.results.items()},
            "active_edges": sorted(self.active_edges),
            "ready": list(self.ready),
            "run_status": str(self.run_status),
            "error": self.error,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RunState:
        return cls(
            run_input=RunInput.from_json(data["run_input"]),
            status={node: NodeStatus(value) for node, value in data["status"].items()},
            waiting=dict(data["waiting"]),
            results={node: NodeResult.from_json(r) for node, r in data["results"].items()},
            active_edges=set(data["active_edges"]),
            ready=list(data["ready"]),
            run_status=RunStatus(data["run_status"]),
            error=data.get("error"),
        )
