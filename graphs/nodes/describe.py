"""What the editor learns about each node kind, as JSON (served at ``GET /api/node-kinds/``).

The editor builds its palette, new nodes, connection checks, node summaries and generated
inspector forms from this alone, so no fact about a kind is written twice.
"""

from __future__ import annotations

from typing import Any

from graphs.nodes.base import NodeKind
from graphs.nodes.json_schema import config_defaults, config_schema
from graphs.nodes.registry import NODE_KINDS


def describe_kind(kind: NodeKind) -> dict[str, Any]:
    """One kind: ``name``, ``summary``, ``hosted``; ``ports`` (``min_inputs``, ``max_inputs``:
    null for no limit, ``outputs``: whether it may have outgoing edges); ``defaults`` (what the
    server applies to an absent key); ``new_config``, ``facts`` (see ``NodeKind``); and
    ``config_schema``, the JSON Schema of its config (``graphs.nodes.json_schema``)."""
    return {
        "name": kind.name,
        "summary": kind.summary,
        "hosted": kind.hosted,
        "ports": {
            "min_inputs": kind.min_inputs,
            "max_inputs": kind.max_inputs,
            "outputs": kind.allows_outputs,
        },
        "defaults": config_defaults(kind.config_type),
        "new_config": dict(kind.new_config),
        "facts": dict(kind.facts),
        "config_schema": config_schema(kind.config_type),
    }


def describe_kinds() -> list[dict[str, Any]]:
    """Every registered kind, in registry order (the palette's order)."""
    return [describe_kind(kind) for kind in NODE_KINDS.values()]


if __name__ == "__main__":
    # Writes the editor's test fixture (frontend/src/graph/fixtures/nodeKinds.json).
    import json

    print(json.dumps(describe_kinds(), indent=2, ensure_ascii=False))
