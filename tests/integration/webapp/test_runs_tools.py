"""A run with a tool node through the API and the Celery ``runs`` worker, which executes the
tool inline while it advances the run: the call and its result reach the stored trace."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.integration.webapp.conftest import api_client, start_run_via_api, wait_for_run
from webapp.graphstore import services as graphstore

pytestmark = pytest.mark.django_db(transaction=True)


def _calculator_graph(member: User) -> Any:
    spec = {
        "spec": 1,
        "nodes": [
            {"id": "q", "kind": "input", "config": {}},
            {"id": "calc", "kind": "tool", "config": {"function": "calculator"}},
            {"id": "out", "kind": "output", "config": {}},
        ],
        "edges": [
            {"id": "e1", "source": "q", "target": "calc"},
            {"id": "e2", "source": "calc", "target": "out"},
        ],
    }
    owner = User.objects.get(username="owner")
    return graphstore.graph_create(team=member.team, actor=owner, name="calc", spec=spec)  # type: ignore[attr-defined]


def test_a_tool_run_stores_its_call_and_result(workers: dict[str, Any], member: User) -> None:
    graph = _calculator_graph(member)

    run = wait_for_run(start_run_via_api(member, graph, "17 * 23"))

    assert run.status == "completed", run.error
    assert run.output == "17 * 23 = 391"
    trace = api_client(member).get(f"/api/runs/{run.pk}/events/?after=0").json()
    tool_events = [(e["type"], e["node"]) for e in trace if e["type"].startswith("tool.")]
    assert tool_events == [("tool.call", "calc"), ("tool.result", "calc")]
    call = next(e["data"] for e in trace if e["type"] == "tool.call")
    assert call["arguments"] == {"expression": "17 * 23"}


def test_a_failing_tool_fails_the_run_with_its_reason(
    workers: dict[str, Any], member: User
) -> None:
    graph = _calculator_graph(member)

    run = wait_for_run(start_run_via_api(member, graph, "1 / 0"))

    assert run.status == "failed"
    assert run.error == "node 'calc' failed: division by zero"
