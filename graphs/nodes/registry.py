"""The one registry of node kinds: adding a kind is one module and one line here.

Kinds defined outside ``graphs/nodes/`` (a deployment's own, or a test's) are added with
``register_kinds_from``, which the web app calls at start-up with the modules named in
``OCTOGRAPH_EXTRA_NODE_KINDS``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from graphs.nodes import clip, input, model, output, router, tool
from graphs.nodes.base import NodeKind

NODE_KINDS: dict[str, NodeKind] = {
    kind.name: kind
    for kind in (input.KIND, clip.KIND, router.KIND, model.KIND, tool.KIND, output.KIND)
}


def register_kinds_from(module_names: Iterable[str]) -> None:
    """Import each named module and add the ``NodeKind`` values of its ``KINDS`` sequence to
    ``NODE_KINDS``, after the built-in kinds, in order.

    Raises ``ImportError`` for a module that cannot be imported, ``AttributeError`` for one
    without ``KINDS``, and ``ValueError`` for a kind whose name is taken by another kind
    (registering the very same kind again is a no-op, so a second call is harmless).
    """
    for module_name in module_names:
        for kind in importlib.import_module(module_name).KINDS:
            known = NODE_KINDS.get(kind.name)
            if known is not None and known is not kind:
                raise ValueError(f"{module_name}: node kind {kind.name!r} is already registered")
            NODE_KINDS[kind.name] = kind
