"""A small helper for writing graph specs in Python, laid out left to right by depth."""

from __future__ import annotations

from typing import Any

DEFAULT_MODEL = "smollm2-135m-instruct"
COLUMN_WIDTH = 280
ROW_HEIGHT = 140


class SpecBuilder:
    """Collects nodes and edges; ``build()`` returns spec JSON with positions filled in."""

    def __init__(self) -> None:
        self._nodes: list[dict[str, Any]] = []
        self._edges: list[dict[str, Any]] = []
        self._depth: dict[str, int] = {}

    def node(self, node_id: str, kind: str, label: str | None = None, **config: Any) -> str:
        node: dict[str, Any] = {"id": node_id, "kind": kind, "config": config}
        if label is not None:
            node["label"] = label
        self._nodes.append(node)
        self._depth[node_id] = 0
        return node_id

    def edge(self, source: str, target: str, **data: Any) -> None:
        edge: dict[str, Any] = {"id": f"{source}->{target}", "source": source, "target": target}
        if data:
            edge["data"] = data
        self._edges.append(edge)
        # Nodes are added before their successors in every template, so one pass suffices.
        self._depth[target] = max(self._depth[target], self._depth[source] + 1)

    def build(self, **meta: Any) -> dict[str, Any]:
        rows: dict[int, int] = {}
        for node in self._nodes:
            depth = self._depth[node["id"]]
            row = rows.get(depth, 0)
            rows[depth] = row + 1
            node["position"] = {"x": depth * COLUMN_WIDTH, "y": row * ROW_HEIGHT}
        for node in self._nodes:  # centre each column vertically
            depth = self._depth[node["id"]]
            node["position"]["y"] -= (rows[depth] - 1) * ROW_HEIGHT / 2
        return {"spec": 1, "meta": meta, "nodes": self._nodes, "edges": self._edges}
