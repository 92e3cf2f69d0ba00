"""The runs API without workers: creating queues the start after commit, reading, paging the
trace, cancelling a queued run. (Runs through real workers: ``test_runs_celery``.)"""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from webapp.graphstore.models import Graph
from webapp.runs import driver, enqueue, services
from webapp.runs.models import Run, RunEvent


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Ids the ``start_run`` task was sent, instead of sending it."""
    sent: list[int] = []
    monkeypatch.setattr(enqueue, "start_run", sent.append)
    return sent


def test_a_viewer_starts_a_run_queued_after_commit(
    as_viewer: APIClient, graph: Graph, started: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = as_viewer.post(f"/api/graphs/{graph.pk}/runs/", {"input": "Hi"}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["version"], body["input"]) == ("queued", 1, "Hi")
    assert (body["created_by"], body["timings"], body["duration_ms"]) == ("vera", [], None)
    assert started == [body["id"]]


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"input": "   "}, "empty_input"),
        ({}, "invalid_input"),
        ({"input": "x", "version": 9}, None),
    ],
)
def test_bad_run_requests_are_refused(
    as_viewer: APIClient, graph: Graph, started: list[int], payload: dict[str, Any], code: Any
) -> None:
    response = as_viewer.post(f"/api/graphs/{graph.pk}/runs/", payload, format="json")

    assert response.status_code == (404 if code is None else 400), response.content
    assert response.json()["code"] == (code or "not_found")
    assert not Run.objects.exists()


def test_runs_are_listed_newest_first(as_viewer: APIClient, graph: Graph, owner: Any) -> None:
    first = services.run_create(graph=graph, actor=owner, text="one")
    second = services.run_create(graph=graph, actor=owner, text="two")

    response = as_viewer.get(f"/api/graphs/{graph.pk}/runs/")
    latest = as_viewer.get(f"/api/graphs/{graph.pk}/runs/?page_size=1")

    assert [run["id"] for run in response.json()["results"]] == [second.pk, first.pk]
    assert [run["id"] for run in latest.json()["results"]] == [second.pk]


def test_the_trace_pages_after_a_seq(as_viewer: APIClient, graph: Graph, owner: Any) -> None:
    run = services.run_create(graph=graph, actor=owner, text="one")
    RunEvent.objects.bulk_create(
        RunEvent(run=run, seq=seq, ts="t", type="node.started", node=f"n{seq}") for seq in (1, 2, 3)
    )

    response = as_viewer.get(f"/api/runs/{run.pk}/events/?after=1")

    assert [(e["seq"], e["node"], e["run"]) for e in response.json()] == [
        (2, "n2", str(run.pk)),
        (3, "n3", str(run.pk)),
    ]


def test_cancelling_a_queued_run_records_the_reason_once(
    as_viewer: APIClient, graph: Graph, viewer: Any
) -> None:
    run = services.run_create(graph=graph, actor=viewer, text="never mind")

    first = as_viewer.post(f"/api/runs/{run.pk}/cancel/").json()
    again = as_viewer.post(f"/api/runs/{run.pk}/cancel/").json()
    driver.run_start(run_id=run.pk)  # the start task, arriving late, does nothing

    assert (first["status"], first["error"]) == ("cancelled", "cancelled by vera")
    assert again == first
    trace = as_viewer.get(f"/api/runs/{run.pk}/events/").json()
    assert [(e["seq"], e["type"], e["data"]) for e in trace] == [
        (1, "run.cancelled", {"reason": "cancelled by vera"})
    ]


def test_a_version_that_no_longer_loads_fails_the_run_with_the_reason(
    graph: Graph, owner: Any
) -> None:
    run = services.run_create(graph=graph, actor=owner, text="hello")
    version = run.version
    version.spec = {**version.spec, "nodes": [{"id": "q", "kind": "teleporter", "config": {}}]}
    version.save()

    driver.run_start(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == "failed"
    assert run.error.startswith("the graph version does not load: ")
    assert list(run.events.values_list("type", flat=True)) == ["run.failed"]
