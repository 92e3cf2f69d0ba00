"""Experiments through real Celery workers (the ``workers`` fixture: a ``runs`` worker and a model
host on the fake backend), each row a real run: the router's confusion matrix equals the known
answers, routing-only runs stop at the router, cancel stops the runs under way,
``/ws/experiments/<id>/`` streams the progress until the end, and an experiment whose ``runs``
worker is killed mid-way resumes (through the periodic sweeps) without scoring a row twice."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from tests.integration.webapp.conftest import (
    HANGING_MODEL,
    MODEL,
    SESSION_SWEEP_S,
    api_client,
    database_url,
    follow_until_closed,
    single_model_graph,
    start_worker,
    wait_for,
    wait_until_finished,
    worker_node,
)
from tests.integration.webapp.sockets import refusal
from tests.integration.webapp.test_evaluation_experiments import (
    KNOWN_CONFUSION,
    ROUTE_ROWS,
    make_dataset,
    routed_spec,
)
from webapp.accounts.services import token_issue
from webapp.asgi import application
from webapp.evaluation import tasks as evaluation_tasks
from webapp.evaluation.models import Dataset, Experiment, ExperimentRow
from webapp.graphstore import services as graphstore
from webapp.graphstore.models import Graph
from webapp.runs import driver, sweeper
from webapp.runs.models import Run, RunEvent
from workers.celery_app import app, node_queue

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
    return wait_for(condition, what, workers["logs"], TIMEOUT_S)


def _finished(experiment_id: int, workers: dict[str, Any]) -> Experiment:
    return wait_until_finished(Experiment, experiment_id, workers["logs"], TIMEOUT_S, 0.1)


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


async def test_the_socket_streams_progress_until_the_experiment_completes(
    workers: dict[str, Any], member: User
) -> None:
    graph, dataset = await sync_to_async(_setup)(member)
    token = (await sync_to_async(token_issue)(user=member)).key
    experiment_id = await sync_to_async(_start)(member, graph, dataset, concurrency=1)

    frames, code = await follow_until_closed(_socket(experiment_id, token), TIMEOUT_S)

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

    replayed, code = await follow_until_closed(_socket(experiment_id, token), TIMEOUT_S)
    assert (replayed, code) == ([last], 1000)


async def test_only_members_may_follow_an_experiment(
    workers: dict[str, Any], member: User, make_user: Any
) -> None:
    graph, dataset = await sync_to_async(_setup)(member)
    experiment_id = await sync_to_async(_start)(member, graph, dataset, scorers=["route"])
    outsider = await sync_to_async(make_user)("outsider")
    outsider_token = (await sync_to_async(token_issue)(user=outsider)).key
    for token, expected in ((outsider_token, 4404), (None, 4401)):
        assert await refusal(_socket(experiment_id, token)) == (True, expected)
    await sync_to_async(_finished)(experiment_id, workers)


# --- a runs worker killed mid-experiment ------------------------------------------------------

SLOW_MODEL = "slow-model"
SLOW_LATENCY_S = 0.5
KILL_ROWS = 12


def _filed_model(key: str, models_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``key`` a model of the server's models file (an OpenAI-compatible entry; the fake
    serves any key), whose queue ``model.<key>`` only the test's own model host serves."""
    entry = {
        "key": key,
        "display_name": key,
        "family": "openai",
        "kind": "openai",
        "base_url": "http://127.0.0.1:9/v1",
        "model_name": key,
    }
    models = json.loads(models_file.read_text()) if models_file.exists() else []
    models_file.write_text(json.dumps([*models, entry]))
    monkeypatch.setenv("OCTOGRAPH_MODELS_FILE", str(models_file))


def _slow_graph(member: User, models_file: Path, monkeypatch: pytest.MonkeyPatch) -> Graph:
    """q -> m -> out on ``SLOW_MODEL``, whose node tasks only this test's own model host
    serves."""
    _filed_model(SLOW_MODEL, models_file, monkeypatch)
    return single_model_graph(member, SLOW_MODEL, "Slow")


def _runs_worker(workers: dict[str, Any], name: str) -> subprocess.Popen[bytes]:
    """A fresh ``runs`` worker as the ``workers`` fixture starts it; it takes the killed one's
    place in the fixture, which stops it at the end of the session."""
    process: subprocess.Popen[bytes] = start_worker(
        "webapp.celery_app",
        "runs",
        name,
        workers["logs"] / f"{name}.log",
        "--pool=threads",
        "--concurrency=4",
        DATABASE_URL=database_url(),
        DJANGO_SETTINGS_MODULE="webapp.settings",
        OCTOGRAPH_SWEEP_S=SESSION_SWEEP_S,
    )
    workers["processes"]["runs"] = process
    workers["runs_node"] = worker_node(name)
    workers["runs_log"] = workers["logs"] / f"{name}.log"
    return process


def _kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the whole worker process: no warm shutdown gives its messages back."""
    process.kill()
    process.wait(10)


def _blocked(log: Path, task: str) -> set[str]:
    """Ids of the ``task`` tasks that the worker logging to ``log`` received and has not
    finished."""
    text = log.read_text() if log.exists() else ""
    received = set(re.findall(rf"Task {re.escape(task)}\[([0-9a-f-]+)\] received", text))
    finished = set(
        re.findall(rf"Task {re.escape(task)}\[([0-9a-f-]+)\] (?:succeeded|raised)", text)
    )
    return received - finished


def _unacked(redis_url: str, task: str) -> dict[bytes, tuple[str, int]]:
    """The ``task`` messages that were delivered and never acknowledged (kombu's ``unacked``
    hash, which the broker hands out again once the visibility timeout, hours, has passed):
    delivery tag -> (task id, run id: the task's first argument)."""
    found = {}
    for tag, raw in redis.Redis.from_url(redis_url).hgetall("unacked").items():
        payload = json.loads(raw)[0]
        if payload["headers"]["task"] == task:
            args = json.loads(base64.b64decode(payload["body"]))[0]
            found[tag] = (payload["headers"]["id"], int(args[0]))
    return found


def _run_ids(messages: dict[bytes, tuple[str, int]]) -> list[int]:
    return sorted(run_id for _, run_id in messages.values())


def _waiting_on_the_host(experiment_id: int) -> list[int]:
    """The runs of the experiment's running rows when, with some rows scored, exactly
    ``concurrency`` (3) of them are waiting on their model node (none has finished unnoticed);
    else []."""
    experiment = Experiment.objects.get(pk=experiment_id)
    rows = ExperimentRow.objects.filter(experiment=experiment, status="running")
    runs = [row.run for row in rows.select_related("run")]
    if experiment.done < 3 or len(runs) != 3:
        return []
    if not all(run is not None and run.status == "running" and "m" in run.nodes for run in runs):
        return []
    return sorted(run.pk for run in runs if run is not None)


def _kill_while_results_wait(experiment_id: int, workers: dict[str, Any]) -> tuple[list[int], int]:
    """Once three runs of the experiment wait on their model node, lock them (and the
    experiment) until their nodes' results have reached the ``runs`` worker, where they wait for
    the lock; SIGKILL the worker then. The three runs and the rows done at the kill."""
    runs_log: Path = workers.get("runs_log", workers["logs"] / "runs.log")
    while True:
        stuck = _wait(
            lambda: _waiting_on_the_host(experiment_id), "three runs on the model host", workers
        )
        with transaction.atomic():
            experiment = Experiment.objects.select_for_update().get(pk=experiment_id)
            list(Run.objects.select_for_update().filter(pk__in=stuck))
            if _waiting_on_the_host(experiment_id) != stuck:
                continue  # a row moved on before the lock: try again
            _wait(
                lambda: len(_blocked(runs_log, "runs.advance_run")) >= 3,
                "the three nodes' results reaching the runs worker",
                workers,
            )
            _kill(workers["processes"]["runs"])
            return stuck, experiment.done


def test_an_experiment_whose_runs_worker_is_killed_resumes_and_scores_each_row_once(
    workers: dict[str, Any],
    member: User,
    redis_test_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The ``runs`` worker is SIGKILLed twice mid-experiment, each time while it holds tasks
    (made to wait on a lock the test holds, so that what is lost is known): first the results
    of three model nodes, then the three rows' "finished" notices. A hard-killed worker's
    messages come back only after the broker's visibility timeout (hours), so the experiment
    stalls until the periodic sweeps run, as beat runs them: ``fail_lost_runs`` fails the three
    runs once their nodes are past their deadline, and ``resume_experiments`` (the only thing
    that moves the experiment then) scores their rows, once each. When the lost messages are
    finally delivered again, nothing changes."""
    owner = User.objects.get(username="owner")
    graph = _slow_graph(member, tmp_path / "models.json", monkeypatch)
    rows = [
        {"input": f"question {i}", "expected": f"{SLOW_MODEL}: question {i}"}
        for i in range(KILL_ROWS)
    ]
    dataset = make_dataset(member.team, owner, rows, "slow")  # type: ignore[attr-defined]
    logs: Path = workers["logs"]
    host = start_worker(
        "workers.celery_app",
        node_queue(SLOW_MODEL),
        "slow-host",
        logs / "slow-host.log",
        "--pool=threads",
        "--concurrency=4",
        OCTOGRAPH_FAKE_BACKEND=json.dumps({"latency": SLOW_LATENCY_S}),
    )
    try:
        experiment_id = _start(member, graph, dataset, concurrency=3, scorers=["exact"])

        # 1. Kill the worker while the results of the three nodes under way wait in it.
        stuck, done_at_kill = _kill_while_results_wait(experiment_id, workers)
        lost_results = _unacked(redis_test_url, "runs.advance_run")
        assert _run_ids(lost_results) == stuck

        # The runs sweep, once the nodes are past their deadline, fails the three runs; their
        # notices wait in the queue, as no runs worker is alive.
        later = timezone.now() + driver.NODE_GRACE + timedelta(hours=1)
        assert sorted(sweeper.fail_lost_runs(now=later)) == stuck

        # 2. A new worker takes the three notices and is killed while they wait for the lock.
        with transaction.atomic():
            Experiment.objects.select_for_update().get(pk=experiment_id)
            second = _runs_worker(workers, "runs-second")
            _wait(
                lambda: len(_blocked(logs / "runs-second.log", "evaluation.row_finished")) >= 3,
                "the three notices reaching the second runs worker",
                workers,
            )
            _kill(second)
        lost_notices = _unacked(redis_test_url, "evaluation.row_finished")
        assert _run_ids(lost_notices) == stuck

        # 3. A third worker: with every slot taken by a row whose notice was lost, nothing moves
        # until the resume sweep runs.
        _runs_worker(workers, "runs-third")
        third_log = logs / "runs-third.log"
        _wait(lambda: " ready." in third_log.read_text(), "the third runs worker", workers)
        time.sleep(1.5)
        stalled = Experiment.objects.get(pk=experiment_id)
        assert (stalled.status, stalled.done) == ("running", done_at_kill)
        assert (
            sorted(
                ExperimentRow.objects.filter(experiment=stalled, status="running").values_list(
                    "run_id", flat=True
                )
            )
            == stuck
        )
        app.send_task(evaluation_tasks.RESUME_TASK)
        experiment = _finished(experiment_id, workers)
        assert re.search(r"resume_experiments\[[0-9a-f-]+\] succeeded", third_log.read_text())

        # 4. The broker hands the lost messages out again (as it does once the visibility
        # timeout has passed): the late results and notices change nothing.
        lost = {**lost_results, **lost_notices}
        with app.connection_for_write() as connection:
            for tag in lost:
                connection.default_channel.qos.restore_by_tag(tag)
        _wait(
            lambda: all(
                re.search(rf"\[{task_id}\] succeeded", third_log.read_text())
                for task_id, _ in lost.values()
            ),
            "the lost messages delivered again",
            workers,
        )
    finally:
        host.terminate()
        host.wait(10)
        if workers["processes"]["runs"].poll() is not None:
            _runs_worker(workers, "runs-spare")

    again = Experiment.objects.get(pk=experiment_id)
    assert (again.revision, again.done, again.summary) == (
        experiment.revision,
        experiment.done,
        experiment.summary,
    )
    assert (experiment.status, experiment.error) == ("completed", "")
    assert (experiment.total, experiment.done, experiment.failed) == (KILL_ROWS, KILL_ROWS, 3)
    # Every row ran once and was scored once: done counts each row once.
    scored = ExperimentRow.objects.filter(experiment=experiment).select_related("run")
    assert [row.status for row in scored] == ["scored"] * KILL_ROWS
    assert Run.objects.filter(graph=graph).count() == KILL_ROWS
    for row in scored:
        assert row.run is not None
        if row.run_id in stuck:
            assert (row.run.status, row.outcome) == ("failed", "failed")
            assert "its worker was lost" in row.observation["error"]
            assert row.scores["exact"]["value"] == 0.0
        else:
            assert (row.run.status, row.outcome) == ("completed", "completed")
            assert row.scores["exact"]["value"] == 1.0
    summary = experiment.summary
    assert (summary["rows"], summary["completed"], summary["failed"]) == (KILL_ROWS, 9, 3)
    assert summary["metrics"]["exact"] == 9 / KILL_ROWS


# --- the judge scorer on a model host ---------------------------------------------------------

JUDGE_MODEL = "judge-model"
JUDGE_REPLY = "A fair answer. Rating: [[8]]"


def test_a_judge_on_its_model_host_grades_every_row(
    workers: dict[str, Any], member: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each completed row's answer goes to the judge model's queue (``workers.judge``); this
    test's model host (the fake, answering every judgement ``Rating: [[8]]``) grades it and
    replies ``evaluation.row_judged`` by name to the runs worker, which completes the row."""
    graph, dataset = _setup(member)
    _filed_model(JUDGE_MODEL, tmp_path / "models.json", monkeypatch)
    host = start_worker(
        "workers.celery_app",
        node_queue(JUDGE_MODEL),
        "judge",
        workers["logs"] / "judge.log",
        "--pool=threads",
        "--concurrency=2",
        OCTOGRAPH_FAKE_BACKEND=json.dumps({"reply": {JUDGE_MODEL: JUDGE_REPLY}}),
    )
    try:
        experiment_id = _start(
            member,
            graph,
            dataset,
            scorers=["route", {"name": "judge", "model": JUDGE_MODEL}],
            concurrency=2,
        )
        experiment = _finished(experiment_id, workers)
    finally:
        host.terminate()
        host.wait(10)

    assert (experiment.status, experiment.error) == ("completed", "")
    assert (experiment.total, experiment.done, experiment.failed) == (5, 5, 0)
    assert experiment.summary["metrics"] == {"route": 0.6, "judge": 0.8}
    rows = ExperimentRow.objects.filter(experiment=experiment)
    for row in rows:
        assert row.status == "scored"
        assert row.judge_attempts == 1  # sent once, graded once
        assert row.scores["judge"] == {
            "value": 0.8,
            "detail": {"grade": 8.0, "judgement": JUDGE_REPLY},
        }
        # The graph's own answers came from the session's model host, not the judge's fake.
        assert row.observation["output"].startswith(f"{MODEL}:")
