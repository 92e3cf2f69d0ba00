"""``router``: picks exactly one outgoing edge for the query (Octopus v4's master model).

Each outgoing edge carries a functional-token index ``token`` and a ``description`` of the node it
leads to. The decision is emitted as a ``router.decision`` event with a probability for every
candidate, read off the model's scores, and only the chosen edge stays active.

Modes (``mode`` in the config):

- ``functional-token`` (Octopus v2/v4): a trained router ``adapter`` reads only the query; the
  probabilities of the candidates' functional tokens ``<nexa_k>`` at the first generated position
  (one forward pass) are the decision. Then the adapter writes the reformatted query after the
  chosen token (streamed as ``node.delta``; ``rewrite_tokens: 0`` forwards the query unchanged),
  parsed by ``graphs.functional_tokens.parse_call`` and sent to the chosen worker. The
  ``router.decision`` event follows the rewrite, so that its ``query`` is the reformatted one.
  A routing-only run (``RunInput.routing_only``: an evaluation of the decisions) skips the rewrite.
- ``in-context``: every candidate's description is listed in the prompt and the probability of
  each candidate's letter at the first answer position is read (one forward pass, long prompt).
- ``embedding``: cosine similarity of the query to each edge's description and ``examples``
  (sentence embeddings); probabilities are a softmax of similarities / ``EMBEDDING_TEMPERATURE``.

Image-aware routing (Octopus v3): with ``image_weight`` > 0 the router also scores its edges by
CLIP (``image_model``): the zero-shot probabilities of the run's image against each edge's
``description``. The decision is ``(1 - image_weight) * text + image_weight * image``;
``image_weight: 1`` routes by the image alone (no text decision is computed). A run without an
image is routed by the text alone when ``image_weight`` < 1, and fails the node when it is 1.
The ``router.decision`` event then carries ``image_weight``, the ``image`` summary, and per
candidate ``text_probability`` and ``image_probability`` next to the combined ``probability``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from graphs.clip import MissingImageError, run_image, zero_shot
from graphs.functional_tokens import CALL_ARGUMENTS, call_arguments, parse_call, token_name
from graphs.nodes.attempt_config import ExecutionSettings, require_text
from graphs.nodes.base import (
    EmitEvent,
    NodeContext,
    NodeKind,
    NodeResult,
    RunInput,
    Upstream,
)
from graphs.nodes.generation import GenerationStats, emit_request, stream
from graphs.problems import ConfigError, Problem
from graphs.prompts import ROUTER_LABELS, functional_token_messages, router_messages
from graphs.runtime import (
    ClipRequest,
    GenerateRequest,
    GenerationParams,
    ModelClient,
    RouteRequest,
    ScoreRequest,
    SimilarityRequest,
)
from graphs.spec import EdgeSpec, GraphSpec, NodeSpec

RoutingMode = Literal["in-context", "functional-token", "embedding"]

EMBEDDING_TEMPERATURE = 0.05
"""Cosine similarities differ by a few hundredths between close candidates; dividing by this
before the softmax makes the scores read as a confident-or-not distribution."""


@dataclass(frozen=True, kw_only=True)
class RouterConfig(ExecutionSettings):
    """``model`` (catalog key) routes, through ``adapter`` if set (required, and trained with
    ``octograph train-router``, in ``functional-token`` mode). In ``embedding`` mode ``model``
    still names the queue the node runs on, but the decision comes from sentence embeddings.
    ``rewrite_tokens`` caps the reformatted query (functional-token mode; 0: no rewrite).
    ``image_model`` (a CLIP catalog key) and ``image_weight`` (0 to 1, 0: text only, 1: image
    only) make the decision image-aware."""

    model: str
    adapter: str | None = None
    mode: RoutingMode = "in-context"
    rewrite_tokens: int = 192
    image_model: str | None = None
    image_weight: float = 0.0

    def __post_init__(self) -> None:
        super().__post_init__()
        require_text("model", self.model)
        if not 0 <= self.image_weight <= 1:
            raise ConfigError("image_weight", "must be between 0 and 1")
        if self.image_weight > 0 and not (self.image_model or "").strip():
            raise ConfigError(
                "image_model", "image-aware routing (image_weight > 0) needs a CLIP model"
            )
        if self.mode == "functional-token" and not (self.adapter or "").strip():
            raise ConfigError(
                "adapter",
                "functional-token routing needs a trained router adapter "
                "(octograph train-router GRAPH --router NODE)",
            )
        if self.rewrite_tokens < 0:
            raise ConfigError("rewrite_tokens", "must be >= 0")


def validate_router(spec: GraphSpec, router: NodeSpec) -> list[Problem]:
    """The router's outgoing edges: at least one; each with a distinct functional-token index
    (``router_token_missing``, ``router_token_duplicate``) and a description
    (``router_description_missing``); at most ``len(ROUTER_LABELS)`` in in-context mode
    (``too_many_candidates``)."""
    edges = spec.outgoing[router.id]
    if not edges:
        return [Problem("router_no_edges", "a router needs outgoing edges", node=router.id)]
    problems = []
    mode = router.config.mode if router.config is not None else None
    if len(edges) > len(ROUTER_LABELS) and mode == "in-context":
        problems.append(
            Problem(
                "too_many_candidates",
                f"in-context routing chooses among at most {len(ROUTER_LABELS)} edges",
                node=router.id,
                field="config.mode",
            )
        )
    counts = Counter(edge.token for edge in edges if edge.token is not None)
    for edge in edges:
        problems += _edge_problems(edge, router, counts)
    return problems


def _edge_problems(edge: EdgeSpec, router: NodeSpec, token_counts: Counter[int]) -> list[Problem]:
    problems = []
    if edge.token is None or edge.token < 0:
        problems.append(
            Problem(
                "router_token_missing",
                "a router edge needs a functional-token index (an integer >= 0)",
                edge=edge.id,
                field="data.token",
            )
        )
    elif token_counts[edge.token] > 1:
        problems.append(
            Problem(
                "router_token_duplicate",
                f"token {edge.token} is used by another edge of router '{router.id}'",
                edge=edge.id,
                field="data.token",
            )
        )
    if not edge.description.strip():
        problems.append(
            Problem(
                "router_description_missing",
                "a router edge needs a description of where it leads",
                edge=edge.id,
                field="data.description",
            )
        )
    return problems


def candidates(context: NodeContext) -> list[EdgeSpec]:
    """The outgoing edges in functional-token order (validation guarantees distinct tokens)."""
    return sorted(context.outgoing, key=lambda edge: (edge.token is None, edge.token or 0))


def best_index(probabilities: Sequence[float]) -> int:
    """The most probable candidate; ties go to the first (the lower token)."""
    return max(range(len(probabilities)), key=lambda i: (probabilities[i], -i))


def decision_event(
    context: NodeContext,
    edges: Sequence[EdgeSpec],
    probabilities: Sequence[float],
    query: str,
    details: Sequence[Mapping[str, object]] = (),
) -> tuple[EdgeSpec, dict[str, object]]:
    """The chosen edge (``best_index``) and the event data; ``details`` (one per edge, if given)
    are added to the edges' candidate entries."""
    chosen = edges[best_index(probabilities)]
    extra: Sequence[Mapping[str, object]] = details or [{} for _ in edges]
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
                **more,
            }
            for edge, p, more in zip(edges, probabilities, extra, strict=True)
        ],
    }
    return chosen, data


def edge_texts(edge: EdgeSpec) -> list[str]:
    """What embedding routing compares the query with: the description, then ``examples``."""
    raw = edge.data.get("examples", ())
    examples = [str(q) for q in raw if str(q).strip()] if isinstance(raw, list | tuple) else []
    return [edge.description, *examples]


def softmax(values: Sequence[float], temperature: float = 1.0) -> list[float]:
    top = max(values)
    weights = [math.exp((v - top) / temperature) for v in values]
    total = sum(weights)
    return [w / total for w in weights]


async def decide(context: NodeContext, edges: Sequence[EdgeSpec], query: str) -> list[float]:
    """One probability per edge of ``edges``, by the node's mode; the call is recorded first
    (``node.request``)."""
    config: RouterConfig = context.config
    if config.mode == "functional-token":
        assert config.adapter is not None  # RouterConfig guarantees it
        # Validation guarantees every router edge a token, so this keeps one per edge.
        tokens = [edge.token for edge in edges if edge.token is not None]
        route = RouteRequest(model=config.model, adapter=config.adapter, query=query, tokens=tokens)
        emit_request(context, route)
        return await context.client.route(route)
    if config.mode == "embedding":
        similarity = SimilarityRequest(query=query, candidates=[edge_texts(edge) for edge in edges])
        emit_request(context, similarity)
        return softmax(await context.client.similarity(similarity), EMBEDDING_TEMPERATURE)
    score = ScoreRequest(
        model=config.model,
        messages=router_messages(query, [edge.description for edge in edges]),
        candidates=ROUTER_LABELS[: len(edges)],
        adapter=config.adapter,
    )
    emit_request(context, score)
    return await context.client.score(score)


async def rewrite(context: NodeContext, token: int, query: str) -> tuple[str, str, GenerationStats]:
    """The chosen worker's query as the router adapter writes it after ``<nexa_token>`` (the
    prefix forces the decision already made), streamed as ``node.delta`` events, the call's
    argument list as written (``call_arguments``: what a ``tool`` node binds) and the
    generation's stats. Raises ``BackendError`` on a failed generation."""
    config: RouterConfig = context.config
    request = GenerateRequest(
        model=config.model,
        messages=functional_token_messages(query),
        params=GenerationParams(temperature=0, max_tokens=config.rewrite_tokens),
        adapter=config.adapter,
        prefix=token_name(token),
    )
    answer, stats = await stream(context, request)
    return parse_call(answer, fallback_query=query).query, call_arguments(answer), stats


@dataclass(frozen=True)
class ImageScores:
    """The image part of an image-aware decision: CLIP's zero-shot probability of the run's
    image per edge description, and the image's summary for the event."""

    probabilities: list[float]
    image: dict[str, Any]


async def image_scores(context: NodeContext, edges: Sequence[EdgeSpec]) -> ImageScores | None:
    """CLIP's probabilities of the run's image over the edges' descriptions; None when the
    router is not image-aware, or when it combines with text and the run has no image."""
    config: RouterConfig = context.config
    if config.image_weight == 0:
        return None
    assert config.image_model is not None  # RouterConfig guarantees it
    try:
        image = run_image(context.run_input.images, 0, "router (image_weight 1)")
    except MissingImageError:
        if config.image_weight < 1:
            return None
        raise
    result = await context.client.clip(
        ClipRequest(
            model=config.image_model, image=image, texts=[edge.description for edge in edges]
        )
    )
    return ImageScores(zero_shot(result), image.summary())


def combine(
    text: Sequence[float] | None, image: Sequence[float] | None, image_weight: float
) -> list[float]:
    """``(1 - image_weight) * text + image_weight * image``; one part alone when the other is
    missing (at least one must be given)."""
    if image is None:
        assert text is not None
        return list(text)
    if text is None:
        return list(image)
    return [(1 - image_weight) * t + image_weight * i for t, i in zip(text, image, strict=True)]


def image_details(
    edges: Sequence[EdgeSpec], text: Sequence[float] | None, image: ImageScores | None
) -> list[dict[str, object]]:
    """Per edge, the parts of an image-aware decision (null: that part was not computed)."""
    return [
        {
            "text_probability": round(text[i], 6) if text is not None else None,
            "image_probability": round(image.probabilities[i], 6) if image is not None else None,
        }
        for i in range(len(edges))
    ]


async def execute_router(context: NodeContext) -> NodeResult:
    """Decide (one ``node.request`` per model call), rewrite in functional-token mode (its token
    counts and ``GenerationStats`` join ``node.completed``), then emit ``router.decision``."""
    config: RouterConfig = context.config
    edges = candidates(context)
    query = context.incoming_text()
    image = await image_scores(context, edges)
    routes_by_image_only = image is not None and config.image_weight == 1
    text = None if routes_by_image_only else await decide(context, edges, query)
    probabilities = combine(text, image.probabilities if image else None, config.image_weight)
    forwarded = query
    result_data: dict[str, object] = {}
    stats: GenerationStats | None = None
    chosen_token = edges[best_index(probabilities)].token
    rewrites = config.rewrite_tokens and not context.run_input.routing_only
    if config.mode == "functional-token" and rewrites and chosen_token is not None:
        forwarded, result_data[CALL_ARGUMENTS], stats = await rewrite(context, chosen_token, query)
        result_data.update(stats.to_json())
    image_aware = config.image_weight > 0
    details = image_details(edges, text, image) if image_aware else ()
    chosen, data = decision_event(context, edges, probabilities, forwarded, details)
    if image_aware:
        data["image_weight"] = config.image_weight if image is not None else 0.0
        data["image"] = image.image if image is not None else None
    context.emit("router.decision", data)
    return NodeResult(
        text=forwarded,
        query=forwarded,
        route=chosen.id,
        tokens_in=stats.tokens_in if stats else 0,
        tokens_out=stats.tokens_out if stats else 0,
        data={"target": chosen.target, **result_data},
    )


KIND = NodeKind(
    name="router",
    summary="Sends the query down exactly one outgoing edge (functional-token routing).",
    config_type=RouterConfig,
    execute=execute_router,
    hosted=True,
    models=lambda config: (config.model, *([config.image_model] if config.image_weight else [])),
    validate=validate_router,
    new_config={"mode": "in-context"},
    facts={"max_in_context_candidates": len(ROUTER_LABELS)},
)


async def route_input(
    spec: GraphSpec,
    router: str,
    text: str,
    client: ModelClient,
    emit: EmitEvent | None = None,
) -> dict[str, object]:
    """Run router node ``router`` of ``spec`` alone on ``text``; return its ``router.decision``
    data (``octograph route``, benchmarks). ``emit`` receives its events (``node.delta``...).

    Raises ``ValueError`` when ``router`` is not a router node of ``spec``, and whatever the
    client raises (``BackendError``).
    """
    node = next((n for n in spec.nodes if n.id == router), None)
    if node is None or node.kind != "router":
        routers = ", ".join(n.id for n in spec.nodes if n.kind == "router") or "none"
        raise ValueError(f"{router!r} is not a router node of this graph (routers: {routers})")
    decisions: list[dict[str, object]] = []

    def collect(kind: str, data: Mapping[str, Any]) -> None:
        if kind == "router.decision":
            decisions.append(dict(data))
        if emit is not None:
            emit(kind, data)

    run_input = RunInput(text)
    source = NodeSpec(id="input", kind="input", config=None)
    arriving = Upstream(
        edge=EdgeSpec(id="input", source="input", target=router),
        source=source,
        result=NodeResult(text=text, query=text),
    )
    context = NodeContext(spec, node, (arriving,), run_input, client, collect)
    await execute_router(context)
    return decisions[0]
