"""`octograph route` on the real SmolLM2 with the packaged 17-domain router adapter."""

from __future__ import annotations

import json

import pytest

from tests.octograph_cli import octograph

pytestmark = pytest.mark.slow


def test_route_prints_the_decision_of_the_packaged_mmlu_router() -> None:
    result = octograph(
        "route",
        "template:octopus-v4-mmlu",
        "--router",
        "router",
        "--input",
        "What is the derivative of x^3 with respect to x?",
        "--json",
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert decision["mode"] == "functional-token"
    assert decision["target"] == "math"
    assert decision["token"] == 4
    assert decision["edge"] == "router->math"
    assert len(decision["scores"]) == 17
    assert abs(sum(decision["scores"].values()) - 1) < 1e-3
    assert [c["token"] for c in decision["candidates"]] == list(range(17))
    assert decision["query"].strip()
