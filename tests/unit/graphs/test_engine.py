"""The scheduler and the asyncio driver: routing, skipping, MoA, concurrency, failures."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from graphs import load_spec
from graphs.engine.local_driver import LocalRun, run_graph
from graphs.engine.state import RunStatus
from graphs.events import Event
from graphs.nodes.base import RunInput
from graphs.runtime import GenerateRequest
from graphs.templates import get_template
from tests.unit.graphs.compact_specs import router_edges, spec_json
from workers.backends.fake import FakeBackend


def router_spec(**router_config: Any) -> Any:
    return load_spec(
        spec_json(
            [
                ("q", "input", {}),
                ("r", "router", {"model": "router", **router_config}),
                ("math", "model", {"model": "math"}),
                ("prose", "model", {"model": "prose"}),
                ("after", "model", {"model": "after"}),
                ("out", "output", {}),
            ],
            [
                ("q", "r"),
                *router_edges("r", ("math", "math"), ("prose", "writing")),
                ("math", "after"),
                ("after", "out"),
                ("prose", "out"),
            ],
        )
    )


def moa_spec(layers: int = 2) -> Any:
    data = get_template("moa-lite" if layers == 2 else "moa-3-layer").spec()
    return load_spec(data)


def types(events: list[Event]) -> list[str]:
    return [str(e.type) for e in events]


def of_type(events: list[Event], kind: str) -> list[Event]:
    return [e for e in events if e.type == kind]


async def test_router_activates_one_edge_and_skips_the_rest() -> None:
    client = FakeBackend(scores={"router": [0.2, 0.8]}, reply=lambda request: "a poem")
    result = await run_graph(router_spec(), "write a poem", client)
    assert result.status is RunStatus.COMPLETED
    assert result.output == "a poem"
    decision = of_type(result.events, "router.decision")[0]
    assert decision.data["target"] == "prose"
    assert decision.data["token"] == 1
    assert decision.data["scores"] == {"math": 0.2, "prose": 0.8}
    skipped = {e.node: e.data["reason"] for e in of_type(result.events, "node.skipped")}
    assert set(skipped) == {"math", "after"}
    assert "router 'r' chose edge 'r->prose'" in skipped["math"]
    assert [request.model for request in client.calls] == ["router", "prose"]


async def test_seq_counts_from_one_without_gaps() -> None:
    result = await run_graph(moa_spec(3), "hello", FakeBackend())
    assert [e.seq for e in result.events] == list(range(1, len(result.events) + 1))
    assert types(result.events)[0] == "run.started"
    assert types(result.events)[-1] == "run.completed"


async def test_aggregator_receives_every_proposer_answer() -> None:
    client = FakeBackend(reply=lambda request: f"proposal {request.params.temperature}")
    result = await run_graph(moa_spec(), "Name three primary colors.", client)
    aggregate = client.calls[-1]
    assert isinstance(aggregate, GenerateRequest)
    system = aggregate.messages[0].content
    assert aggregate.messages[0].role == "system"
    for i, temperature in enumerate((0.3, 0.7, 1.0), start=1):
        assert f"{i}. proposal {temperature}" in system
    assert aggregate.messages[-1].content == "Name three primary colors."
    layers = of_type(result.events, "layer.completed")
    assert [e.data["layer"] for e in layers] == [1, 2]
    assert [a["node"] for a in layers[0].data["answers"]] == [
        "l1-concise",
        "l1-thorough",
        "l1-creative",
    ]


async def test_nodes_ready_together_run_concurrently() -> None:
    client = FakeBackend(latency=0.05)
    await run_graph(moa_spec(), "hi", client)
    assert client.max_in_flight == 3


async def test_transient_errors_are_retried() -> None:
    client = FakeBackend(fail_times=2)
    run = LocalRun(router_spec(), RunInput("x"), client, retry_backoff_s=0)
    result = await run.execute()
    assert result.status is RunStatus.COMPLETED
    completed = [e for e in of_type(result.events, "node.completed") if e.node == "r"]
    assert completed[0].data["attempts"] == 3


async def test_retries_give_up_after_the_budget() -> None:
    client = FakeBackend(fail_times=5)
    spec = router_spec(retries=1)
    result = await LocalRun(spec, RunInput("x"), client, retry_backoff_s=0).execute()
    assert result.status is RunStatus.FAILED
    failed = of_type(result.events, "node.failed")[0]
    assert failed.node == "r"
    assert failed.data["code"] == "transient"
    assert "gave up after 2 attempts" in failed.data["error"]
    assert types(result.events)[-1] == "run.failed"


async def test_backend_error_fails_the_run_with_its_message() -> None:
    client = FakeBackend(models=["math", "prose", "after"])
    result = await run_graph(router_spec(), "x", client)
    assert result.status is RunStatus.FAILED
    assert result.error == "node 'r' failed: unknown model 'router'"


async def test_node_timeout_fails_the_node() -> None:
    client = FakeBackend(hang=["router"])
    result = await run_graph(router_spec(timeout_s=0.05), "x", client)
    assert result.status is RunStatus.FAILED
    failed = of_type(result.events, "node.failed")[0]
    assert failed.data == {"error": "timed out after 0.05 s", "code": "timeout"}


async def test_cancel_stops_running_nodes_and_ends_the_run() -> None:
    client = FakeBackend(hang=True)
    run = LocalRun(moa_spec(), RunInput("x"), client)
    task = asyncio.create_task(run.execute())
    while client.in_flight < 3:
        await asyncio.sleep(0.01)
    run.cancel("stop please")
    result = await asyncio.wait_for(task, 2)
    assert result.status is RunStatus.CANCELLED
    assert types(result.events)[-1] == "run.cancelled"
    assert result.events[-1].data == {"reason": "stop please"}
    assert client.in_flight == 0


async def test_deltas_stream_between_start_and_completion() -> None:
    client = FakeBackend(scores={"router": [1.0, 0.0]}, reply=lambda r: "two plus two is four")
    result = await run_graph(router_spec(), "2+2?", client)
    math_events = [e for e in result.events if e.node == "math"]
    assert types(math_events) == (
        ["node.started", "node.request"] + ["node.delta"] * 5 + ["node.completed"]
    )
    assert "".join(e.data["text"] for e in math_events[2:-1]) == "two plus two is four"
    assert math_events[-1].data["tokens_out"] == 5


async def test_same_graph_and_outputs_give_the_same_events() -> None:
    runs = []
    for _ in range(2):
        result = await run_graph(moa_spec(3), "q", FakeBackend())
        runs.append([(e.seq, str(e.type), e.node) for e in result.events])
    assert runs[0] == runs[1]


def test_empty_input_is_refused() -> None:
    with pytest.raises(ValueError, match="non-empty input"):
        RunInput("   ")
