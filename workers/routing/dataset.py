"""Training data of a functional-token router, synthesised from its outgoing edges.

Every router edge becomes a ``RouteTarget`` (its functional token, target node, description and
example queries). ``synthesize`` turns them into ``Example``s by filling paraphrase templates with
the description's topics and by rephrasing the example queries; the target of each example is
``<nexa_k>('reformatted query')<nexa_end>`` (``graphs.functional_tokens.format_call``).
``model_written`` asks a chat model for more queries per target. Real labelled queries (MMLU's dev
split for the 17-domain router) are added as plain ``Example``s.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphs.functional_tokens import format_call
from graphs.runtime import GenerateRequest, GenerationParams, Message, ModelClient
from graphs.spec import GraphSpec


@dataclass(frozen=True)
class RouteTarget:
    """One candidate of a router: edge ``edge`` to node ``target`` with functional token
    ``token``."""

    token: int
    edge: str
    target: str
    description: str
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Example:
    """A query, the functional token it must route to, and the reformatted query to emit."""

    query: str
    token: int
    rewrite: str

    @property
    def target_text(self) -> str:
        return format_call(self.token, self.rewrite)


class DatasetError(ValueError):
    """The router's edges cannot make a training set (named node, actionable message)."""


def route_targets(spec: GraphSpec, router: str) -> list[RouteTarget]:
    """The candidates of node ``router`` in token order.

    Raises ``DatasetError`` when the node is missing, is not a router, or an outgoing edge has no
    token or no description (nothing to train on).
    """
    node = next((n for n in spec.nodes if n.id == router), None)
    if node is None:
        raise DatasetError(f"no node {router!r} in the graph")
    if node.kind != "router":
        raise DatasetError(f"node {router!r} is a {node.kind!r} node, not a router")
    targets = []
    for edge in spec.edges:
        if edge.source != router:
            continue
        if edge.token is None or not edge.description.strip():
            raise DatasetError(
                f"edge {edge.id!r} of router {router!r} needs a token and a description to train on"
            )
        targets.append(
            RouteTarget(edge.token, edge.id, edge.target, edge.description, _examples(edge.data))
        )
    if len(targets) < 2:
        raise DatasetError(f"router {router!r} needs at least two outgoing edges to train")
    return sorted(targets, key=lambda t: t.token)


def _examples(data: Any) -> tuple[str, ...]:
    raw = data.get("examples", ()) if isinstance(data, Mapping) else ()
    if not isinstance(raw, list | tuple):
        return ()
    return tuple(str(q).strip() for q in raw if str(q).strip())


# Templates in which a topic from an edge description becomes a user query. Kept varied in
# register (question, request, imperative) because users phrase requests every way.
QUERY_TEMPLATES = (
    "{topic}",
    "I have a question about {topic}.",
    "Can you help me with {topic}?",
    "Explain {topic} to me.",
    "What should I know about {topic}?",
    "Please answer a question on {topic}.",
    "I need help with {topic}, can you assist?",
    "Give me an overview of {topic}.",
    "How does {topic} work?",
    "Quick question on {topic}",
    "Teach me the basics of {topic}.",
    "I'm stuck on a {topic} problem.",
)
# Prefixes that rephrase an example query; the reformatted query stays the example itself.
EXAMPLE_PREFIXES = ("", "", "Please help: ", "Question: ", "hey, ", "Could you tell me: ")


def topics(description: str) -> list[str]:
    """The topics named in an edge description: its head (before ':') and each listed item.

    ``"math: algebra, calculus and statistics"`` -> ``["math", "algebra", "calculus",
    "statistics"]``.
    """
    head, _, tail = description.partition(":")
    parts = [head, *re.split(r",|;|\band\b|\bor\b", tail)]
    seen: dict[str, None] = {}
    for part in parts:
        topic = part.strip(" .").replace("_", " ")
        if topic:
            seen.setdefault(topic.lower(), None)
    return list(seen)


def synthesize(
    targets: Sequence[RouteTarget], *, per_target: int = 40, seed: int = 0
) -> list[Example]:
    """About ``per_target`` examples per target from templates, topics and example queries.

    Deterministic for a given ``seed``. Template queries are rewritten as a plain request about
    the topic; example queries are their own rewrite.
    """
    rng = random.Random(seed)
    out: list[Example] = []
    for target in targets:
        names = topics(target.description)
        pool: list[Example] = [
            Example(template.format(topic=topic), target.token, f"Answer a question about {topic}.")
            for topic in names
            for template in QUERY_TEMPLATES
        ]
        pool += [
            Example(prefix + query, target.token, query)
            for query in target.examples
            for prefix in EXAMPLE_PREFIXES
        ]
        rng.shuffle(pool)
        # Every example query verbatim first: they are the user's most direct signal.
        verbatim = [Example(q, target.token, q) for q in target.examples]
        out += (verbatim + pool)[: max(per_target, len(verbatim))]
    rng.shuffle(out)
    return out


def split(
    examples: Iterable[Example], validation_fraction: float, *, seed: int = 0
) -> tuple[list[Example], list[Example]]:
    """(train, validation), stratified by token: each token keeps ``validation_fraction`` of its
    examples (rounded, at least one when it has two or more) for validation."""
    if not 0 <= validation_fraction < 1:
        raise ValueError(f"validation_fraction must be in [0, 1), got {validation_fraction}")
    by_token: dict[int, list[Example]] = defaultdict(list)
    for example in examples:
        by_token[example.token].append(example)
    rng = random.Random(seed)
    train: list[Example] = []
    validation: list[Example] = []
    for token in sorted(by_token):
        group = by_token[token]
        rng.shuffle(group)
        held = round(len(group) * validation_fraction)
        if validation_fraction and len(group) >= 2:
            held = max(held, 1)
        validation += group[:held]
        train += group[held:]
    rng.shuffle(train)
    return train, validation


QUERY_WRITER_PROMPT = (
    "Write {n} different, realistic requests that a user could send to an assistant that is an "
    "expert in: {description}. Vary the wording and the topics. One request per line, no "
    "numbering, nothing else."
)


async def model_written(
    client: ModelClient, model: str, targets: Sequence[RouteTarget], per_target: int
) -> list[Example]:
    """Up to ``per_target`` queries per target written by ``model`` (a catalog key), each its own
    rewrite. Lines that are too short to be a request, or repeated, are dropped.

    Raises ``BackendError`` when the model fails.
    """
    out: list[Example] = []
    for target in targets:
        prompt = QUERY_WRITER_PROMPT.format(n=per_target, description=target.description)
        request = GenerateRequest(
            model=model,
            messages=[Message("user", prompt)],
            params=GenerationParams(temperature=0.9, max_tokens=40 * per_target, seed=target.token),
        )
        text = "".join([chunk.text async for chunk in client.generate(request)])
        lines = [
            re.sub(r"^\s*(?:\d+[.)]|[-*•])\s*", "", line).strip() for line in text.splitlines()
        ]
        queries = [q for q in dict.fromkeys(lines) if len(q.split()) >= 3][:per_target]
        out += [Example(q, target.token, q) for q in queries]
    return out
