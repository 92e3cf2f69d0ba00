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


def router_edges(router: str, *targets: tuple[str, str]) -> list[tuple[str, str, dict[str, Any]]]:
    """The edges from ``router`` to each target given as (id, description), for ``spec_json``;
    each edge's token is its target's index."""
    return [
        (router, node, {"token": token, "description": description})
        for token, (node, description) in enumerate(targets)
    ]


def router_fan(
    router: dict[str, Any], targets: list[tuple[str, str, dict[str, Any], str]]
) -> dict[str, Any]:
    """Spec JSON for input ``q`` -> router ``r`` (config ``router``) -> each target -> output
    ``out``. A target is (id, kind, config, edge description); its edge's token is its index."""
    return spec_json(
        [("q", "input", {}), ("r", "router", router)]
        + [(node, kind, config) for node, kind, config, _ in targets]
        + [("out", "output", {})],
        [("q", "r")]
        + router_edges("r", *((node, description) for node, _, _, description in targets))
        + [(node, "out") for node, _, _, _ in targets],
    )
