"""Router modes on the fake backend: functional-token, embedding, multi-step, failures."""

from __future__ import annotations

from typing import Any

from graphs import check, load_spec
from graphs.engine.local_driver import LocalRun, run_graph
from graphs.engine.state import RunStatus
from graphs.nodes.base import RunInput
from graphs.prompts import functional_token_messages
from graphs.runtime import GenerateRequest, RouteRequest
from tests.unit.graphs.compact_specs import router_edges, spec_json
from workers.backends.fake import FakeBackend


def two_way(**router: Any) -> dict[str, Any]:
    return spec_json(
        [
            ("q", "input", {}),
            ("r", "router", {"model": "router", **router}),
            ("math", "model", {"model": "math"}),
            ("cook", "model", {"model": "cook"}),
            ("out", "output", {}),
        ],
        [
            ("q", "r"),
            ("r", "math", {"token": 0, "description": "math: algebra, calculus"}),
            (
                "r",
                "cook",
                {
                    "token": 1,
                    "description": "cooking: recipes",
                    "examples": ["how long to boil an egg"],
                },
            ),
            ("math", "out"),
            ("cook", "out"),
        ],
    )


def router_reply(request: GenerateRequest) -> str:
    """The router adapter continues its functional token; workers echo their query."""
    if request.prefix:
        return "('Rewritten: boil eggs')<nexa_end>"
    return f"{request.model} got {request.messages[-1].content}"


def events_of(result: Any, kind: str) -> list[Any]:
    return [e for e in result.events if e.type == kind]


async def test_functional_token_router_sends_the_reformatted_query_to_its_choice() -> None:
    client = FakeBackend(routes=lambda request: [0.1, 0.9], reply=router_reply)
    spec = load_spec(two_way(mode="functional-token", adapter="my-router"))

    result = await run_graph(spec, "eggs?", client)

    assert result.status is RunStatus.COMPLETED
    assert result.output == "cook got Rewritten: boil eggs"
    decision = events_of(result, "router.decision")[0].data
    assert decision["mode"] == "functional-token"
    assert (decision["target"], decision["token"]) == ("cook", 1)
    assert decision["query"] == "Rewritten: boil eggs"
    assert decision["scores"] == {"math": 0.1, "cook": 0.9}
    route = client.calls[0]
    assert isinstance(route, RouteRequest)
    assert (route.adapter, route.query, list(route.tokens)) == ("my-router", "eggs?", [0, 1])
    rewrite = client.calls[1]
    assert isinstance(rewrite, GenerateRequest)
    assert (rewrite.prefix, rewrite.adapter) == ("<nexa_1>", "my-router")
    deltas = [e for e in events_of(result, "node.delta") if e.node == "r"]
    assert "".join(e.data["text"] for e in deltas).strip().startswith("('Rewritten")


async def test_rewrite_can_be_turned_off() -> None:
    client = FakeBackend(routes=lambda request: [0.9, 0.1], reply=router_reply)
    spec = load_spec(two_way(mode="functional-token", adapter="a", rewrite_tokens=0))
    result = await run_graph(spec, "integrate x", client)
    assert result.output == "math got integrate x"
    assert [type(c).__name__ for c in client.calls] == ["RouteRequest", "GenerateRequest"]


async def test_missing_router_adapter_fails_the_run_naming_it() -> None:
    client = FakeBackend(adapters=set())
    spec = load_spec(two_way(mode="functional-token", adapter="router-gone"))
    result = await run_graph(spec, "x", client)
    assert result.status is RunStatus.FAILED
    assert "router-gone" in (result.error or "")


def test_functional_token_mode_without_adapter_is_invalid() -> None:
    _, problems = check(two_way(mode="functional-token"))
    assert [(p.node, p.field) for p in problems] == [("r", "config.adapter")]
    assert "train-router" in problems[0].message


async def test_embedding_router_compares_with_descriptions_and_examples() -> None:
    result = await run_graph(
        load_spec(two_way(mode="embedding")), "How long to boil an egg?", FakeBackend()
    )
    decision = events_of(result, "router.decision")[0].data
    assert (decision["mode"], decision["target"]) == ("embedding", "cook")
    assert decision["scores"]["cook"] > 0.9
    assert abs(sum(decision["scores"].values()) - 1) < 1e-5


async def test_multi_step_routing_follows_the_path_and_offers_only_neighbours() -> None:
    spec = load_spec(
        spec_json(
            [
                ("q", "input", {}),
                ("top", "router", {"model": "r", "mode": "functional-token", "adapter": "top"}),
                ("sci", "router", {"model": "r", "mode": "functional-token", "adapter": "sci"}),
                ("arts", "model", {"model": "arts"}),
                ("physics", "model", {"model": "physics"}),
                ("chemistry", "model", {"model": "chemistry"}),
                ("out", "output", {}),
            ],
            [
                ("q", "top"),
                *router_edges("top", ("sci", "science"), ("arts", "arts")),
                ("sci", "physics", {"token": 0, "description": "physics"}),
                ("sci", "chemistry", {"token": 5, "description": "chemistry"}),
                ("physics", "out"),
                ("chemistry", "out"),
                ("arts", "out"),
            ],
        )
    )
    client = FakeBackend(
        routes=lambda request: [0.8, 0.2] if request.adapter == "top" else [0.3, 0.7],
        reply=lambda request: "('next step')" if request.prefix else f"{request.model} answers",
    )

    result = await run_graph(spec, "What is a covalent bond?", client)

    assert result.output == "chemistry answers"
    decisions = [(e.node, e.data["target"]) for e in events_of(result, "router.decision")]
    assert decisions == [("top", "sci"), ("sci", "chemistry")]
    routes = [c for c in client.calls if isinstance(c, RouteRequest)]
    assert [(r.adapter, list(r.tokens)) for r in routes] == [("top", [0, 1]), ("sci", [0, 5])]
    assert routes[1].query == "next step"
    skipped = {e.node for e in events_of(result, "node.skipped")}
    assert skipped == {"arts", "physics"}


async def test_routing_only_run_stops_once_the_router_decides_without_rewriting() -> None:
    client = FakeBackend(routes=lambda request: [0.2, 0.8], reply=router_reply)
    spec = load_spec(two_way(mode="functional-token", adapter="a"))

    result = await LocalRun(spec, RunInput("boil an egg", routing_only=True), client).execute()

    assert result.status is RunStatus.COMPLETED
    assert result.output == ""
    assert [type(c).__name__ for c in client.calls] == ["RouteRequest"]
    (decision,) = events_of(result, "router.decision")
    assert decision.data["target"] == "cook"
    assert decision.data["query"] == "boil an egg"
    (completed,) = events_of(result, "run.completed")
    assert completed.data["routing_only"] is True
    assert "cook" not in {e.node for e in events_of(result, "node.started")}
    assert events_of(result, "run.started")[0].data["input"]["routing_only"] is True


async def test_routing_only_run_follows_a_router_behind_a_worker() -> None:
    spec = load_spec(
        spec_json(
            [
                ("q", "input", {}),
                ("first", "router", {"model": "r", "mode": "embedding"}),
                ("helper", "model", {"model": "helper"}),
                ("second", "router", {"model": "r", "mode": "embedding"}),
                ("a", "model", {"model": "a"}),
                ("b", "model", {"model": "b"}),
                ("c", "model", {"model": "c"}),
                ("out", "output", {}),
            ],
            [
                ("q", "first"),
                *router_edges("first", ("helper", "science"), ("c", "arts")),
                ("helper", "second"),
                *router_edges("second", ("a", "physics"), ("b", "chemistry")),
                ("a", "out"),
                ("b", "out"),
                ("c", "out"),
            ],
        )
    )
    client = FakeBackend(reply=lambda request: "chemistry of salt")

    result = await LocalRun(spec, RunInput("science question", routing_only=True), client).execute()

    assert result.status is RunStatus.COMPLETED
    decisions = [(e.node, e.data["target"]) for e in events_of(result, "router.decision")]
    assert decisions == [("first", "helper"), ("second", "b")]
    assert [e.node for e in events_of(result, "node.completed")][-1] == "second"


def test_routing_only_survives_the_trip_through_json() -> None:
    run_input = RunInput("q", routing_only=True)
    assert RunInput.from_json(run_input.to_json()) == run_input
    assert "routing_only" not in RunInput("q").to_json()


def requests_of(result: Any, node: str) -> list[dict[str, Any]]:
    return [dict(e.data) for e in events_of(result, "node.request") if e.node == node]


async def test_a_functional_token_router_records_its_route_and_rewrite_requests() -> None:
    client = FakeBackend(routes=lambda request: [0.1, 0.9], reply=router_reply)
    spec = load_spec(two_way(mode="functional-token", adapter="my-router"))

    result = await run_graph(spec, "eggs?", client)

    route, rewrite = requests_of(result, "r")
    sent = [{"role": m.role, "content": m.content} for m in functional_token_messages("eggs?")]
    assert route == {
        "call": "route",
        "model": "router",
        "adapter": "my-router",
        "messages": sent,
        "tokens": [0, 1],
    }
    assert (rewrite["call"], rewrite["prefix"], rewrite["messages"]) == (
        "generate",
        "<nexa_1>",
        sent,
    )
    completed = events_of(result, "node.completed")
    router_done = next(e.data for e in completed if e.node == "r")
    assert router_done["finish_reason"] == "eos"
    assert router_done["tokens_out"] > 0


async def test_in_context_and_embedding_routers_record_what_they_compare() -> None:
    in_context = await run_graph(load_spec(two_way()), "integrate x", FakeBackend())
    (score,) = requests_of(in_context, "r")
    assert (score["call"], score["candidates"]) == ("score", ["A", "B"])
    assert "math: algebra, calculus" in score["messages"][0]["content"]

    embedding = await run_graph(load_spec(two_way(mode="embedding")), "egg?", FakeBackend())
    (similarity,) = requests_of(embedding, "r")
    assert similarity["call"] == "similarity"
    assert similarity["candidates"][1] == ["cooking: recipes", "how long to boil an egg"]
