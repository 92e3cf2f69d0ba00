"""Router templates: a small three-way router, and Octopus v4's 17 MMLU domains."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from graphs.templates.builder import DEFAULT_MODEL, SpecBuilder

BASIC_EXPERTS = (
    (
        "math",
        "Mathematics: arithmetic, algebra, calculus, statistics and word problems",
        "You are a careful mathematician. Solve the problem step by step.",
    ),
    (
        "code",
        "Programming: writing, explaining and debugging code",
        "You are an expert programmer. Answer with correct, idiomatic code and a short note.",
    ),
    (
        "writing",
        "Writing and general knowledge: essays, emails, summaries, facts about the world",
        "You are a skilled writer. Answer clearly and helpfully.",
    ),
)


def router_basic() -> dict[str, Any]:
    builder = SpecBuilder()
    builder.node("input", "input", label="Query")
    builder.node("router", "router", label="Router", model=DEFAULT_MODEL)
    builder.edge("input", "router")
    builder.node("output", "output", label="Answer")
    for token, (name, description, system) in enumerate(BASIC_EXPERTS):
        builder.node(name, "model", label=name.title(), model=DEFAULT_MODEL, system=system)
        builder.edge("router", name, token=token, description=description)
        builder.edge(name, "output")
    return builder.build(
        title="Router with three experts",
        description="A router sends each query to a math, code or writing expert.",
    )


def octopus_domains() -> list[dict[str, Any]]:
    """Octopus v4's 17 domains: ``token`` (``<nexa_k>``), ``domain``, ``mmlu_subjects``."""
    text = resources.files("graphs.templates").joinpath("data/octopus_v4_domains.json").read_text()
    domains: list[dict[str, Any]] = json.loads(text)["domains"]
    return domains


def domain_index(token: str) -> int:
    """``'<nexa_4>'`` -> 4."""
    return int(token.removeprefix("<nexa_").removesuffix(">"))


MMLU_ROUTER_ADAPTER = "router-mmlu17"
"""The trained 17-domain router shipped in ``workers/adapters/`` (built by
``python -m workers.routing.build_mmlu_router`` from MMLU's dev split)."""


def octopus_v4_mmlu() -> dict[str, Any]:
    """A functional-token router over 17 domain workers. As the paper did for domains without a
    specialist model, each worker is the same small model with a domain expert's system prompt."""
    builder = SpecBuilder()
    builder.node("input", "input", label="Query")
    builder.node(
        "router",
        "router",
        label="Master router",
        model=DEFAULT_MODEL,
        mode="functional-token",
        adapter=MMLU_ROUTER_ADAPTER,
    )
    builder.edge("input", "router")
    builder.node("output", "output", label="Answer")
    for domain in octopus_domains():
        name = domain["domain"]
        readable = name.replace("_", " ")
        subjects = ", ".join(domain["mmlu_subjects"])
        builder.node(
            name,
            "model",
            label=readable.title(),
            model=DEFAULT_MODEL,
            system=f"You are an expert in {readable} ({subjects}). Answer accurately.",
        )
        builder.edge(
            "router",
            name,
            token=domain_index(domain["token"]),
            description=f"{readable}: {subjects}",
        )
        builder.edge(name, "output")
    return builder.build(
        title="Octopus v4: 17 MMLU domains",
        description=(
            "A master router picks one of 17 domain experts for each question, as in the "
            "Octopus v4 graph of language models."
        ),
    )
