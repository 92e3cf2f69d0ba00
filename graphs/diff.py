"""Structural diff of two graph specs, for showing what changed between two saved versions.

``diff_specs`` works on spec JSON (as stored), not on validated ``GraphSpec`` objects, so it can
compare any two versions, including ones saved before a validation rule existed. Nodes and edges
are matched by id. The canvas highlights the result, so the shape is stable::

    {"nodes": {"added": [id, ...], "removed": [id, ...],
               "changed": [{"id": id, "fields": {"config.temperature": {"from": 0.2, "to": 0.7}}}],
               "moved": [{"id": id, "from": {"x": 0, "y": 0}, "to": {"x": 10, "y": 0}}]},
     "edges": {"added": [...], "removed": [...], "changed": [{"id": id, "fields": {...}}]},
     "meta": {"title": {"from": "Old", "to": "New"}}}

Field names are dotted paths into the element (``kind``, ``label``, ``config.system``,
``source``, ``data.token``); nested objects are compared key by key, lists as whole values. A
field that is absent on one side reads as ``None`` there. A node's ``position`` never appears in
``fields``: moving a node is reported under ``moved`` so that a purely visual edit does not read
as a change of behaviour. Ids appear in the order of the spec they come from (``removed`` in the
old spec's order, everything else in the new spec's order).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FieldChanges = dict[str, dict[str, Any]]

_NODE_IGNORED = frozenset({"id", "position"})
_EDGE_IGNORED = frozenset({"id"})


def diff_specs(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """Return what changed from ``old`` to ``new`` (shape in the module docstring).

    Never raises on malformed input: elements that are not objects with a string id are skipped,
    so a diff can always be shown.
    """
    old_nodes, new_nodes = _by_id(old.get("nodes")), _by_id(new.get("nodes"))
    old_edges, new_edges = _by_id(old.get("edges")), _by_id(new.get("edges"))
    nodes = _diff_elements(old_nodes, new_nodes, _NODE_IGNORED)
    nodes["moved"] = [
        {"id": node_id, "from": old_nodes[node_id].get("position"), "to": node.get("position")}
        for node_id, node in new_nodes.items()
        if node_id in old_nodes and old_nodes[node_id].get("position") != node.get("position")
    ]
    return {
        "nodes": nodes,
        "edges": _diff_elements(old_edges, new_edges, _EDGE_IGNORED),
        "meta": _field_changes(_as_mapping(old.get("meta")), _as_mapping(new.get("meta")), ""),
    }


def _diff_elements(
    old: Mapping[str, Mapping[str, Any]],
    new: Mapping[str, Mapping[str, Any]],
    ignored: frozenset[str],
) -> dict[str, Any]:
    changed = []
    for element_id, element in new.items():
        if element_id not in old:
            continue
        before = {k: v for k, v in old[element_id].items() if k not in ignored}
        after = {k: v for k, v in element.items() if k not in ignored}
        fields = _field_changes(before, after, "")
        if fields:
            changed.append({"id": element_id, "fields": fields})
    return {
        "added": [element_id for element_id in new if element_id not in old],
        "removed": [element_id for element_id in old if element_id not in new],
        "changed": changed,
    }


def _field_changes(old: Mapping[str, Any], new: Mapping[str, Any], prefix: str) -> FieldChanges:
    """Dotted path -> {"from", "to"} for every leaf that differs; recurses into nested objects."""
    changes: FieldChanges = {}
    for key in [*old, *(k for k in new if k not in old)]:
        before, after = old.get(key), new.get(key)
        path = f"{prefix}{key}"
        if isinstance(before, Mapping) and isinstance(after, Mapping):
            changes.update(_field_changes(before, after, f"{path}."))
        elif before != after:
            changes[path] = {"from": before, "to": after}
    return changes


def _by_id(elements: object) -> dict[str, Mapping[str, Any]]:
    if not isinstance(elements, list):
        return {}
    indexed: dict[str, Mapping[str, Any]] = {}
    for element in elements:
        if isinstance(element, Mapping) and isinstance(element.get("id"), str):
            # The first occurrence wins, as for validation's duplicate_id.
            indexed.setdefault(element["id"], element)
    return indexed


def _as_mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
