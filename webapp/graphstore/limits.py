"""How big a graph spec may be: nodes, edges, bytes and nesting depth.

Every spec that enters the graph store (created, saved as a version, imported, forked, restored,
made from a template) is measured here *before* anything walks it recursively or validates it,
so the work a hostile spec can cause is bounded by these limits and not by its size: counts are
read in constant time, and the one walk over the data (``check_spec_limits``) is iterative and
stops as soon as a limit is passed.

The limits are the Django setting ``OCTOGRAPH_GRAPH_LIMITS`` (``webapp.settings``); the defaults
leave ample room above the largest template (20 nodes, 35 edges, 9 KB, 5 levels deep).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from webapp.errors import Invalid


@dataclass(frozen=True)
class GraphLimits:
    """The most a spec may hold. ``spec_bytes`` is measured as compact UTF-8 JSON (the stored
    form); ``depth`` counts nested objects and lists, the spec object itself being level 1
    (``{"nodes": [{"config": {}}]}`` is 4 levels deep)."""

    nodes: int = 2_000
    edges: int = 10_000
    spec_bytes: int = 2_000_000
    depth: int = 32

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ImproperlyConfigured(
                    f"OCTOGRAPH_GRAPH_LIMITS[{field.name!r}] must be a positive integer, "
                    f"got {value!r}"
                )

    @property
    def body_bytes(self) -> int:
        """The largest request body that may carry a spec: twice ``spec_bytes`` (indentation,
        ``\\u`` escapes) plus room for the other fields."""
        return 2 * self.spec_bytes + 64 * 1024


def graph_limits() -> GraphLimits:
    """The limits in force (``settings.OCTOGRAPH_GRAPH_LIMITS``, read at each call so that tests
    and operators can change them). Raises ``ImproperlyConfigured`` for an unknown key or a value
    that is not a positive integer."""
    configured: dict[str, Any] = dict(getattr(settings, "OCTOGRAPH_GRAPH_LIMITS", {}))
    known = {field.name for field in fields(GraphLimits)}
    unknown = set(configured) - known
    if unknown:
        raise ImproperlyConfigured(
            f"OCTOGRAPH_GRAPH_LIMITS has unknown keys {sorted(unknown)} (known: {sorted(known)})"
        )
    return GraphLimits(**configured)


class SpecBodyLimit:
    """Mixin of API views whose requests carry a spec: bodies over ``GraphLimits.body_bytes``
    answer 413 before they are read (``webapp.api.parsers``), instead of the far larger
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` that run requests need for base64 images."""

    @property
    def max_body_bytes(self) -> int:
        return graph_limits().body_bytes


class GraphTooLarge(Invalid):
    """The spec passes one of the limits (HTTP 400). ``code`` names the limit:
    ``too_many_nodes``, ``too_many_edges``, ``spec_too_large`` or ``spec_too_deep``; the body
    carries ``field``, ``limit`` and ``actual``. A spec far over ``spec_bytes`` is not read to its
    end: ``actual`` is then what was counted so far (the message says "more than")."""

    def __init__(self, code: str, message: str, *, field: str, limit: int, actual: int) -> None:
        super().__init__(message, code=code, field=field, limit=limit, actual=actual)


def check_spec_limits(spec: object, limits: GraphLimits) -> None:
    """Raise ``GraphTooLarge`` for the first limit ``spec`` passes; return None if it is within
    all of them. ``spec`` may be any JSON value (what is not a spec is for ``graphs.check`` to
    report). Never recurses; time is linear in the part of ``spec`` read before a limit is
    passed, so at most about ``limits.spec_bytes`` values are visited."""
    if isinstance(spec, dict):
        for name, limit, code in (
            ("nodes", limits.nodes, "too_many_nodes"),
            ("edges", limits.edges, "too_many_edges"),
        ):
            items = spec.get(name)
            if isinstance(items, list) and len(items) > limit:
                raise GraphTooLarge(
                    code,
                    f"the graph has {len(items):,} {name}; the limit is {limit:,}",
                    field=f"spec.{name}",
                    limit=limit,
                    actual=len(items),
                )
    depth, size, complete = _measure(spec, max_bytes=limits.spec_bytes)
    more = "" if complete else "more than "
    if depth > limits.depth:
        raise GraphTooLarge(
            "spec_too_deep",
            f"the spec is nested {more}{depth:,} levels deep; the limit is {limits.depth} "
            "levels of objects and lists",
            field="spec",
            limit=limits.depth,
            actual=depth,
        )
    if complete:
        # The walk's count leaves out string escapes and counts each number as one byte;
        # within the limit by that count (and no deeper than ``limits.depth``), the exact size
        # is cheap to take.
        size = _exact_size(spec, size)
    if size > limits.spec_bytes:
        raise GraphTooLarge(
            "spec_too_large",
            f"the spec is {more}{size:,} bytes as compact JSON; the limit is {limits.spec_bytes:,}",
            field="spec",
            limit=limits.spec_bytes,
            actual=size,
        )


def _measure(value: object, *, max_bytes: int) -> tuple[int, int, bool]:
    """``(depth, size, complete)`` of JSON ``value``, read iteratively, stopping once ``size``
    passes ``max_bytes`` (``complete`` is then False, and both are lower bounds). ``size`` is a
    lower bound of the compact UTF-8 JSON's length: exact for structure, keys and unescaped
    strings; one byte per number. Each container adds its length to ``size`` before its items
    are read, so at most about ``max_bytes`` items are read in all."""
    deepest, size = 0, 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack and size <= max_bytes:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
            # Braces, then per member: quotes around the key, a colon and a comma (one too many).
            size += 2 + 4 * len(item) - (1 if item else 0)
            if size <= max_bytes:
                size += sum(len(str(key).encode("utf-8", "surrogatepass")) for key in item)
        elif isinstance(item, list | tuple):
            children = item
            size += 2 + max(len(item) - 1, 0)
        else:
            size += _scalar_size(item)
            continue
        deepest = max(deepest, depth)
        if size > max_bytes:
            break
        for child in children:
            if isinstance(child, dict | list | tuple):
                stack.append((child, depth + 1))
            else:
                size += _scalar_size(child)
    return deepest, size, not stack and size <= max_bytes


def _exact_size(spec: object, lower_bound: int) -> int:
    """The length of ``spec`` as compact UTF-8 JSON; ``lower_bound`` for values that JSON cannot
    encode (Python callers' sets, say), which validation reports."""
    try:
        text = json.dumps(spec, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return lower_bound
    return len(text.encode("utf-8", "surrogatepass"))


def _scalar_size(value: object) -> int:
    if isinstance(value, str):
        return len(value.encode("utf-8", "surrogatepass")) + 2
    if value is None or value is True:
        return 4
    if value is False:
        return 5
    return 1  # a number: at least one digit
