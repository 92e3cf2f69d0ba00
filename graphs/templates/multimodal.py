"""Octopus v3's multimodal agent as a graph: an image and a question, CLIP, a router over
workers and tools, an answer."""

from __future__ import annotations

from typing import Any

from graphs.templates.builder import DEFAULT_MODEL, SpecBuilder

DEFAULT_CLIP_MODEL = "clip-vit-b-32"
"""The catalog's built-in CLIP entry (OpenAI ViT-B/32 from the hub: online or a warm cache)."""

SEEN_LABELS = (
    "a plastic bottle",
    "a cardboard box",
    "a food can",
    "a pair of shoes",
    "a handbag",
    "a shop receipt",
    "a calendar page",
    "a train ticket",
)

WORKERS = (
    (
        "recycle",
        "Recycling: a bottle, can, box or other waste to sort into the right bin",
        "You advise on recycling. From what the image shows and the question, say which bin the "
        "object goes in and how to prepare it (rinse, flatten), in two sentences.",
    ),
    (
        "shop",
        "Shopping: a product such as shoes or a bag to find, compare or buy",
        "You are a shopping assistant. From what the image shows and the question, name the "
        "product and what to compare before buying it, in three short points.",
    ),
)

TOOLS = (
    (
        "total",
        "calculator",
        "Receipts and sums: a shop receipt or a bill whose amounts to add up",
        "Write ONLY the arithmetic expression that answers the question (for example "
        "12.50 + 3.20 * 2), with no words.",
    ),
    (
        "day",
        "weekday",
        "Dates: a calendar page or a ticket with a date whose weekday to tell",
        "Write ONLY the date the question is about, as YYYY-MM-DD, with no words.",
    ),
)


def octopus_v3_agent() -> dict[str, Any]:
    """Image + question -> CLIP -> router (text and image, half each) -> a worker, or a model
    that writes a tool's argument then the tool -> answer."""
    builder = SpecBuilder()
    builder.node("input", "input", label="Photo + question")
    builder.node(
        "see",
        "clip",
        label="CLIP",
        model=DEFAULT_CLIP_MODEL,
        labels=list(SEEN_LABELS),
        top_k=3,
    )
    builder.edge("input", "see")
    builder.node(
        "router",
        "router",
        label="Action router",
        model=DEFAULT_MODEL,
        mode="in-context",
        image_model=DEFAULT_CLIP_MODEL,
        image_weight=0.5,
    )
    builder.edge("see", "router")
    builder.node("output", "output", label="Answer")
    token = 0
    for name, description, system in WORKERS:
        builder.node(name, "model", label=name.title(), model=DEFAULT_MODEL, system=system)
        builder.edge("router", name, token=token, description=description)
        builder.edge(name, "output")
        token += 1
    for name, function, description, system in TOOLS:
        writer = f"{name}-args"
        builder.node(
            writer,
            "model",
            label=f"{function} arguments",
            model=DEFAULT_MODEL,
            system=system,
            temperature=0,
            max_tokens=48,
        )
        builder.edge("router", writer, token=token, description=description)
        builder.node(name, "tool", label=function, function=function)
        builder.edge(writer, name)
        builder.edge(name, "output")
        token += 1
    return builder.build(
        title="Octopus v3 agent (image + text)",
        description=(
            "CLIP describes the photo, a router weighs the question and the photo to pick "
            "recycling or shopping advice, a receipt total (calculator) or a date's weekday."
        ),
    )
