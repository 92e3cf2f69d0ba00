"""The one registry of node kinds: adding a kind is one module and one line here."""

from __future__ import annotations

from graphs.nodes import input, model, output, router
from graphs.nodes.base import NodeKind

NODE_KINDS: dict[str, NodeKind] = {
    kind.name: kind for kind in (input.KIND, router.KIND, model.KIND, output.KIND)
}


def get_kind(name: str) -> NodeKind:
    """The kind called ``name``; raises ``KeyError`` for unknown names."""
    return NODE_KINDS[name]
