"""`octograph validate` and `templates`: clear messages naming ids, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graphs.templates import TEMPLATES
from tests.octograph_cli import octograph


def write(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "graph.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


def broken(change: str) -> dict[str, Any]:
    data = TEMPLATES["router-basic"].spec()
    nodes = {node["id"]: node for node in data["nodes"]}
    edges = {edge["id"]: edge for edge in data["edges"]}
    if change == "unknown_kind":
        nodes["math"]["kind"] = "calculator9000"
    elif change == "bad_config":
        nodes["code"]["config"]["temperature"] = 7
    elif change == "duplicate_id":
        data["nodes"].append(dict(nodes["math"]))
    elif change == "dangling_edge":
        data["edges"].append({"id": "loose", "source": "math", "target": "nowhere"})
    elif change == "cycle":
        data["edges"].append({"id": "loop", "source": "math", "target": "router"})
    elif change == "router_token_missing":
        del edges["router->code"]["data"]["token"]
    elif change == "router_token_duplicate":
        edges["router->code"]["data"]["token"] = 0
    elif change == "output_unreachable":
        data["edges"] = [e for e in data["edges"] if e["target"] != "output"]
    elif change == "unknown_model":
        nodes["writing"]["config"]["model"] = "gpt-17"
    return data


CASES = {
    "unknown_kind": "node 'math': kind: unknown kind 'calculator9000'",
    "bad_config": "node 'code': config.temperature: must be between 0 and 2",
    "duplicate_id": "node 'math': another node has this id",
    "dangling_edge": "edge 'loose': target: no valid node 'nowhere'",
    "cycle": "node 'router': the graph has a cycle: router -> math -> router",
    "router_token_missing": "edge 'router->code': data.token:",
    "router_token_duplicate": "edge 'router->code': data.token: token 0 is used",
    "output_unreachable": "node 'output': no path leads here from the input node",
    "unknown_model": "node 'writing': config.model: unknown model 'gpt-17'",
}


@pytest.mark.parametrize("case", list(CASES))
def test_invalid_graph_exits_1_naming_the_problem(tmp_path: Path, case: str) -> None:
    path = write(tmp_path, broken(case))
    result = octograph("validate", path)
    assert result.returncode == 1
    assert f"{path}: {CASES[case]}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"nodes": [', "not valid JSON: Expecting value at line 1 column 12"),
        ("[1, 2]", "a graph spec must be a JSON object"),
        ("\udcff", "cannot read"),
    ],
)
def test_unreadable_graph_files_get_a_clear_error(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "graph.json"
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    result = octograph("validate", str(path))
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_and_unknown_template_are_named(tmp_path: Path) -> None:
    assert "no such file" in octograph("validate", str(tmp_path / "nope.json")).stderr
    result = octograph("validate", "template:nope")
    assert result.returncode == 1
    assert "unknown template 'nope' (known: moa-lite" in result.stderr


def test_every_problem_is_reported_one_per_line(tmp_path: Path) -> None:
    data = broken("cycle")
    data["nodes"][3]["config"]["temperature"] = -1
    result = octograph("validate", write(tmp_path, data))
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2


def test_valid_graph_passes(tmp_path: Path) -> None:
    result = octograph("validate", write(tmp_path, TEMPLATES["moa-lite"].spec()))
    assert result.returncode == 0
    assert "valid (6 nodes, 7 edges)" in result.stdout


def test_templates_are_listed() -> None:
    result = octograph("templates")
    assert result.returncode == 0
    for name in TEMPLATES:
        assert name in result.stdout


def test_empty_input_is_refused_before_loading_models() -> None:
    result = octograph("run", "template:moa-lite", "--input", "  ")
    assert result.returncode == 1
    assert "non-empty input text" in result.stderr
