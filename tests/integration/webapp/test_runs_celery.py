"""Runs through real Celery workers on a real Redis, compared with the in-process driver.

The worker processes are those of the ``workers`` fixture (``conftest.py``).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from graphs import load_spec
from graphs.engine.local_driver import LocalRun
from graphs.events import STRUCTURAL_TYPES, Event, EventType
from graphs.nodes.base import RunInput
from tests.integration.webapp.conftest import (
    HANGING_MODEL,
    api_client,
    database_url,
    single_model_graph,
    start_run_via_api,
    start_worker,
    template_graph,
    wait_for,
    wait_until_finished,
)
from webapp.catalog import services as catalog
from webapp.graphstore.models import Graph
from webapp.runs import driver, sweeper
from webapp.runs.models import Run
from workers import presence
from workers.backends.fake import FakeBackend
from workers.celery_app import ENDPOINTS_QUEUE
from workers.celery_app import app as celery_app
from workers.event_stream import EventStream

RUN_TIMEOUT_S = 30
# Measured per run, so they differ between drivers.
TIMING_FIELDS = ("latency_ms", "ttft_ms", "duration_ms")

pytestmark = pytest.mark.django_db(transaction=True)


def _endpoint_model(member: User, key: str) -> str:
    """Register ``key`` as one of the team's endpoint models (the fake serves any key)."""
    owner = User.objects.get(username="owner")
    catalog.endpoint_create(
        team=member.team,  # type: ignore[attr-defined]
        actor=owner,
        key=key,
        base_url="http://127.0.0.1:9/v1",
        model_name=key,
    )
    return key


def _wait(condition: Any, what: str, workers: dict[str, Any]) -> Any:
    """Poll ``condition()`` until it is truthy (its value) or fail with the workers' logs."""
    return wait_for(condition, what, workers["logs"], RUN_TIMEOUT_S, interval_s=0.05)


def _finished(run_id: int, workers: dict[str, Any]) -> Run:
    return wait_until_finished(Run, run_id, workers["logs"], RUN_TIMEOUT_S)


def _run_via_api(member: User, graph: Graph, text: str, workers: dict[str, Any]) -> Run:
    """Start a run through the API (as a viewer) and wait until it has finished."""
    return _finished(start_run_via_api(member, graph, text), workers)


def _local_events(graph: Graph, text: str, run_id: str) -> list[Event]:
    spec = load_spec(graph.versions.get(number=1).spec)
    local = LocalRun(spec, RunInput(text), FakeBackend(), run_id=run_id)
    return asyncio.run(local.execute()).events


def _shape(event: Event) -> tuple[int, str, str | None]:
    return (event.seq, str(event.type), event.node)


def _comparable(event: Event) -> dict[str, Any]:
    data = {k: v for k, v in event.to_json().items() if k != "ts"}
    data["data"] = {k: v for k, v in data["data"].items() if k not in TIMING_FIELDS}
    return data


def test_moa_lite_run_streams_every_event_and_stores_the_structural_ones(
    workers: dict[str, Any], member: User
) -> None:
    graph = template_graph(member, "moa-lite")
    text = "Name three primary colors."
    run = _run_via_api(member, graph, text, workers)

    assert run.status == "completed", run.error
    streamed = EventStream.from_settings().events_after(str(run.pk))
    assert [e.seq for e in streamed] == list(range(1, len(streamed) + 1))
    assert streamed[0].type is EventType.RUN_STARTED
    assert streamed[-1].type is EventType.RUN_COMPLETED
    assert run.last_seq == streamed[-1].seq

    # Every node's own events are in causal order: started, its prompt as sent (model nodes),
    # its deltas, completed.
    for node in {e.node for e in streamed if e.node}:
        kinds = [e.type for e in streamed if e.node == node]
        assert kinds[0] is EventType.NODE_STARTED
        assert kinds[-1] is EventType.NODE_COMPLETED
        deltas = kinds[2:-1] if kinds[1] is EventType.NODE_REQUEST else kinds[1:-1]
        assert set(deltas) <= {EventType.NODE_DELTA}
    layer = next(e for e in streamed if e.type is EventType.LAYER_COMPLETED)
    proposers = {a["node"] for a in layer.data["answers"]}
    assert all(
        e.seq < layer.seq for e in streamed if e.node in proposers and e.type != "node.started"
    )

    client = api_client(member)
    trace = client.get(f"/api/runs/{run.pk}/events/?after=0").json()
    assert trace == [
        {**e.to_json(), "data": dict(e.data)} for e in streamed if e.type in STRUCTURAL_TYPES
    ]
    detail = client.get(f"/api/runs/{run.pk}/").json()
    assert detail["status"] == "completed"
    assert [t["node"] for t in detail["timings"]] == [
        e.node for e in streamed if e.type is EventType.NODE_COMPLETED
    ]

    # The in-process driver produces the same events; only the order of events of the three
    # proposers, which run at the same time on the workers, may differ.
    local = _local_events(graph, text, str(run.pk))
    assert detail["output"] == local[-1].data["output"]
    assert sorted(map(_key, streamed)) == sorted(map(_key, local))


def _key(event: Event) -> str:
    comparable = _comparable(event)
    del comparable["seq"]
    return repr(sorted(comparable.items()))


def test_celery_and_in_process_drivers_emit_the_same_events(
    workers: dict[str, Any], member: User
) -> None:
    graph = template_graph(member, "router-basic")
    text = "Solve the equation 2x + 3 = 7 for x; this is math."
    run = _run_via_api(member, graph, text, workers)

    assert run.status == "completed", run.error
    streamed = EventStream.from_settings().events_after(str(run.pk))
    local = _local_events(graph, text, str(run.pk))
    assert [_shape(e) for e in streamed] == [_shape(e) for e in local]
    assert [_comparable(e) for e in streamed] == [_comparable(e) for e in local]


def test_cancel_stops_the_running_node_and_closes_the_trace(
    workers: dict[str, Any], member: User
) -> None:
    graph = single_model_graph(member, HANGING_MODEL, "stuck")
    run_id = start_run_via_api(member, graph, "Will this ever end?")
    task_id = _wait(
        lambda: Run.objects.get(pk=run_id).nodes.get("m", {}).get("task"), "dispatch", workers
    )
    log = workers["logs"] / "models.log"
    _wait(lambda: f"execute_node[{task_id}] received" in log.read_text(), "node start", workers)
    _wait(
        lambda: any(
            e.type is EventType.NODE_REQUEST
            for e in EventStream.from_settings().events_after(str(run_id))
        ),
        "the node's request",
        workers,
    )

    response = api_client(member).post(f"/api/runs/{run_id}/cancel/")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    assert response.json()["error"] == f"cancelled by {member.username}"
    # The node task notices that its run was closed and returns, freeing its worker.
    _wait(lambda: f"execute_node[{task_id}] succeeded" in log.read_text(), "node stop", workers)
    streamed = EventStream.from_settings().events_after(str(run_id))
    assert [(str(e.type), e.node) for e in streamed] == [
        ("run.started", None),
        ("node.started", "q"),
        ("node.completed", "q"),
        ("node.started", "m"),
        ("node.request", "m"),
        ("run.cancelled", None),
    ]
    trace = api_client(member).get(f"/api/runs/{run_id}/events/").json()
    assert [event["seq"] for event in trace] == [e.seq for e in streamed]


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


@contextmanager
def _runs_worker_not_consuming(queue: str, workers: dict[str, Any]) -> Iterator[None]:
    """The session's ``runs`` worker stops consuming ``queue`` for the block (Celery remote
    control, addressed to that worker by its node name), and consumes it again afterwards."""
    node = workers["runs_node"]
    # A broadcast reaches only a worker already listening: the session's worker may be booting.
    _wait(lambda: presence.worker_alive(node), f"{node} being ready", workers)
    replies = celery_app.control.cancel_consumer(queue, destination=[node], reply=True, timeout=5)
    assert [name for reply in replies for name in reply] == [node], replies
    try:
        yield
    finally:
        celery_app.control.add_consumer(queue, destination=[node], reply=True, timeout=5)


def test_a_node_whose_worker_process_is_killed_runs_again(
    workers: dict[str, Any], member: User, tmp_path: Path
) -> None:
    """Prefork pool: the task of a pool process killed mid-generation goes back to the queue
    (acks_late with reject_on_worker_lost) and the run completes on the next process. The
    deltas of the lost attempt stay in the stream; the structural events happen once, but for
    ``node.request``: each attempt records what it sent.

    The node is a team endpoint's (``ENDPOINTS_QUEUE``), served for the test by a prefork
    worker of the web app's Celery app alone: the session's runs worker, which serves that
    queue on threads, stops consuming it meanwhile, so the node can only run (twice) there."""
    model = _endpoint_model(member, "slow-model")
    log = tmp_path / "prefork.log"
    stream = EventStream.from_settings()
    with _runs_worker_not_consuming(ENDPOINTS_QUEUE, workers):
        worker = start_worker(
            "webapp.celery_app",
            ENDPOINTS_QUEUE,
            "prefork",
            log,
            "--pool=prefork",
            "--concurrency=1",
            DATABASE_URL=database_url(),
            DJANGO_SETTINGS_MODULE="webapp.settings",
            OCTOGRAPH_FAKE_BACKEND=json.dumps({"token_delay": 0.3}),
        )
        try:
            graph = single_model_graph(member, model, "slow")
            run_id = start_run_via_api(member, graph, "Take your time, and answer slowly.")
            _wait(
                lambda: any(
                    e.type is EventType.NODE_DELTA for e in stream.events_after(str(run_id))
                ),
                "the first token",
                workers,
            )
            (pool_process,) = _children(worker.pid)
            os.kill(pool_process, signal.SIGKILL)

            run = _finished(run_id, workers)
        finally:
            worker.terminate()
            worker.wait(10)

    assert run.status == "completed", run.error
    assert run.output.startswith("slow-model:"), run.output
    assert "WorkerLostError" in log.read_text()
    structural = [
        (str(e.type), e.node)
        for e in stream.events_after(str(run_id))
        if e.type in STRUCTURAL_TYPES
    ]
    assert structural == [
        ("run.started", None),
        ("node.started", "q"),
        ("node.completed", "q"),
        ("node.started", "m"),
        ("node.request", "m"),
        ("node.request", "m"),
        ("node.completed", "m"),
        ("node.started", "out"),
        ("node.completed", "out"),
        ("run.completed", None),
    ]


def test_a_run_whose_node_never_comes_back_is_failed_with_a_reason(
    workers: dict[str, Any], member: User
) -> None:
    """The model host took the node and stays alive, beating, but never answers (the fake
    hangs on ``HANGING_MODEL``): the sweep leaves it be while it beats, and fails the run once
    the node is past its deadline, instead of leaving it running. The hung task then notices
    that its run was closed and frees its worker."""
    graph = single_model_graph(member, HANGING_MODEL, "lost")
    run_id = start_run_via_api(member, graph, "Anyone there?")
    task_id = _wait(
        lambda: Run.objects.get(pk=run_id).nodes.get("m", {}).get("task"), "dispatch", workers
    )
    _wait(lambda: presence.task_status(task_id).beating, "the node's heartbeat", workers)

    assert sweeper.fail_lost_runs() == []
    # Alive and beating: left be however long it takes, up to its deadline.
    assert sweeper.fail_lost_runs(now=timezone.now() + driver.NODE_GRACE / 2) == []
    assert sweeper.fail_lost_runs(now=timezone.now() + timedelta(days=1)) == [run_id]

    run = Run.objects.get(pk=run_id)
    assert run.status == "failed"
    assert run.error == (
        "node 'm' failed: its worker was lost: no result before the node's deadline"
    )
    assert run.nodes == {}
    trace = api_client(member).get(f"/api/runs/{run_id}/events/").json()
    assert [(e["type"], e["node"]) for e in trace][-2:] == [
        ("node.failed", "m"),
        ("run.failed", None),
    ]
    assert trace[-2]["data"]["code"] == "lost"
    log = workers["logs"] / "models.log"
    _wait(lambda: f"execute_node[{task_id}] succeeded" in log.read_text(), "node stop", workers)
