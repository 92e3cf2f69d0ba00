"""Never stuck, never stalled: runs through real worker processes on a private Redis that the
tests kill (SIGKILL) and restart, with and without its data, and workers they kill.

Each test starts its own ``redis-server`` on a spare port (append-only file, fsync always, so
that a restart "with data" keeps every acknowledged write), a ``runs`` worker and a model host
with the fake backend, all with short heartbeats and sweeps (``workers.presence`` settings), and
points this process (services, event stream, Celery app) at that Redis for its duration.
Every run must end within ``END_S``; a completed one has lost no event (seq 1..n); the stored
trace (what a follower replays) always ends with the terminal event.
"""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.contrib.auth.models import User
from kombu import pools as kombu_pools

from graphs.events import TERMINAL_TYPES, EventType
from tests.integration.webapp.conftest import (
    MODEL,
    api_client,
    database_url,
    single_model_graph,
    start_run_via_api,
    start_worker,
    wait_for,
)
from webapp.catalog import services as catalog
from webapp.runs.models import Run, RunStatus
from workers import presence
from workers.celery_app import app, node_queue
from workers.event_stream import EventStream, shared_stream

pytestmark = pytest.mark.django_db(transaction=True)

END_S = 120
LIVENESS = {
    "OCTOGRAPH_HEARTBEAT_TIMEOUT_S": "3",
    "OCTOGRAPH_SWEEP_S": "1",
    "OCTOGRAPH_WORKER_WAIT_S": "6",
    "OCTOGRAPH_START_TIMEOUT_S": "3",
    "OCTOGRAPH_VISIBILITY_TIMEOUT_S": "60",
}
SLOW = json.dumps({"token_delay": 0.4})  # the default reply streams for about 4 s
UNSERVED_MODEL = "qwen2.5-coder-0.5b-instruct"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class RedisServer:
    """A private ``redis-server`` that can be killed and restarted, keeping its data or not."""

    def __init__(self, folder: Path) -> None:
        self.port = _free_port()
        self.folder = folder
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "yes", "--appendfsync", "always"]
        command += ["--dir", str(self.folder)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def restart(self, *, keep_data: bool) -> None:
        self.kill()
        if not keep_data:
            shutil.rmtree(self.folder)
        self.start()


def _point_at(url: str) -> None:
    """Make this process's clients (event stream, presence, Celery) use ``url``."""
    shared_stream.cache_clear()
    presence.client.cache_clear()
    app.conf.broker_url = url
    app.conf.result_backend = url
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    kombu_pools.reset()  # kombu's registry would hand back producer pools of closed connections


@pytest.fixture
def stack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, redis_test_url: str
) -> Iterator[dict[str, Any]]:
    """A private Redis, a runs worker and a slow model host serving ``MODEL``. ``start``:
    starts a worker by name ("runs" or "models") in place of the last one of that name."""
    server = RedisServer(tmp_path / "redis")
    server.start()
    for name, value in {**LIVENESS, "REDIS_URL": server.url}.items():
        monkeypatch.setenv(name, value)
    _point_at(server.url)
    logs = tmp_path / "logs"
    logs.mkdir()
    processes: dict[str, subprocess.Popen[bytes]] = {}
    url = database_url()
    count = {"n": 0}

    def start(name: str) -> subprocess.Popen[bytes]:
        count["n"] += 1
        log = logs / f"{name}-{count['n']}.log"
        if name == "runs":
            process = start_worker(
                "webapp.celery_app", "runs", f"runs{count['n']}", log, "--pool=threads",
                "--concurrency=4", DATABASE_URL=url, DJANGO_SETTINGS_MODULE="webapp.settings",
                OCTOGRAPH_FAKE_BACKEND=SLOW,
            )  # fmt: skip
        else:
            process = start_worker(
                "workers.celery_app", node_queue(MODEL), f"models{count['n']}", log,
                "--pool=threads", "--concurrency=4", OCTOGRAPH_FAKE_BACKEND=SLOW,
            )  # fmt: skip
        processes[f"{name}-{count['n']}"] = process
        return process

    start("runs")
    start("models")
    _until(lambda: presence.queue_is_served(node_queue(MODEL)), "the model host", logs)
    _until(lambda: presence.queue_is_served("runs"), "the runs worker", logs)
    try:
        yield {"redis": server, "start": start, "logs": logs, "processes": processes}
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.kill()
                process.wait(10)
        server.kill()
        _point_at(redis_test_url)


def _until(condition: Callable[[], Any], what: str, logs: Path, timeout: float = END_S) -> Any:
    """``wait_for``, reading a Redis error (Redis down or restarting) as "not yet"."""

    def tolerant() -> Any:
        try:
            return condition()
        except redis.RedisError:
            return None

    return wait_for(tolerant, what, logs, timeout, log_tail=4000)


TEXT = "one two three four five six seven eight nine ten"


def _first_delta(run_id: int, logs: Path) -> None:
    stream = EventStream.from_settings()
    _until(
        lambda: any(e.type is EventType.NODE_DELTA for e in stream.events_after(str(run_id))),
        "the first token",
        logs,
        timeout=30,
    )


def _ended(run_id: int, logs: Path, started: float) -> tuple[Run, float]:
    """Wait for the run to end; it and the seconds since ``started``. Checks the stored trace
    (a follower's replay) ends with the terminal event, its seqs increasing."""

    def ended() -> Run | None:
        run = Run.objects.get(pk=run_id)
        return run if run.finished else None

    run: Run = _until(ended, f"run {run_id} ending", logs)
    elapsed = time.monotonic() - started
    trace = list(run.events.order_by("seq"))
    seqs = [event.seq for event in trace]
    assert seqs == sorted(set(seqs)), seqs
    assert trace, "no stored event"
    assert trace[-1].type in {str(t) for t in TERMINAL_TYPES}, [e.type for e in trace]
    return run, elapsed


def _no_event_lost(run_id: int) -> None:
    """A completed run's stream numbers its events 1..n with none missing."""
    events = EventStream.from_settings().events_after(str(run_id))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[-1].type is EventType.RUN_COMPLETED


def _logs(logs: Path) -> str:
    return "\n".join(f"--- {log.name}\n{log.read_text()[-4000:]}" for log in logs.iterdir())


def _kill(stack: dict[str, Any], name: str) -> float:
    """SIGKILL the stack's one worker called ``name`` ("runs" or "models"); when it was."""
    (process,) = [p for key, p in stack["processes"].items() if key.startswith(name)]
    process.send_signal(signal.SIGKILL)
    return time.monotonic()


def _report(what: str, run: Run, elapsed: float) -> None:
    print(f"\n[resilience] {what}: run {run.status} in {elapsed:.1f} s {run.error}")


def _killed_mid_run(
    stack: dict[str, Any], member: User, worker: str, name: str, *, replaced: bool
) -> tuple[int, Run, float]:
    """Start a run of a one-model graph called ``name``, SIGKILL ``worker`` ("runs" or
    "models") once its first token is out, and start a new one when ``replaced``. The run's id,
    the run once it ended, and the seconds from the kill to its end."""
    run_id = start_run_via_api(member, single_model_graph(member, MODEL, name), TEXT)
    _first_delta(run_id, stack["logs"])
    killed = _kill(stack, worker)
    if replaced:
        stack["start"](worker)
    run, elapsed = _ended(run_id, stack["logs"], killed)
    return run_id, run, elapsed


def test_a_model_host_killed_mid_node_is_replaced_and_the_run_completes(
    stack: dict[str, Any], member: User
) -> None:
    _run_id, run, elapsed = _killed_mid_run(stack, member, "models", "kill-host", replaced=True)
    _report("model host SIGKILL + replacement", run, elapsed)
    # Sent again once its heartbeat stopped: the replacement completes it.
    assert run.status == RunStatus.COMPLETED, run.error
    assert elapsed < END_S


def test_a_model_host_killed_for_good_fails_the_run_with_a_reason(
    stack: dict[str, Any], member: User
) -> None:
    _run_id, run, elapsed = _killed_mid_run(
        stack, member, "models", "kill-host-for-good", replaced=False
    )
    _report("model host SIGKILL, no replacement", run, elapsed)
    assert run.status == RunStatus.FAILED
    assert "no worker serves model" in run.error or "stopped responding" in run.error, run.error


def test_a_runs_worker_killed_mid_run_is_replaced_and_the_run_completes(
    stack: dict[str, Any], member: User
) -> None:
    run_id, run, elapsed = _killed_mid_run(stack, member, "runs", "kill-runs", replaced=True)
    _report("runs worker SIGKILL + replacement", run, elapsed)
    assert run.status == RunStatus.COMPLETED, run.error
    _no_event_lost(run_id)


@pytest.mark.parametrize("keep_data", [True, False], ids=["with-data", "without-data"])
def test_a_redis_restart_mid_run_is_survived(
    stack: dict[str, Any], member: User, keep_data: bool
) -> None:
    run_id = start_run_via_api(member, single_model_graph(member, MODEL, "redis-restart"), TEXT)
    _first_delta(run_id, stack["logs"])
    server: RedisServer = stack["redis"]
    server.kill()
    killed = time.monotonic()
    time.sleep(2)
    server.restart(keep_data=keep_data)
    run, elapsed = _ended(run_id, stack["logs"], killed)
    _report(f"redis SIGKILL + restart {'with' if keep_data else 'without'} data", run, elapsed)
    assert elapsed < END_S
    if keep_data and run.status == RunStatus.COMPLETED:
        _no_event_lost(run_id)
    # The workers reconnected: a new run completes.
    second = start_run_via_api(member, single_model_graph(member, MODEL, "after-restart"), "again")
    run, _ = _ended(second, stack["logs"], time.monotonic())
    assert run.status == RunStatus.COMPLETED, run.error + _logs(stack["logs"])
    _no_event_lost(second)
    logs = "".join(log.read_text() for log in stack["logs"].iterdir())
    assert "Unrecoverable error" not in logs


def test_starting_a_run_with_redis_down_answers_503_and_leaves_nothing(
    stack: dict[str, Any], member: User
) -> None:
    graph = single_model_graph(member, MODEL, "redis-down")
    stack["redis"].kill()
    before = Run.objects.count()
    response = api_client(member).post(
        f"/api/graphs/{graph.pk}/runs/", {"input": "hello"}, format="json"
    )
    assert response.status_code == 503, response.content
    assert response.json()["code"] == "queue_unavailable"
    assert Run.objects.count() == before


def test_a_node_no_worker_serves_waits_visibly_then_fails(
    stack: dict[str, Any], member: User
) -> None:
    started = time.monotonic()
    run_id = start_run_via_api(member, single_model_graph(member, UNSERVED_MODEL, "unserved"), TEXT)
    run, elapsed = _ended(run_id, stack["logs"], started)
    _report("no worker for the model", run, elapsed)
    waiting = run.events.filter(type="node.waiting").get()
    assert waiting.node == "m"
    assert UNSERVED_MODEL in waiting.data["reason"]
    assert run.status == RunStatus.FAILED
    assert f"no worker serves model {UNSERVED_MODEL!r}" in run.error


def test_a_team_endpoint_node_runs_on_the_runs_workers_without_a_restart(
    stack: dict[str, Any], member: User
) -> None:
    owner = User.objects.get(username="owner")
    catalog.endpoint_create(
        team=member.team,  # type: ignore[attr-defined]
        actor=owner,
        key="team-endpoint",
        base_url="http://127.0.0.1:9/v1",
        model_name="any",
    )
    started = time.monotonic()
    graph = single_model_graph(member, "team-endpoint", "endpoint")
    run_id = start_run_via_api(member, graph, "hi")
    run, _elapsed = _ended(run_id, stack["logs"], started)
    assert run.status == RunStatus.COMPLETED, run.error
    assert run.output.startswith("team-endpoint:")


def test_a_run_whose_start_was_lost_is_started_by_the_sweep(
    stack: dict[str, Any], member: User
) -> None:
    graph = single_model_graph(member, MODEL, "lost-start")
    run = Run.objects.create(
        graph=graph, version=graph.versions.order_by("-number").first(), input="hi"
    )  # no start_run was sent: as if the message was lost
    run, elapsed = _ended(run.pk, stack["logs"], time.monotonic())
    _report("lost start_run", run, elapsed)
    assert run.status == RunStatus.COMPLETED, run.error
