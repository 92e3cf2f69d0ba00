"""The one registry of node kinds: adding a kind is one module and one line here."""

from __future__ import annotations

from graphs.nodes import clip, input, model, output, router, tool
from graphs.nodes.base import NodeKind

NODE_KINDS: dict[str, NodeKind] = {
    kind.name: kind
    for kind in (input.KIND, clip.KIND, router.KIND, model.KIND, tool.KIND, output.KIND)
}
