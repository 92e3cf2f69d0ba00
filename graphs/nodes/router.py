"""``router``: picks exactly one outgoing edge for the query (Octopus v4's master model).

Each outgoing edge carries a functional-token index ``token`` and a ``description`` of the node it
leads to. The decision is emitted as a ``router.decision`` event with a probability for every
candidate, read off the model's scores, and only the chosen edge stays active.

Modes: ``in-context`` lists every candidate's description in the prompt and reads the probability
of each candidate's letter at the first answer position (one forward pass).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from graphs.nodes.base import NodeContext, NodeKind, NodeResult
from graphs.nodes.execution import ExecutionSettings, require_text
from graphs.prompts import ROUTER_LABELS, router_messages
from graphs.runtime import ScoreRequest
from graphs.spec import EdgeSpec

RoutingMode = Literal["in-context"]


@dataclass(frozen=True, kw_only=True)
class RouterConfig(ExecutionSettings):
    """``model`` (catalog key) scores the candidates, optionally through ``adapter``."""

    model: str
    adapter: str | None = None
    mode: RoutingMode = "in-context"

    def __post_init__(self) -> None:
        super().__post_init__()
        require_text("model", self.model)


def candidates(context: NodeContext) -> list[EdgeSpec]:
    """The outgoing edges in functional-token order (validation guarantees distinct tokens)."""
    return sorted(context.outgoing, key=lambda edge: (edge.token is None, edge.token or 0))


def decision_event(
    context: NodeContext,
    edges: Sequence[EdgeSpec],
    probabilities: Sequence[float],
    query: str,
) -> tuple[EdgeSpec, dict[str, object]]:
    """The chosen edge (highest probability; ties go to the lower token) and the event data."""
    best = max(range(len(edges)), key=lambda i: (probabilities[i], -i))
    chosen = edges[best]
    data: dict[str, object] = {
        "mode": context.config.mode,
        "edge": chosen.id,
        "target": chosen.target,
        "token": chosen.token,
        "query": query,
        "scores": {edge.target: round(p, 6) for edge, p in zip(edges, probabilities, strict=True)},
        "candidates": [
            {
                "edge": edge.id,
                "target": edge.target,
                "token": edge.token,
                "description": edge.description,
                "probability": round(p, 6),
            }
            for edge, p in zip(edges, probabilities, strict=True)
        ],
    }
    return chosen, data


async def execute_router(context: NodeContext) -> NodeResult:
    config: RouterConfig = context.config
    edges = candidates(context)
    query = context.incoming_text()
    messages = router_messages(query, [edge.description for edge in edges])
    probabilities = await context.client.score(
        ScoreRequest(
            model=config.model,
            messages=messages,
            candidates=ROUTER_LABELS[: len(edges)],
            adapter=config.adapter,
        )
    )
    chosen, data = decision_event(context, edges, probabilities, query)
    context.emit("router.decision", data)
    return NodeResult(text=query, query=query, route=chosen.id, data={"target": chosen.target})


KIND = NodeKind(
    name="router",
    summary="Sends the query down exactly one outgoing edge (functional-token routing).",
    config_type=RouterConfig,
    execute=execute_router,
    hosted=True,
    models=lambda config: (config.model,),
)
