"""`octograph run` on the real SmolLM2: the Mixture-of-Agents template end to end."""

from __future__ import annotations

import json

import pytest

from tests.octograph_cli import octograph

pytestmark = pytest.mark.slow


def test_moa_lite_streams_every_event_with_gap_free_seq() -> None:
    result = octograph(
        "run", "template:moa-lite", "--input", "Name three primary colors.", "--events", timeout=600
    )
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    types = [event["type"] for event in events]
    assert [event["seq"] for event in events] == list(range(1, len(events) + 1))
    assert types[0] == "run.started"
    assert types[-1] == "run.completed"
    assert types.count("layer.completed") == 2
    assert types.count("node.delta") > 3
    assert events[-1]["data"]["output"].strip()


def test_router_basic_prints_the_decision_and_the_answer() -> None:
    result = octograph("run", "template:router-basic", "--input", "2+2?", timeout=600)
    assert result.returncode == 0, result.stderr
    assert "[router] -> " in result.stderr
    assert result.stdout.strip()
