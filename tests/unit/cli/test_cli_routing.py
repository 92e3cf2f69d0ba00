"""`octograph route` and `train-router`: usage errors that need no model say what to do."""

from __future__ import annotations

import os
from pathlib import Path

from tests.octograph_cli import octograph


def test_route_names_the_routers_when_the_node_is_not_one() -> None:
    result = octograph("route", "template:router-basic", "--router", "math", "--input", "hi")
    assert result.returncode == 1
    assert "'math' is not a router node of this graph (routers: router)" in result.stderr


def test_train_router_refuses_a_node_that_is_not_a_router() -> None:
    result = octograph("train-router", "template:router-basic", "--router", "math")
    assert result.returncode == 1
    assert "node 'math' is a 'model' node, not a router" in result.stderr


def test_train_router_says_where_adapters_go() -> None:
    env = {k: v for k, v in os.environ.items() if k != "OCTOGRAPH_ADAPTERS_DIR"}
    result = octograph("train-router", "template:router-basic", "--router", "router", env=env)
    assert result.returncode == 1
    assert "set OCTOGRAPH_ADAPTERS_DIR" in result.stderr
    assert "--out" in result.stderr


def test_train_router_prints_progress_and_how_to_use_the_adapter(tmp_path: Path) -> None:
    env = {**os.environ, "OCTOGRAPH_FAKE_TRAINER": "true", "OCTOGRAPH_ADAPTERS_DIR": str(tmp_path)}
    result = octograph(
        "train-router", "template:router-basic", "--router", "router", "--epochs", "1", env=env
    )
    assert result.returncode == 0, result.stderr
    assert "step 1/" in result.stderr
    assert "val acc" in result.stderr
    assert f"saved router adapter {tmp_path / 'router-basic-router'}" in result.stdout
    assert '"adapter": "router-basic-router"' in result.stdout
    assert (tmp_path / "router-basic-router" / "functional_tokens.json").is_file()


def test_train_router_refuses_options_out_of_bounds() -> None:
    result = octograph(
        "train-router", "template:router-basic", "--router", "router", "--epochs", "0"
    )
    assert result.returncode == 1
    assert "epochs must be between 1 and 50, got 0" in result.stderr
