"""`octograph route` and `train-router`: usage errors that need no model say what to do."""

from __future__ import annotations

import os
import subprocess
import sys


def octograph(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workers.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


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
