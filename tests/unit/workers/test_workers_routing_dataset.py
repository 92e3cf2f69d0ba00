"""Router training data: targets from a router's edges, synthesis, stratified split."""

from __future__ import annotations

from collections import Counter

import pytest

from graphs import load_spec
from graphs.runtime import GenerateRequest
from graphs.templates import get_template
from workers.backends.fake import FakeBackend
from workers.routing.dataset import (
    DatasetError,
    Example,
    RouteTarget,
    model_written,
    route_targets,
    split,
    synthesize,
    topics,
)

TARGETS = [
    RouteTarget(0, "e0", "math", "math: algebra, calculus and statistics", ("Solve x+1=2",)),
    RouteTarget(2, "e2", "code", "code: Python; debugging"),
]


def test_route_targets_come_from_the_router_edges_in_token_order() -> None:
    spec = load_spec(get_template("router-basic").spec())
    targets = route_targets(spec, "router")
    assert [(t.token, t.target) for t in targets] == [(0, "math"), (1, "code"), (2, "writing")]
    assert targets[0].description.startswith("Mathematics")


def test_route_targets_reject_a_node_that_is_not_a_router() -> None:
    spec = load_spec(get_template("router-basic").spec())
    with pytest.raises(DatasetError, match="'math' is a 'model' node"):
        route_targets(spec, "math")
    with pytest.raises(DatasetError, match="no node 'nope'"):
        route_targets(spec, "nope")


def test_topics_split_the_description() -> None:
    assert topics("math: algebra, calculus and statistics") == [
        "math",
        "algebra",
        "calculus",
        "statistics",
    ]


def test_synthesize_targets_every_token_and_keeps_examples_verbatim() -> None:
    examples = synthesize(TARGETS, per_target=10, seed=1)
    assert Counter(e.token for e in examples) == {0: 10, 2: 10}
    assert Example("Solve x+1=2", 0, "Solve x+1=2") in examples
    assert all(e.target_text.startswith(f"<nexa_{e.token}>('") for e in examples)
    assert synthesize(TARGETS, per_target=10, seed=1) == examples


def test_split_is_stratified_and_disjoint() -> None:
    examples = [Example(f"q{i}", i % 3, f"q{i}") for i in range(30)]
    train, validation = split(examples, 0.2, seed=0)
    assert Counter(e.token for e in validation) == {0: 2, 1: 2, 2: 2}
    assert sorted(e.query for e in train + validation) == sorted(e.query for e in examples)


async def test_model_written_queries_are_cleaned_and_deduplicated() -> None:
    def reply(request: GenerateRequest) -> str:
        topic = "algebra" if "math" in request.messages[0].content else "Python"
        again = f"Explain {topic} to me please"
        return f"1. {again}\n- {again}\nok\n* More {topic} help now"

    examples = await model_written(FakeBackend(reply=reply), "writer", TARGETS, per_target=5)

    assert [(e.query, e.token) for e in examples] == [
        ("Explain algebra to me please", 0),
        ("More algebra help now", 0),
        ("Explain Python to me please", 2),
        ("More Python help now", 2),
    ]
