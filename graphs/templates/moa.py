"""Mixture-of-Agents templates: layers of proposers, then one aggregator."""

from __future__ import annotations

from typing import Any

from graphs.templates.builder import DEFAULT_MODEL, SpecBuilder

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
    builder.node(
        "aggregator",
        "model",
        label="Aggregator",
        model=DEFAULT_MODEL,
        temperature=0.0,
        max_tokens=max_tokens * 2,
    )
    for source in previous:
        builder.edge(source, "aggregator")
    builder.node("output", "output", label="Answer")
    builder.edge("aggregator", "output")
    return builder.build(
        title=f"Mixture-of-Agents, {layers} layers",
        description=(
            f"{_count(layers - 1)} of three proposers with different instructions and "
            "temperatures; an aggregator synthesizes their answers into one."
        ),
    )


def _count(layers: int) -> str:
    return "One layer" if layers == 1 else f"{layers} layers"


def moa_lite() -> dict[str, Any]:
    return mixture_of_agents(2)


def moa_3_layer() -> dict[str, Any]:
    return mixture_of_agents(3, max_tokens=128)
