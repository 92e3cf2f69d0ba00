"""Experiments through real Celery workers (the ``workers`` fixture: a ``runs`` worker and a model
host on the fake backend), each row a real run: the router's confusion matrix equals the known
answers, routing-only runs stop at the router, cancel stops the runs under way, and
``/ws/experiments/<id>/`` streams the progress until the end."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User

from tests.integration.webapp.conftest import HANGING_MODEL, MODEL, api_client
from tests.integration.webapp.test_evaluation_experiments import (
    KNOWN_CONFUSION,
    ROUTE_ROWS,
    make_dataset,
    routed_spec,
)
from webapp.accounts.services import token_issue
from webapp.asgi import application
from webapp.evaluation.models import Dataset, Experiment, ExperimentRow
from webapp.graphstore import services as graphstore
from webapp.graphstore.models import Graph
from webapp.runs.models import Run, RunEvent

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT_S = 60
ORIGIN = (b"origin", b"http://localhost")


def _setup(member: User, worker_model: str = MODEL) -> tuple[Graph, Dataset]:
    owner = User.objects.get(username="owner")
    team = member.team  # type: ignore[attr-defined]
    graph = graphstore.graph_create(
        team=team, actor=owner, name="Routed", spec=routed_spec(worker_model)
    )
    return graph, make_dataset(team, owner, ROUTE_ROWS, "routes")


def _start(member: User, graph: Graph, dataset: Dataset, **body: Any) -> int:
    response = api_client(member).post(
        f"/api/graphs/{graph.pk}/experiments/", {"dataset": dataset.pk, **body}, format="json"
    )
    assert response.status_code == 201, response.content
    experiment_id: int = response.json()["id"]
    return experiment_id


def _wait(condition: Any, what: str, workers: dict[str, Any]) -> Any:
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    logs = "\n".join(
        f"--- {log.name}\n{log.read_text()[-3000:]}" for log in workers["logs"].iterdir()
    )
    pytest.fail(f"{what} did not happen in {TIMEOUT_S} s\n{logs}")


def _finished(experiment_id: int, workers: dict[str, Any]) -> Experiment:
    def finished() -> Experiment | None:
        experiment = Experiment.objects.get(pk=experiment_id)
        return experiment if experiment.finished else None

    experiment: Experiment = _wait(finished, f"experiment {experiment_id} finishing", workers)
    return experiment


def test_an_experiment_on_the_fake_backend_completes_with_the_known_confusion(
    workers: dict[str, Any], member: User
) -> None:
    graph, dataset = _setup(member)
    experiment = _finished(_start(member, graph, dataset, concurrency=2), workers)

    assert (experiment.status, experiment.error) == ("completed", "")
    assert (experiment.total, experiment.done, experiment.failed) == (5, 5, 0)
    assert experiment.routing_only is False
    router = experiment.summary["routers"]["router"]
    assert router["confusion"] == KNOWN_CONFUSION
    assert router["accuracy"] == 0.6
    assert experiment.summary["metrics"]["route"] == 0.6
    assert experiment.summary["latency_ms"]["p50"] > 0
    rows = ExperimentRow.objects.filter(experiment=experiment).select_related("run")
    assert {row.status for row in rows} == {"scored"}
    # Every row's run went through the chosen worker to the output.
    for row in rows:
        assert row.run is not None
        assert row.run.status == "completed"
        assert row.run.output.startswith(f"{MODEL}:")
        assert (
            row.observation["decisions"]["router"]["target"] in row.observation["node_latency_ms"]
        )


def test_a_routing_only_experiment_stops_each_run_at_its_router(
    workers: dict[str, Any], member: User
) -> None:
    graph, dataset = _setup(member)
    experiment = _finished(_start(member, graph, dataset, scorers=["route"]), workers)

    assert experiment.status == "completed"
    assert experiment.routing_only is True
    assert experiment.summary["routers"]["router"]["confusion"] == KNOWN_CONFUSION
    runs = Run.objects.filter(experiment_row__experiment=experiment)
    assert runs.count() == 5
    assert {(run.status, run.output, run.routing_only) for run in runs} == {("completed", "", True)}
    started = set(
        RunEvent.objects.filter(run__in=runs, type="node.started").values_list("node", flat=True)
    )
    assert started == {"q", "router"}


def test_cancelling_an_experiment_under_way_cancels_its_runs(
    workers: dict[str, Any], member: User
) -> None:
    graph, dataset = _setup(member, worker_model=HANGING_MODEL)
    experiment_id = _start(member, graph, dataset, concurrency=2)

    def hanging_runs() -> list[Run]:
        runs = list(
            Run.objects.filter(
                experiment_row__experiment_id=experiment_id, status="running"
            ).exclude(nodes={})
        )
        return runs if len(runs) == 2 else []

    under_way = _wait(hanging_runs, "two runs waiting on their workers", workers)
    response = api_client(member).post(f"/api/experiments/{experiment_id}/cancel/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["error"]) == ("cancelled", "cancelled by runner")
    assert body["progress"] == {**body["progress"], "done": 0, "running": 0}
    for run in under_way:
        run.refresh_from_db()
        assert run.status == "cancelled"
    statuses = ExperimentRow.objects.filter(experiment_id=experiment_id).values_list(
        "status", flat=True
    )
    assert set(statuses) == {"pending"}
    time.sleep(1)  # the runs' notices arrive and change nothing
    assert Experiment.objects.get(pk=experiment_id).revision == body["revision"]


def _socket(experiment_id: int, token: str | None) -> Any:
    query = f"?token={token}" if token else ""
    return WebsocketCommunicator(
        application, f"/ws/experiments/{experiment_id}/{query}", headers=[ORIGIN]
    )


async def _frames_until_closed(socket: Any) -> tuple[list[Any], int]:
    frames = []
    while True:
        message = await socket.receive_output(TIMEOUT_S)
        if message["type"] == "websocket.close":
            return frames, message.get("code", 1000)
        frames.append(json.loads(message["text"]))


async def test_the_socket_streams_progress_until_the_experiment_completes(
    workers: dict[str, Any], member: User
) -> None:
    graph, dataset = await sync_to_async(_setup)(member)
    token = (await sync_to_async(token_issue)(user=member)).key
    experiment_id = await sync_to_async(_start)(member, graph, dataset, concurrency=1)

    socket = _socket(experiment_id, token)
    connected, code = await socket.connect(TIMEOUT_S)
    assert connected, code
    frames, code = await _frames_until_closed(socket)
    await socket.disconnect()

    assert code == 1000
    revisions = [frame["revision"] for frame in frames]
    assert revisions == sorted(set(revisions))
    done = [frame["progress"]["done"] for frame in frames]
    assert done == sorted(done)
    assert len(set(done)) > 1, done  # it saw the experiment under way
    last = frames[-1]
    assert last["status"] == "completed"
    assert last["progress"]["done"] == last["progress"]["total"] == 5
    assert last["summary"]["routers"]["router"]["confusion"] == KNOWN_CONFUSION

    again = _socket(experiment_id, token)
    assert (await again.connect(TIMEOUT_S))[0]
    replayed, code = await _frames_until_closed(again)
    await again.disconnect()
    assert (replayed, code) == ([last], 1000)


async def test_only_members_may_follow_an_experiment(
    workers: dict[str, Any], member: User, make_user: Any
) -> None:
    graph, dataset = await sync_to_async(_setup)(member)
    experiment_id = await sync_to_async(_start)(member, graph, dataset, scorers=["route"])
    outsider = await sync_to_async(make_user)("outsider")
    outsider_token = (await sync_to_async(token_issue)(user=outsider)).key
    for token, expected in ((outsider_token, 4404), (None, 4401)):
        socket = _socket(experiment_id, token)
        assert await socket.connect(5) == (False, expected)
        await socket.disconnect()
    await sync_to_async(_finished)(experiment_id, workers)
