"""Expected routes: a row's route resolved against a graph's routers, by id or label."""

from __future__ import annotations

from typing import Any

from graphs import load_spec
from graphs.evaluation.routes import resolve_expected_routes
from graphs.spec import GraphSpec
from graphs.templates import get_template
from tests.unit.graphs.compact_specs import router_edges, spec_json


def two_routers() -> GraphSpec:
    data: dict[str, Any] = spec_json(
        [
            ("q", "input", {}),
            ("r", "router", {"model": "m"}),
            ("math", "model", {"model": "m"}),
            ("s", "router", {"model": "m"}),
            ("code", "model", {"model": "m"}),
            ("prose", "model", {"model": "m"}),
            ("out", "output", {}),
        ],
        [
            ("q", "r"),
            *router_edges("r", ("math", "math"), ("s", "other")),
            *router_edges("s", ("code", "code"), ("prose", "prose")),
            ("math", "out"),
            ("code", "out"),
            ("prose", "out"),
        ],
    )
    for node in data["nodes"]:
        if node["id"] == "prose":
            node["label"] = "Creative Writing"
    return load_spec(data)


def test_no_route_resolves_to_nothing() -> None:
    assert resolve_expected_routes(None, two_routers()) == ({}, [])


def test_a_string_applies_to_the_router_that_has_the_target() -> None:
    spec = two_routers()
    assert resolve_expected_routes("math", spec) == ({"r": "math"}, [])
    assert resolve_expected_routes("code", spec) == ({"s": "code"}, [])
    assert resolve_expected_routes("creative writing", spec) == ({"s": "prose"}, [])


def test_an_unknown_string_is_a_problem_listing_the_targets() -> None:
    routes, problems = resolve_expected_routes("law", two_routers())
    assert routes == {}
    assert problems == ["route 'law' is not a target of any router (targets: code, math, prose, s)"]


def test_a_graph_without_routers() -> None:
    spec = load_spec(spec_json([("q", "input", {}), ("out", "output", {})], [("q", "out")]))
    routes, problems = resolve_expected_routes("math", spec)
    assert routes == {}
    assert "has no router" in problems[0]


def test_a_mapping_names_routers_and_their_targets() -> None:
    spec = two_routers()
    assert resolve_expected_routes({"r": "s", "s": "Creative Writing"}, spec) == (
        {"r": "s", "s": "prose"},
        [],
    )
    routes, problems = resolve_expected_routes({"r": "code", "x": "math", "s": "code"}, spec)
    assert routes == {"s": "code"}
    assert problems == [
        "route 'code' is not a target of router 'r' (targets: math, s)",
        "route names 'x', which is not a router (routers: r, s)",
    ]


def test_octopus_template_domains_are_targets() -> None:
    spec = load_spec(get_template("octopus-v4-mmlu").spec())
    assert resolve_expected_routes("computer_science", spec) == ({"router": "computer_science"}, [])
    assert resolve_expected_routes("Computer Science", spec) == ({"router": "computer_science"}, [])
