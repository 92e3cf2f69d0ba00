"""diff_specs reports nodes and edges added, removed and changed, with the changed fields."""

from __future__ import annotations

import copy
from typing import Any

from graphs.diff import diff_specs
from graphs.templates import get_template


def base() -> dict[str, Any]:
    return {
        "spec": 1,
        "nodes": [
            {"id": "q", "kind": "input", "position": {"x": 0, "y": 0}, "config": {}},
            {
                "id": "m",
                "kind": "model",
                "position": {"x": 200, "y": 0},
                "config": {"model": "smollm2-135m-instruct", "temperature": 0.2},
            },
            {"id": "out", "kind": "output", "position": {"x": 400, "y": 0}, "config": {}},
        ],
        "edges": [
            {"id": "e1", "source": "q", "target": "m"},
            {"id": "e2", "source": "m", "target": "out"},
        ],
    }


def test_identical_specs_have_an_empty_diff() -> None:
    assert diff_specs(base(), base()) == {
        "nodes": {"added": [], "removed": [], "changed": [], "moved": []},
        "edges": {"added": [], "removed": [], "changed": []},
        "meta": {},
    }


def test_added_and_removed_nodes_and_edges_are_listed_by_id() -> None:
    new = base()
    new["nodes"].insert(2, {"id": "w", "kind": "model", "config": {"model": "x"}})
    new["edges"] = [
        {"id": "e1", "source": "q", "target": "m"},
        {"id": "e3", "source": "m", "target": "w"},
        {"id": "e4", "source": "w", "target": "out"},
    ]
    diff = diff_specs(base(), new)
    assert diff["nodes"]["added"] == ["w"]
    assert diff["nodes"]["removed"] == []
    assert diff["edges"]["added"] == ["e3", "e4"]
    assert diff["edges"]["removed"] == ["e2"]


def test_changed_config_fields_are_named_with_before_and_after() -> None:
    new = base()
    new["nodes"][1]["config"]["temperature"] = 0.7
    new["nodes"][1]["config"]["system"] = "Be brief."
    new["nodes"][1]["label"] = "Worker"
    diff = diff_specs(base(), new)
    assert diff["nodes"]["changed"] == [
        {
            "id": "m",
            "fields": {
                "config.temperature": {"from": 0.2, "to": 0.7},
                "config.system": {"from": None, "to": "Be brief."},
                "label": {"from": None, "to": "Worker"},
            },
        }
    ]


def test_kind_change_is_a_field_change() -> None:
    new = base()
    new["nodes"][1]["kind"] = "router"
    assert diff_specs(base(), new)["nodes"]["changed"] == [
        {"id": "m", "fields": {"kind": {"from": "model", "to": "router"}}}
    ]


def test_moving_a_node_is_reported_as_moved_not_changed() -> None:
    new = base()
    new["nodes"][0]["position"] = {"x": 10, "y": 50}
    diff = diff_specs(base(), new)
    assert diff["nodes"]["changed"] == []
    assert diff["nodes"]["moved"] == [
        {"id": "q", "from": {"x": 0, "y": 0}, "to": {"x": 10, "y": 50}}
    ]


def test_edge_rewiring_and_data_changes_are_field_changes() -> None:
    old = base()
    old["edges"][0]["data"] = {"token": 0, "description": "math"}
    new = copy.deepcopy(old)
    new["edges"][0]["data"] = {"token": 3, "description": "math and physics"}
    new["edges"][1]["source"] = "q"
    diff = diff_specs(old, new)
    assert diff["edges"]["changed"] == [
        {
            "id": "e1",
            "fields": {
                "data.token": {"from": 0, "to": 3},
                "data.description": {"from": "math", "to": "math and physics"},
            },
        },
        {"id": "e2", "fields": {"source": {"from": "m", "to": "q"}}},
    ]


def test_meta_changes_are_reported() -> None:
    old, new = base(), base()
    old["meta"] = {"title": "Old"}
    new["meta"] = {"title": "New", "description": "d"}
    assert diff_specs(old, new)["meta"] == {
        "title": {"from": "Old", "to": "New"},
        "description": {"from": None, "to": "d"},
    }


def test_malformed_elements_are_skipped_instead_of_raising() -> None:
    old = {"nodes": "not a list", "edges": [1, {"no": "id"}]}
    new = {"nodes": [{"id": "a", "kind": "input"}, {"id": "a", "kind": "output"}], "meta": []}
    diff = diff_specs(old, new)
    assert diff["nodes"]["added"] == ["a"]
    assert diff["edges"] == {"added": [], "removed": [], "changed": []}


def test_template_against_itself_with_one_edit_reports_exactly_that_edit() -> None:
    old = get_template("router-basic").spec()
    new = copy.deepcopy(old)
    new["nodes"][-1]["config"]["system"] = "Changed."
    diff = diff_specs(old, new)
    assert [change["id"] for change in diff["nodes"]["changed"]] == [new["nodes"][-1]["id"]]
    assert list(diff["nodes"]["changed"][0]["fields"]) == ["config.system"]
