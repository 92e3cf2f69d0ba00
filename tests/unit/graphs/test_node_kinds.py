"""Node kinds are described once, in ``graphs/``: their config's JSON Schema is derived from the
config dataclass, the editor's fixture is the served description, and a kind from outside
``graphs/nodes/`` is one registry call away."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphs import check
from graphs.nodes.describe import describe_kinds
from graphs.nodes.json_schema import config_schema
from graphs.nodes.registry import NODE_KINDS, register_kinds_from
from graphs.nodes.router import RouterConfig
from graphs.nodes.tool import ToolConfig

FIXTURE = Path(__file__).parents[3] / "frontend/src/graph/fixtures/nodeKinds.json"


@pytest.fixture
def stamp_kind() -> Iterator[None]:
    """The test-only ``stamp`` kind registered for one test."""
    before = dict(NODE_KINDS)
    register_kinds_from(["tests.node_kinds_extra"])
    yield
    NODE_KINDS.clear()
    NODE_KINDS.update(before)


def test_router_config_schema_names_types_defaults_and_required_keys() -> None:
    schema = config_schema(RouterConfig)
    assert schema["required"] == ["model"]
    assert schema["additionalProperties"] is False
    properties = schema["properties"]
    assert properties["model"] == {"type": "string"}
    assert properties["mode"] == {
        "enum": ["in-context", "functional-token", "embedding"],
        "default": "in-context",
    }
    assert properties["adapter"] == {
        "anyOf": [{"type": "string"}, {"type": "null"}],
        "default": None,
    }
    assert properties["timeout_s"] == {"type": "number", "default": 300.0}


def test_tool_config_schema_nests_the_webhook_and_argument_schemas() -> None:
    properties = config_schema(ToolConfig)["properties"]
    assert properties["arguments"]["type"] == "array"
    assert properties["arguments"]["items"]["required"] == ["name"]
    webhook = properties["webhook"]["anyOf"][0]
    assert webhook["properties"]["method"]["default"] == "POST"
    assert webhook["properties"]["headers_from_env"]["additionalProperties"] == {"type": "string"}


def test_every_kind_is_described_with_ports_defaults_and_a_starting_config_it_accepts() -> None:
    described = {kind["name"]: kind for kind in describe_kinds()}
    assert list(described) == ["input", "clip", "router", "model", "tool", "output"]
    assert described["input"]["ports"] == {"min_inputs": 0, "max_inputs": 0, "outputs": True}
    assert described["output"]["ports"]["outputs"] is False
    assert described["model"]["defaults"]["temperature"] == 0.7
    assert described["router"]["facts"] == {"max_in_context_candidates": 26}
    for kind in described.values():
        config = {**kind["new_config"]}
        if "model" in kind["config_schema"].get("required", []):
            config.setdefault("model", "smollm2-135m-instruct")
        spec = {"nodes": [{"id": "n", "kind": kind["name"], "config": config}], "edges": []}
        _, problems = check(spec)
        assert not [p for p in problems if p.code == "bad_config"], kind["name"]


def test_editor_fixture_is_the_served_description() -> None:
    """The Vitest fixture cannot drift: regenerate it with
    ``.venv/bin/python -m graphs.nodes.describe > frontend/src/graph/fixtures/nodeKinds.json``."""
    assert json.loads(FIXTURE.read_text()) == describe_kinds()


def test_a_kind_from_another_module_is_registered_validated_and_described(
    stamp_kind: None,
) -> None:
    described = describe_kinds()[-1]
    assert described["name"] == "stamp"
    assert set(described["config_schema"]["properties"]) == {"stamp", "repeat", "where", "shout"}
    spec = {
        "nodes": [
            {"id": "q", "kind": "input", "config": {}},
            {"id": "s", "kind": "stamp", "config": {"repeat": 9}},
            {"id": "out", "kind": "output", "config": {}},
        ],
        "edges": [
            {"id": "a", "source": "q", "target": "s"},
            {"id": "b", "source": "s", "target": "out"},
        ],
    }
    _, problems = check(spec)
    assert [(p.code, p.node, p.field) for p in problems] == [("bad_config", "s", "config.repeat")]


def test_registering_another_kind_under_a_taken_name_is_refused(stamp_kind: None) -> None:
    register_kinds_from(["tests.node_kinds_extra"])  # the same kinds again: harmless
    NODE_KINDS["stamp"] = NODE_KINDS["input"]
    with pytest.raises(ValueError, match="'stamp' is already registered"):
        register_kinds_from(["tests.node_kinds_extra"])
