"""The tool-fan graph that the soak benchmark runs and the inline-node tests measure: one home, so
both exercise the same shape (``python bench/<name>.py`` imports it as ``fan_spec``, the tests as
``bench.fan_spec``)."""

from __future__ import annotations

from typing import Any


def tool_fan(width: int) -> dict[str, Any]:
    """``input -> width calculators -> output``: ``width + 2`` nodes, every calculator computing
    the run's input."""
    nodes: list[dict[str, Any]] = [{"id": "q", "kind": "input"}]
    edges = []
    for index in range(width):
        nodes.append({"id": f"c{index}", "kind": "tool", "config": {"function": "calculator"}})
        edges.append({"id": f"i{index}", "source": "q", "target": f"c{index}"})
        edges.append({"id": f"o{index}", "source": f"c{index}", "target": "out"})
    nodes.append({"id": "out", "kind": "output"})
    return {"spec": 1, "nodes": nodes, "edges": edges}
