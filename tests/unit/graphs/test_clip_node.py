"""The ``clip`` node kind and image-aware routing on the fake backend: config errors name the
field, the zero-shot ranking flows on as text, ``clip.result`` and ``router.decision`` carry
their parts, and a run without an image fails the node saying so."""

from __future__ import annotations

import math
from typing import Any

import pytest

from graphs import check, load_spec
from graphs.clip import zero_shot
from graphs.engine.local_driver import LocalRun, RunResult
from graphs.engine.state import RunStatus
from graphs.images import RunImage
from graphs.nodes.base import RunInput
from graphs.nodes.router import combine
from graphs.runtime import ClipRequest, ClipResult, RouteRequest
from graphs.templates import get_template
from tests.unit.graphs.compact_specs import router_fan, spec_json
from workers.backends.fake import FAKE_CLIP_DIM, FakeBackend

IMAGE = RunImage("image/png", b"\x89PNG fake bytes", 64, 48)
LABELS = ["a plant", "a receipt", "a bicycle"]


def clip_graph(config: dict[str, Any]) -> dict[str, Any]:
    """input -> clip -> output."""
    return spec_json(
        [("q", "input", {}), ("see", "clip", config), ("out", "output", {})],
        [("q", "see"), ("see", "out")],
    )


def fixed_clips(similarities: dict[str, float]) -> FakeBackend:
    """A fake whose CLIP similarity of the image to a text is looked up by the text."""
    return FakeBackend(clips=lambda request: [similarities[t] for t in request.texts])


async def run(spec: dict[str, Any], client: FakeBackend, images=(IMAGE,)) -> RunResult:  # type: ignore[no-untyped-def]
    return await LocalRun(load_spec(spec), RunInput("What is this?", images), client).execute()


def events_of(result: RunResult, kind: str) -> list[dict[str, Any]]:
    return [dict(e.data) for e in result.events if e.type == kind]


@pytest.mark.parametrize(
    ("config", "field", "message"),
    [
        ({"labels": LABELS}, "config.model", "is required"),
        ({"model": "clip", "labels": ["only one"]}, "config.labels", "needs 2 to 64 labels, got 1"),
        ({"model": "clip", "labels": ["a", " "]}, "config.labels[1]", "must not be empty"),
        ({"model": "clip", "labels": ["a", "b", "a"]}, "config.labels[2]", "repeats the label 'a'"),
        ({"model": "clip", "labels": "a, b"}, "config.labels", "must be a list of strings"),
        ({"model": "clip", "labels": LABELS, "prompt": "a photo"}, "config.prompt", "{label}"),
        ({"model": "clip", "labels": LABELS, "top_k": 0}, "config.top_k", "at least 1"),
        ({"model": "clip", "labels": LABELS, "image": 4}, "config.image", "between 0 and 3"),
    ],
)
def test_config_errors_name_the_field(config: dict[str, Any], field: str, message: str) -> None:
    _, problems = check(clip_graph(config))
    assert [(p.node, p.field) for p in problems] == [("see", field)]
    assert message in problems[0].message


def test_zero_shot_is_the_softmax_of_scaled_similarities() -> None:
    probabilities = zero_shot(ClipResult((1.0,), (0.30, 0.25, 0.10), logit_scale=100.0))
    expected = [math.exp(100 * s) for s in (0.30, 0.25, 0.10)]
    assert probabilities == pytest.approx([e / sum(expected) for e in expected])
    with pytest.raises(ValueError, match="at least one text"):
        zero_shot(ClipResult((1.0,), (), 100.0))


async def test_the_ranking_flows_on_as_text_and_the_event_shows_every_label() -> None:
    client = fixed_clips({"a photo of a plant": 0.31, "a photo of a receipt": 0.29,
                          "a photo of a bicycle": 0.20})  # fmt: skip
    spec = clip_graph({"model": "clip-vit-b-32", "labels": LABELS, "top_k": 2})

    result = await run(spec, client)

    assert result.status is RunStatus.COMPLETED
    assert result.output == "Image shows: a plant 0.88, a receipt 0.12\n\nWhat is this?"
    (event,) = events_of(result, "clip.result")
    assert event["model"] == "clip-vit-b-32"
    assert event["top"] == "a plant"
    assert [item["label"] for item in event["labels"]] == ["a plant", "a receipt", "a bicycle"]
    assert event["labels"][0] == {"label": "a plant", "probability": 0.880784, "similarity": 0.31}
    assert event["image"] == IMAGE.summary()
    assert event["duration_ms"] >= 0
    (request,) = client.calls
    assert isinstance(request, ClipRequest)
    assert request.texts == ["a photo of a plant", "a photo of a receipt", "a photo of a bicycle"]
    completed = next(
        e.data for e in result.events if e.type == "node.completed" and e.node == "see"
    )
    assert len(completed["embedding"]) == completed["embedding_dim"] == FAKE_CLIP_DIM
    assert completed["labels"][0] == {"label": "a plant", "probability": 0.880784}


async def test_the_fake_backend_is_deterministic_per_image() -> None:
    spec = clip_graph({"model": "clip-vit-b-32", "labels": LABELS})
    first, second = [await run(spec, FakeBackend()) for _ in range(2)]
    assert (
        events_of(first, "clip.result")[0]["labels"]
        == events_of(second, "clip.result")[0]["labels"]
    )


async def test_a_run_without_an_image_fails_the_clip_node_saying_so() -> None:
    result = await run(clip_graph({"model": "clip-vit-b-32", "labels": LABELS}), FakeBackend(), ())
    assert result.status is RunStatus.FAILED
    (failed,) = events_of(result, "node.failed")
    assert "this clip node needs an image, and the run has none" in failed["error"]


async def test_a_second_image_that_is_missing_is_named() -> None:
    config = {"model": "clip-vit-b-32", "labels": LABELS, "image": 1}
    result = await run(clip_graph(config), FakeBackend())
    (failed,) = events_of(result, "node.failed")
    assert "reads image 2, and the run has only 1" in failed["error"]


# --- image-aware routing -------------------------------------------------------------------

EDGES = ("Recycling: bottles, cans, cardboard", "Shopping: buy this product")


def router_graph(config: dict[str, Any]) -> dict[str, Any]:
    """input -> router -> (recycle | buy) -> output; the router mentions <nexa_1> for text."""
    return router_fan(
        {"model": "smollm2-135m-instruct", "mode": "functional-token", "adapter": "shop-router",
         "rewrite_tokens": 0, **config},
        [
            ("recycle", "tool", {"function": "weekday"}, EDGES[0]),
            ("buy", "tool", {"function": "weekday"}, EDGES[1]),
        ],
    )  # fmt: skip


def image_and_text_client() -> FakeBackend:
    """Text says buy (0.9 for <nexa_1>); the image looks like recycling (0.95 / 0.05)."""
    sims = {EDGES[0]: 0.30, EDGES[1]: 0.30 - math.log(19) / 100}
    return FakeBackend(
        routes=lambda request: [0.1, 0.9],
        clips=lambda request: [sims[t] for t in request.texts],
    )


def test_combining_weighs_text_and_image() -> None:
    assert combine([0.1, 0.9], [0.95, 0.05], 0.25) == pytest.approx([0.3125, 0.6875])
    assert combine(None, [0.95, 0.05], 1.0) == [0.95, 0.05]
    assert combine([0.1, 0.9], None, 0.5) == [0.1, 0.9]


@pytest.mark.parametrize(
    ("weight", "target", "combined"), [(0.25, "buy", 0.6875), (0.75, "recycle", 0.7375)]
)
async def test_the_decision_event_shows_text_image_and_combined(
    weight: float, target: str, combined: float
) -> None:
    spec = router_graph({"image_model": "clip-vit-b-32", "image_weight": weight})

    result = await run(spec, image_and_text_client())

    (decision,) = events_of(result, "router.decision")
    assert decision["target"] == target
    assert decision["image_weight"] == weight
    assert decision["image"] == IMAGE.summary()
    by_target = {c["target"]: c for c in decision["candidates"]}
    assert by_target["recycle"]["text_probability"] == pytest.approx(0.1)
    assert by_target["recycle"]["image_probability"] == pytest.approx(0.95)
    assert by_target[target]["probability"] == pytest.approx(combined)


async def test_image_weight_one_routes_by_the_image_alone() -> None:
    client = image_and_text_client()
    result = await run(router_graph({"image_model": "clip-vit-b-32", "image_weight": 1}), client)
    (decision,) = events_of(result, "router.decision")
    assert decision["target"] == "recycle"
    assert [c["text_probability"] for c in decision["candidates"]] == [None, None]
    assert not any(isinstance(call, RouteRequest) for call in client.calls)


async def test_without_an_image_a_combined_router_decides_by_text() -> None:
    spec = router_graph({"image_model": "clip-vit-b-32", "image_weight": 0.75})
    result = await run(spec, image_and_text_client(), ())
    (decision,) = events_of(result, "router.decision")
    assert decision["target"] == "buy"
    assert decision["image_weight"] == 0.0
    assert decision["image"] is None
    assert [c["image_probability"] for c in decision["candidates"]] == [None, None]


async def test_without_an_image_an_image_only_router_fails_saying_so() -> None:
    spec = router_graph({"image_model": "clip-vit-b-32", "image_weight": 1})
    result = await run(spec, image_and_text_client(), ())
    assert result.status is RunStatus.FAILED
    (failed,) = events_of(result, "node.failed")
    assert "router (image_weight 1) node needs an image, and the run has none" in failed["error"]


async def test_a_text_router_emits_no_image_parts() -> None:
    result = await run(router_graph({}), image_and_text_client())
    (decision,) = events_of(result, "router.decision")
    assert "image_weight" not in decision
    assert "text_probability" not in decision["candidates"][0]


@pytest.mark.parametrize(
    ("config", "field", "message"),
    [
        ({"image_weight": 0.5}, "config.image_model", "needs a CLIP model"),
        ({"image_model": "clip-vit-b-32", "image_weight": 1.5}, "config.image_weight", "between"),
    ],
)
def test_router_image_settings_are_checked(
    config: dict[str, Any], field: str, message: str
) -> None:
    _, problems = check(router_graph(config))
    assert [(p.node, p.field) for p in problems] == [("r", field)]
    assert message in problems[0].message


def test_an_unknown_image_model_is_named() -> None:
    spec = router_graph({"image_model": "no-such-clip", "image_weight": 0.5})
    _, problems = check(spec, known_models=["smollm2-135m-instruct", "clip-vit-b-32"])
    assert [p.code for p in problems] == ["unknown_model"]
    assert "no-such-clip" in problems[0].message


async def test_the_octopus_v3_template_sees_routes_and_answers_on_the_fake_backend() -> None:
    spec = get_template("octopus-v3-agent").spec()
    client = FakeBackend(
        clips=lambda request: [0.3 if "bottle" in t else 0.1 for t in request.texts]
    )

    result = await run(spec, client)

    assert result.status is RunStatus.COMPLETED, result.error
    (seen,) = events_of(result, "clip.result")
    assert seen["top"] == "a plastic bottle"
    (decision,) = events_of(result, "router.decision")
    assert decision["target"] == "recycle"
    assert decision["image_weight"] == 0.5
    assert result.output.startswith("smollm2-135m-instruct: Image shows: a plastic bottle")
