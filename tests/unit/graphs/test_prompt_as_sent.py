"""The prompt as sent: ``node.request`` before each model call, and the generation's finish
reason, token counts and timings on ``node.completed`` (fake backend)."""

from __future__ import annotations

from typing import Any

from graphs import load_spec
from graphs.engine.local_driver import run_graph
from graphs.events import Event, EventType
from graphs.prompts import AGGREGATE_AND_SYNTHESIZE
from tests.unit.graphs.compact_specs import spec_json
from workers.backends.fake import FakeBackend


def of(events: list[Event], node: str, kind: EventType) -> list[dict[str, Any]]:
    return [dict(e.data) for e in events if e.node == node and e.type is kind]


def moa() -> dict[str, Any]:
    return spec_json(
        [
            ("q", "input", {}),
            ("a", "model", {"model": "ma", "system": "Be brief.", "max_tokens": 3}),
            ("b", "model", {"model": "mb", "adapter": "lora-b", "temperature": 0}),
            ("agg", "model", {"model": "big"}),
            ("out", "output", {}),
        ],
        [("q", "a"), ("q", "b"), ("a", "agg"), ("b", "agg"), ("agg", "out")],
    )


async def test_a_model_node_records_its_messages_adapter_and_params_before_its_tokens() -> None:
    result = await run_graph(load_spec(moa()), "Why is the sky blue?", FakeBackend())

    kinds = [str(e.type) for e in result.events if e.node == "b"]
    assert kinds[:3] == ["node.started", "node.request", "node.delta"]
    (request,) = of(result.events, "b", EventType.NODE_REQUEST)
    assert request == {
        "call": "generate",
        "model": "mb",
        "adapter": "lora-b",
        "messages": [{"role": "user", "content": "Why is the sky blue?"}],
        "params": {"temperature": 0, "top_p": 0.95, "max_tokens": 256, "stop": [], "seed": None},
        "prefix": "",
    }
    (sent_a,) = of(result.events, "a", EventType.NODE_REQUEST)
    assert [m["role"] for m in sent_a["messages"]] == ["system", "user"]


async def test_the_aggregator_records_the_assembled_prompt_with_its_references() -> None:
    result = await run_graph(load_spec(moa()), "Why is the sky blue?", FakeBackend())

    (request,) = of(result.events, "agg", EventType.NODE_REQUEST)
    system, user = request["messages"]
    assert system["role"] == "system"
    assert AGGREGATE_AND_SYNTHESIZE in system["content"]
    for node in ("a", "b"):
        (completed,) = of(result.events, node, EventType.NODE_COMPLETED)
        assert completed["output"] in system["content"]
    assert user == {"role": "user", "content": "Why is the sky blue?"}


async def test_completion_reports_finish_reason_tokens_and_timings() -> None:
    result = await run_graph(load_spec(moa()), "Why is the sky blue?", FakeBackend())

    (cut,) = of(result.events, "a", EventType.NODE_COMPLETED)
    (whole,) = of(result.events, "b", EventType.NODE_COMPLETED)
    assert (cut["finish_reason"], cut["tokens_out"]) == ("length", 3)
    assert whole["finish_reason"] == "eos"
    assert whole["tokens_in"] == 5  # the fake counts words
    assert 0 <= whole["ttft_ms"] <= whole["duration_ms"]
