"""Runs through real Celery workers on a real Redis, compared with the in-process driver.

Two worker processes are started once for this module, as in production: a ``runs`` worker
(Django, the test database) and a model host for the model the templates use (no database, the
fake backend: ``OCTOGRAPH_FAKE_BACKEND=1``), serving several nodes at once on threads.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.db import connection
from rest_framework.test import APIClient

from graphs import load_spec
from graphs.engine.local_driver import LocalRun
from graphs.events import STRUCTURAL_TYPES, Event, EventType
from graphs.nodes.base import RunInput
from graphs.templates import get_template
from graphs.templates.builder import DEFAULT_MODEL
from webapp.accounts import services as accounts
from webapp.accounts.models import Role
from webapp.graphstore import services as graphstore
from webapp.graphstore.models import Graph
from webapp.runs.models import Run
from workers.backends.fake import FakeBackend
from workers.celery_app import node_queue
from workers.event_stream import EventStream

ROOT = Path(__file__).resolve().parents[3]
RUN_TIMEOUT_S = 30
# Measured per run, so they differ between drivers.
TIMING_FIELDS = ("latency_ms",)

pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    """The URL of the test database (pytest-django's), for the worker processes."""
    settings = connection.settings_dict
    if settings["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{settings['NAME']}"
    user = quote(settings["USER"] or "")
    password = f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{settings['NAME']}"


def _worker(app: str, queues: str, name: str, log: Path, *extra: str, **env: str) -> Any:
    command = [
        *(sys.executable, "-m", "celery", "-A", app, "worker", "-Q", queues),
        *("-n", f"{name}-{os.getpid()}@%h", "-l", "info"),
        *("--without-gossip", "--without-mingle", "--without-heartbeat", *extra),
    ]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


@pytest.fixture(scope="module")
def workers(
    django_db_setup: None,
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, Any]]:
    """The two worker processes (stopped at the end); ``logs`` for failure messages."""
    logs = tmp_path_factory.mktemp("celery")
    with django_db_blocker.unblock():
        database_url = _database_url()
    processes = {
        "runs": _worker(
            "webapp.celery_app",
            "runs",
            "runs",
            logs / "runs.log",
            "--pool=solo",
            DATABASE_URL=database_url,
            DJANGO_SETTINGS_MODULE="webapp.settings",
        ),
        "models": _worker(
            "workers.celery_app",
            node_queue(DEFAULT_MODEL),
            "models",
            logs / "models.log",
            "--pool=threads",
            "--concurrency=4",
            OCTOGRAPH_FAKE_BACKEND="1",
        ),
    }
    yield {"processes": processes, "logs": logs}
    for process in processes.values():
        process.terminate()
    for process in processes.values():
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def member(db: None) -> User:
    user = accounts.user_signup(username="runner", password="correct horse battery staple")
    owner = accounts.user_signup(username="owner", password="correct horse battery staple")
    team = accounts.team_create(name="Lab", actor=owner)
    accounts.membership_add(team=team, actor=owner, username=user.username, role=Role.VIEWER)
    user.team = team  # type: ignore[attr-defined]
    return user


def _graph(member: User, template: str) -> Graph:
    owner = User.objects.get(username="owner")
    spec = get_template(template).spec()
    return graphstore.graph_create(team=member.team, actor=owner, name=template, spec=spec)  # type: ignore[attr-defined]


def _run_via_api(member: User, graph: Graph, text: str, workers: dict[str, Any]) -> Run:
    """Start a run through the API (as a viewer) and wait until it has finished."""
    client = APIClient()
    client.force_authenticate(member)
    response = client.post(f"/api/graphs/{graph.pk}/runs/", {"input": text}, format="json")
    assert response.status_code == 201, response.content
    run_id = response.json()["id"]
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline:
        run = Run.objects.get(pk=run_id)
        if run.finished:
            return run
        time.sleep(0.1)
    logs = "\n".join(
        f"--- {log.name}\n{log.read_text()[-3000:]}" for log in workers["logs"].iterdir()
    )
    pytest.fail(f"run {run_id} did not finish in {RUN_TIMEOUT_S} s: {run.status}\n{logs}")


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
    graph = _graph(member, "moa-lite")
    text = "Name three primary colors."
    run = _run_via_api(member, graph, text, workers)

    assert run.status == "completed", run.error
    streamed = EventStream.from_settings().events_after(str(run.pk))
    assert [e.seq for e in streamed] == list(range(1, len(streamed) + 1))
    assert streamed[0].type is EventType.RUN_STARTED
    assert streamed[-1].type is EventType.RUN_COMPLETED
    assert run.last_seq == streamed[-1].seq

    # Every node's own events are in causal order: started, its deltas, completed.
    for node in {e.node for e in streamed if e.node}:
        kinds = [e.type for e in streamed if e.node == node]
        assert kinds[0] is EventType.NODE_STARTED
        assert kinds[-1] is EventType.NODE_COMPLETED
        assert set(kinds[1:-1]) <= {EventType.NODE_DELTA}
    layer = next(e for e in streamed if e.type is EventType.LAYER_COMPLETED)
    proposers = {a["node"] for a in layer.data["answers"]}
    assert all(
        e.seq < layer.seq for e in streamed if e.node in proposers and e.type != "node.started"
    )

    client = APIClient()
    client.force_authenticate(member)
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
    graph = _graph(member, "router-basic")
    text = "Solve the equation 2x + 3 = 7 for x; this is math."
    run = _run_via_api(member, graph, text, workers)

    assert run.status == "completed", run.error
    streamed = EventStream.from_settings().events_after(str(run.pk))
    local = _local_events(graph, text, str(run.pk))
    assert [_shape(e) for e in streamed] == [_shape(e) for e in local]
    assert [_comparable(e) for e in streamed] == [_comparable(e) for e in local]
