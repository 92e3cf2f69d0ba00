"""Which router should pick which target for a dataset row: the row's ``route`` against a graph.

A row names its expected target by node id or label, for one router or several; this resolves it
against a graph version into ``{router node id: target node id}``, the form the ``route`` scorer
and the report's confusion matrices use.
"""

from __future__ import annotations

from collections.abc import Mapping

from graphs.spec import GraphSpec, NodeSpec


def resolve_expected_routes(
    route: str | Mapping[str, str] | None, spec: GraphSpec
) -> tuple[dict[str, str], list[str]]:
    """Resolve a row's ``route`` into ``({router id: expected target id}, problems)``.

    A plain string names a target by node id, or else by label (case-insensitive); it applies to
    every router that has such a node among its edges' targets, and is a problem ("route 'x' is
    not a target of any router (targets: ...)") when none has. A mapping's keys must be router
    ids and each value the id or label of one of that router's targets; every bad key or value is
    a problem. ``None`` gives ``({}, [])``. Problems never raise.
    """
    if route is None:
        return {}, []
    routers = spec.nodes_of_kind("router")
    if isinstance(route, str):
        resolved: dict[str, str] = {}
        for router in routers:
            target = _target(spec, router, route)
            if target is not None:
                resolved[router.id] = target
        if resolved:
            return resolved, []
        if not routers:
            return {}, [f"route '{route}' cannot be checked: the graph has no router"]
        targets = sorted({t for router in routers for t in _targets(spec, router)})
        return {}, [
            f"route '{route}' is not a target of any router (targets: {', '.join(targets)})"
        ]
    resolved = {}
    problems: list[str] = []
    by_id = {router.id: router for router in routers}
    for router_id, name in route.items():
        found = by_id.get(router_id)
        if found is None:
            known = ", ".join(sorted(by_id)) or "the graph has none"
            problems.append(f"route names '{router_id}', which is not a router (routers: {known})")
            continue
        target = _target(spec, found, name)
        if target is None:
            problems.append(
                f"route '{name}' is not a target of router '{router_id}' "
                f"(targets: {', '.join(_targets(spec, found))})"
            )
            continue
        resolved[router_id] = target
    return resolved, problems


def _targets(spec: GraphSpec, router: NodeSpec) -> list[str]:
    """The router's edge targets (node ids), in edge order, without repeats."""
    return list(dict.fromkeys(edge.target for edge in spec.outgoing.get(router.id, ())))


def _target(spec: GraphSpec, router: NodeSpec, name: str) -> str | None:
    """The id of the router's target named ``name``: by id first, then by label."""
    targets = _targets(spec, router)
    wanted = name.strip()
    if wanted in targets:
        return wanted
    folded = wanted.casefold()
    for target in targets:
        node = spec.node_by_id.get(target)
        if node is not None and node.label is not None and node.label.strip().casefold() == folded:
            return target
    return None
