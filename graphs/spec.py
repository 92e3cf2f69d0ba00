"""The graph spec: the JSON that the canvas draws, the API stores and the engine runs.

``graphs.validation.load_spec`` is the one boundary that turns JSON data into these typed
objects (or raises ``SpecError`` listing every problem). ``GraphSpec.to_json`` gives the
same JSON back, so a spec round-trips unchanged (positions and edge ``data`` included).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

SPEC_VERSION = 1


@dataclass(frozen=True)
class Position:
    x: float = 0.0
    y: float = 0.0


@dataclass(frozen=True)
class NodeSpec:
    """A node: ``config`` is its kind's typed config dataclass; ``raw_config`` the JSON as given."""

    id: str
    kind: str
    config: Any
    raw_config: Mapping[str, Any] = field(default_factory=dict)
    position: Position = field(default_factory=Position)
    label: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "position": {"x": self.position.x, "y": self.position.y},
            "config": dict(self.raw_config),
        }
        if self.label is not None:
            data["label"] = self.label
        return data


@dataclass(frozen=True)
class EdgeSpec:
    """A directed edge. Router edges carry ``token`` (functional-token index), ``description``
    and optional ``examples`` in ``data``."""

    id: str
    source: str
    target: str
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def token(self) -> int | None:
        token = self.data.get("token")
        return token if isinstance(token, int) and not isinstance(token, bool) else None

    @property
    def description(self) -> str:
        description = self.data.get("description")
        return description if isinstance(description, str) else ""

    @property
    def examples(self) -> tuple[str, ...]:
        examples = self.data.get("examples")
        if not isinstance(examples, list):
            return ()
        return tuple(e for e in examples if isinstance(e, str))

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "source": self.source, "target": self.target}
        if self.data:
            data["data"] = dict(self.data)
        return data


@dataclass(frozen=True)
class GraphSpec:
    """A validated graph. Node and edge order is kept as given (it is the drawing order)."""

    nodes: tuple[NodeSpec, ...]
    edges: tuple[EdgeSpec, ...]
    meta: Mapping[str, Any] = field(default_factory=dict)

    @cached_property
    def node_by_id(self) -> dict[str, NodeSpec]:
        return {node.id: node for node in self.nodes}

    @cached_property
    def incoming(self) -> dict[str, tuple[EdgeSpec, ...]]:
        return _group(self.nodes, self.edges, lambda edge: edge.target)

    @cached_property
    def outgoing(self) -> dict[str, tuple[EdgeSpec, ...]]:
        return _group(self.nodes, self.edges, lambda edge: edge.source)

    def node(self, node_id: str) -> NodeSpec:
        return self.node_by_id[node_id]

    def nodes_of_kind(self, kind: str) -> list[NodeSpec]:
        return [node for node in self.nodes if node.kind == kind]

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "spec": SPEC_VERSION,
            "nodes": [node.to_json() for node in self.nodes],
            "edges": [edge.to_json() for edge in self.edges],
        }
        if self.meta:
            data["meta"] = dict(self.meta)
        return data


def _group(
    nodes: Collection[NodeSpec], edges: Collection[EdgeSpec], key: Callable[[EdgeSpec], str]
) -> dict[str, tuple[EdgeSpec, ...]]:
    grouped: dict[str, list[EdgeSpec]] = {node.id: [] for node in nodes}
    for edge in edges:
        grouped[key(edge)].append(edge)
    return {node_id: tuple(group) for node_id, group in grouped.items()}
