"""Mixture-of-Agents templates: layers of proposers, then one aggregator."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from graphs.templates.builder import DEFAULT_MODEL, SpecBuilder
from graphs.templates.options import TemplateOptionError

# Heterogeneous proposers help MoA most; with one small model we vary the instructions and the
# sampling temperature so the proposals differ.
PROPOSERS = (
    ("concise", "You are a precise expert. Answer accurately and concisely.", 0.3),
    ("thorough", "You are a thorough teacher. Explain your answer step by step.", 0.7),
    ("creative", "You are a creative thinker. Offer a fresh, well-reasoned perspective.", 1.0),
)


def mixture_of_agents(layers: int, *, max_tokens: int = 160) -> dict[str, Any]:
    """``layers - 1`` layers of the three proposers, each fed every answer of the layer before,
    then a greedy aggregator."""
    builder = SpecBuilder()
    builder.node("input", "input", label="Query")
    previous = ["input"]
    for layer in range(1, layers):
        current = []
        for name, system, temperature in PROPOSERS:
            node_id = f"l{layer}-{name}"
            builder.node(
                node_id,
                "model",
                label=f"Layer {layer}: {name}",
                model=DEFAULT_MODEL,
                system=system,
                temperature=temperature,
                max_tokens=max_tokens,
            )
            for source in previous:
                builder.edge(source, node_id)
            current.append(node_id)
        previous = current
    _aggregate(builder, previous, max_tokens=max_tokens * 2)
    return builder.build(
        title=f"Mixture-of-Agents, {layers} layers",
        description=(
            f"{_count(layers - 1)} of three proposers with different instructions and "
            "temperatures; an aggregator synthesizes their answers into one."
        ),
    )


def _aggregate(builder: SpecBuilder, sources: Sequence[str], *, max_tokens: int) -> None:
    """A greedy aggregator on ``DEFAULT_MODEL`` over ``sources``, feeding the output node."""
    builder.node(
        "aggregator",
        "model",
        label="Aggregator",
        model=DEFAULT_MODEL,
        temperature=0.0,
        max_tokens=max_tokens,
    )
    for source in sources:
        builder.edge(source, "aggregator")
    builder.node("output", "output", label="Answer")
    builder.edge("aggregator", "output")


def _count(layers: int) -> str:
    return "One layer" if layers == 1 else f"{layers} layers"


def moa_lite() -> dict[str, Any]:
    return mixture_of_agents(2)


def moa_3_layer() -> dict[str, Any]:
    return mixture_of_agents(3, max_tokens=128)


MIXED_SYSTEM = "You are an expert. Answer accurately and concisely."
MAX_MIXED_PROPOSERS = 8


def moa_mixed(
    proposers: Sequence[str] = (DEFAULT_MODEL,), *, max_tokens: int = 160
) -> dict[str, Any]:
    """Heterogeneous Mixture-of-Agents: one proposer per model key in ``proposers`` (distinct,
    1 to ``MAX_MIXED_PROPOSERS``, in order), each answering the query with the same
    instructions, then a greedy aggregator on the built-in ``DEFAULT_MODEL``. Whether the keys
    exist is the caller's concern (a team's catalog). Raises ``TemplateOptionError``
    (``proposers``) for an empty, too long or repeating list."""
    keys = list(proposers)
    if not 1 <= len(keys) <= MAX_MIXED_PROPOSERS:
        raise TemplateOptionError(
            f"choose 1 to {MAX_MIXED_PROPOSERS} proposer models (got {len(keys)})",
            option="proposers",
        )
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise TemplateOptionError(
            f"each proposer must be a different model; repeated: {', '.join(repeated)}",
            option="proposers",
        )
    builder = SpecBuilder()
    builder.node("input", "input", label="Query")
    nodes = []
    for index, key in enumerate(keys, start=1):
        node_id = f"p{index}-{_slug(key)}"
        builder.node(
            node_id,
            "model",
            label=f"Proposer: {key}",
            model=key,
            system=MIXED_SYSTEM,
            temperature=0.7,
            max_tokens=max_tokens,
        )
        builder.edge("input", node_id)
        nodes.append(node_id)
    _aggregate(builder, nodes, max_tokens=max_tokens * 2)
    return builder.build(
        title="Mixture-of-Agents, mixed models",
        description=(
            "Different models propose answers to the same query (the built-in model and your "
            "team's registered endpoints); an aggregator synthesizes them into one."
        ),
    )


def _slug(key: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")[:40] or "model"
