"""Validation reports every problem at once, each naming the node or edge and the field."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from graphs import SpecError, check, load_spec
from graphs.templates import TEMPLATES

MODEL = "smollm2-135m-instruct"


def router_graph() -> dict[str, Any]:
    return {
        "spec": 1,
        "nodes": [
            {"id": "q", "kind": "input", "position": {"x": 0, "y": 0}, "config": {}},
            {"id": "r", "kind": "router", "config": {"model": MODEL}},
            {"id": "m", "kind": "model", "config": {"model": MODEL, "system": "Math expert."}},
            {"id": "w", "kind": "model", "config": {"model": MODEL}},
            {"id": "out", "kind": "output", "config": {}},
        ],
        "edges": [
            {"id": "e1", "source": "q", "target": "r"},
            {"id": "e2", "source": "r", "target": "m", "data": {"token": 0, "description": "math"}},
            {
                "id": "e3",
                "source": "r",
                "target": "w",
                "data": {"token": 1, "description": "prose"},
            },
            {"id": "e4", "source": "m", "target": "out"},
            {"id": "e5", "source": "w", "target": "out"},
        ],
    }


def codes(data: object, **kwargs: Any) -> list[tuple[str, str | None, str | None, str | None]]:
    _, problems = check(data, **kwargs)
    return [(p.code, p.node, p.edge, p.field) for p in problems]


def test_valid_router_graph_has_no_problems() -> None:
    assert codes(router_graph(), known_models=[MODEL]) == []


def test_spec_round_trips_unchanged() -> None:
    data = router_graph()
    assert load_spec(data).to_json() == {
        **data,
        "nodes": [
            {**node, "position": node.get("position", {"x": 0.0, "y": 0.0})}
            for node in data["nodes"]
        ],
    }


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_every_template_is_valid(name: str) -> None:
    assert codes(TEMPLATES[name].spec(), known_models=[MODEL, "clip-vit-b-32"]) == []


@pytest.mark.parametrize("data", [None, [], "graph", 3])
def test_non_object_spec_is_malformed(data: object) -> None:
    assert codes(data) == [("malformed", None, None, None)]


def test_unknown_kind_names_the_node_and_field() -> None:
    data = router_graph()
    data["nodes"][3]["kind"] = "wizard"
    assert ("unknown_kind", "w", None, "kind") in codes(data)


def test_bad_config_reports_every_field() -> None:
    data = router_graph()
    data["nodes"][2]["config"] = {"model": MODEL, "temperature": 9, "colour": "red"}
    data["nodes"][3]["config"] = {"max_tokens": "many"}
    found = codes(data)
    assert ("bad_config", "m", None, "config.colour") in found
    assert ("bad_config", "w", None, "config.model") in found
    assert ("bad_config", "w", None, "config.max_tokens") in found
    # Range checks run once the types are right.
    data["nodes"][2]["config"] = {"model": MODEL, "temperature": 9}
    assert ("bad_config", "m", None, "config.temperature") in codes(data)


def test_duplicate_node_and_edge_ids_are_reported() -> None:
    data = router_graph()
    data["nodes"].append(copy.deepcopy(data["nodes"][2]))
    data["edges"].append({"id": "e4", "source": "q", "target": "out"})
    found = codes(data)
    assert ("duplicate_id", "m", None, None) in found
    assert ("duplicate_id", None, "e4", None) in found


def test_dangling_edges_name_the_missing_end() -> None:
    data = router_graph()
    data["edges"].append({"id": "ghost", "source": "m", "target": "nowhere"})
    assert ("dangling_edge", None, "ghost", "target") in codes(data)


def test_cycles_are_reported_with_their_path() -> None:
    data = router_graph()
    data["edges"].append({"id": "back", "source": "m", "target": "r"})
    _, problems = check(data)
    cycle = [p for p in problems if p.code == "cycle"]
    assert len(cycle) == 1
    assert "r -> m -> r" in cycle[0].message or "m -> r -> m" in cycle[0].message


def test_router_edge_without_token_is_rejected() -> None:
    data = router_graph()
    del data["edges"][1]["data"]["token"]
    assert ("router_token_missing", None, "e2", "data.token") in codes(data)


def test_router_edges_repeating_a_token_are_rejected() -> None:
    data = router_graph()
    data["edges"][2]["data"]["token"] = 0
    found = codes(data)
    assert ("router_token_duplicate", None, "e2", "data.token") in found
    assert ("router_token_duplicate", None, "e3", "data.token") in found


def test_router_edge_without_description_is_rejected() -> None:
    data = router_graph()
    data["edges"][2]["data"]["description"] = "  "
    assert ("router_description_missing", None, "e3", "data.description") in codes(data)


def test_output_without_path_from_input_is_reported() -> None:
    data = router_graph()
    data["nodes"].append({"id": "lonely", "kind": "output"})
    assert ("output_unreachable", "lonely", None, None) in codes(data)


def test_node_whose_answer_goes_nowhere_is_reported() -> None:
    data = router_graph()
    data["edges"] = [e for e in data["edges"] if e["id"] != "e5"]
    assert ("dead_end", "w", None, None) in codes(data)


def test_graph_needs_exactly_one_input_and_an_output() -> None:
    data = router_graph()
    data["nodes"] = [n for n in data["nodes"] if n["kind"] not in ("input", "output")]
    data["edges"] = []
    found = codes(data)
    assert ("no_input", None, None, None) in found
    assert ("no_output", None, None, None) in found
    data = router_graph()
    data["nodes"].append({"id": "q2", "kind": "input"})
    assert ("multiple_inputs", "q2", None, None) in codes(data)


def test_model_naming_an_unknown_model_is_reported() -> None:
    data = router_graph()
    data["nodes"][3]["config"]["model"] = "gpt-17"
    assert ("unknown_model", "w", None, "config.model") in codes(data, known_models=[MODEL])
    assert codes(data) == []  # without a catalog, model names are not checked


def test_load_spec_raises_with_every_problem() -> None:
    data = router_graph()
    data["nodes"][3]["kind"] = "wizard"
    data["edges"][1]["data"] = {}
    with pytest.raises(SpecError) as caught:
        load_spec(data)
    messages = str(caught.value).splitlines()
    assert any(line.startswith("node 'w': kind:") for line in messages)
    assert any(line.startswith("edge 'e2': data.token:") for line in messages)
