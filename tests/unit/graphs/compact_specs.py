"""Writing graph specs compactly in tests."""

from __future__ import annotations

from typing import Any


def spec_json(nodes: list[tuple[str, str, dict[str, Any]]], edges: list[tuple]) -> dict[str, Any]:
    """Spec JSON from nodes as (id, kind, config) and edges as (source, target[, data])."""
    return {
        "spec": 1,
        "nodes": [{"id": i, "kind": k, "config": c} for i, k, c in nodes],
        "edges": [
            {"id": f"{e[0]}->{e[1]}", "source": e[0], "target": e[1], "data": (e[2:] or [{}])[0]}
            for e in edges
        ],
    }
