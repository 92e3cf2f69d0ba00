"""A model's first load shows in the run: ``model.loading`` / ``model.loaded`` events of the node
waiting for it, before its first token, whether the host reports on the loop or from a thread."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from graphs import load_spec, model_loading
from graphs.engine.local_driver import run_graph
from graphs.events import STRUCTURAL_TYPES, Event, EventType
from graphs.model_loading import LoadReport
from graphs.runtime import Chunk, GenerateRequest
from tests.unit.graphs.compact_specs import spec_json
from workers.backends.fake import LOAD_STEPS, FakeBackend


def chain(model: str = "m") -> Any:
    return load_spec(
        spec_json(
            [("q", "input", {}), ("a", "model", {"model": model}), ("out", "output", {})],
            [("q", "a"), ("a", "out")],
        )
    )


def of_node(events: list[Event], node: str) -> list[str]:
    return [str(e.type) for e in events if e.node == node]


async def test_a_first_run_reports_the_load_before_the_first_token() -> None:
    client = FakeBackend(load_s=0.1)

    first = await run_graph(chain(), "hello there", client)

    types = of_node(first.events, "a")
    assert types[:2] == ["node.started", "node.request"]
    assert types[2 : 2 + LOAD_STEPS] == ["model.loading"] * LOAD_STEPS
    assert types[2 + LOAD_STEPS] == "model.loaded"
    assert types[3 + LOAD_STEPS] == "node.delta"
    loading = next(e for e in first.events if e.type is EventType.MODEL_LOADING)
    assert loading.data == {"model": "m", "stage": "loading", "progress": 0.0}
    loaded = next(e for e in first.events if e.type is EventType.MODEL_LOADED)
    assert loaded.data == {"model": "m", "seconds": 0.1}

    again = await run_graph(chain(), "hello again", client)
    assert "model.loading" not in of_node(again.events, "a")
    assert "model.loaded" not in of_node(again.events, "a")


async def test_every_node_waiting_for_the_same_load_shows_it() -> None:
    spec = load_spec(
        spec_json(
            [
                ("q", "input", {}),
                ("a", "model", {"model": "m"}),
                ("b", "model", {"model": "m"}),
                ("out", "output", {}),
            ],
            [("q", "a"), ("q", "b"), ("a", "out"), ("b", "out")],
        )
    )

    result = await run_graph(spec, "hi", FakeBackend(load_s={"m": 0.1}))

    for node in ("a", "b"):
        assert "model.loaded" in of_node(result.events, node)


class ThreadLoadingClient(FakeBackend):
    """Loads its model in a worker thread, as the transformers backend does."""

    async def generate(self, request: GenerateRequest) -> AsyncIterator[Chunk]:
        def load() -> None:
            model_loading.report(LoadReport(request.model, "converting"))
            model_loading.report(LoadReport(request.model, "loading", progress=0.5))
            model_loading.report(LoadReport(request.model, "loaded", seconds=1.25))

        await asyncio.to_thread(load)
        async for chunk in super().generate(request):
            yield chunk


async def test_a_load_reported_from_a_thread_keeps_its_order_before_the_tokens() -> None:
    result = await run_graph(chain(), "hello", ThreadLoadingClient())

    node_events = [e for e in result.events if e.node == "a"]
    assert [str(e.type) for e in node_events[:6]] == [
        "node.started",
        "node.request",
        "model.loading",
        "model.loading",
        "model.loaded",
        "node.delta",
    ]
    assert [e.data.get("stage") for e in node_events[2:4]] == ["converting", "loading"]
    assert node_events[3].data["progress"] == 0.5
    assert node_events[4].data == {"model": "m", "seconds": 1.25}


def test_the_loading_events_are_kept_in_the_stored_trace() -> None:
    assert {EventType.MODEL_LOADING, EventType.MODEL_LOADED} <= STRUCTURAL_TYPES
