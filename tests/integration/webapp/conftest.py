"""Shared fixtures: users with each role in one shared team, API clients, a saved graph.

Users are made through the sign-up service, so each also has a personal team, as in real use.
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import pytest
import redis
from django.contrib.auth.models import User
from django.db import connection
from rest_framework.test import APIClient

from graphs.templates import get_template
from webapp.accounts import services as accounts
from webapp.accounts.models import Role, Team
from webapp.graphstore import services as graphstore
from webapp.graphstore.models import Graph
from webapp.runs.models import Run
from workers.celery_app import node_queue

# A model whose rows say when they have finished (``Run``, ``Experiment``).
Finishing = TypeVar("Finishing")

MODEL = "smollm2-135m-instruct"
ROOT = Path(__file__).resolve().parents[3]
# The model host's fake never answers for this model: its nodes run until they are stopped.
HANGING_MODEL = "qwen2.5-coder-0.5b-instruct"
PASSWORD = "correct horse battery staple"
SESSION_SWEEP_S = "3600"
"""How often the session's runs workers sweep for lost work: never, in effect. Tests call the
sweep themselves, and the resilience tests' private stacks (their own Redis, this database)
must not be swept by a worker that cannot see their Redis."""


@pytest.fixture(autouse=True)
def fresh_throttle_counters() -> None:
    """Each test starts with no login or sign-up counted against it (the throttles count in
    Django's cache, which lives as long as the test process)."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    cache = caches["default"]
    if isinstance(cache, LocMemCache):
        cache.clear()  # never a shared Redis: clearing it would flush the whole database


@pytest.fixture(autouse=True, scope="session")
def channel_layer_on_test_redis(redis_test_url: str | None) -> None:
    """Point the Channels layer at the session's private Redis database, where the workers'
    relay publishes. The settings were loaded before ``tests/conftest.py`` chose that database,
    so their ``CHANNEL_LAYERS`` still name the default one."""
    if redis_test_url is None:
        return
    from channels.layers import channel_layers
    from django.conf import settings

    from workers.settings import channel_layer_config

    settings.REDIS_URL = redis_test_url
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": channel_layer_config(redis_test_url),
        }
    }
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def fresh_channel_layer() -> Iterator[None]:
    """A channel layer per test: each async test has its own event loop, and channels-redis's
    layer keeps loop-bound locks that a socket left open by an earlier test may hold."""
    from channels.layers import channel_layers

    yield
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def fresh_run_streams(redis_test_url: str | None) -> Iterator[None]:
    """Forget run event streams after each test: rolled-back tests reuse run ids, and a stream
    left closed by one test would silence the next test's run of the same id. Only ever in the
    session's private Redis database."""
    yield
    if redis_test_url is None:
        return
    client = redis.Redis.from_url(redis_test_url)
    keys = list(client.scan_iter("octograph:run:*", count=1000))
    # Presence and chat histories of ids that the next test reuses.
    keys += client.scan_iter("octograph:graph:*", count=1000)
    keys += client.scan_iter("octograph:chat:*", count=1000)
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Real hashers are slow by design; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


async def finished_run(run_id: int, timeout_s: float = 30) -> Run:
    """The run once its row says it has finished. A client sees the terminal event a moment
    before the step that published it commits (events reach Redis first), so tests that read
    the run's row or stored trace after the last event wait for this."""
    for _ in range(int(timeout_s / 0.05)):
        run = await Run.objects.aget(pk=run_id)
        if run.finished:
            return run
        await asyncio.sleep(0.05)
    pytest.fail(f"run {run_id} did not finish in {timeout_s} s")


def wait_for(
    condition: Callable[[], Any],
    what: str,
    logs: Path | None,
    timeout_s: float,
    interval_s: float = 0.1,
    log_tail: int = 3000,
) -> Any:
    """Poll ``condition()`` every ``interval_s`` until it is truthy, and return that value; after
    ``timeout_s`` fail the test, saying ``what`` did not happen, with the last ``log_tail``
    characters of each worker log in the folder ``logs`` (when given)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval_s)
    tails = (
        [f"--- {log.name}\n{log.read_text()[-log_tail:]}" for log in logs.iterdir()] if logs else []
    )
    pytest.fail("\n".join([f"{what} did not happen in {timeout_s} s", *tails]))


def wait_until_finished(
    model: type[Finishing],
    pk: int,
    logs: Path | None = None,
    timeout_s: float = 30,
    interval_s: float = 0.05,
) -> Finishing:
    """The row ``pk`` of ``model`` (a ``Run`` or an ``Experiment``) once it says it has
    finished (``wait_for``)."""

    def finished() -> Finishing | None:
        row = model.objects.get(pk=pk)  # type: ignore[attr-defined]
        return row if row.finished else None

    what = f"{model.__name__.lower()} {pk} finishing"
    row: Finishing = wait_for(finished, what, logs, timeout_s, interval_s)
    return row


def wait_for_run(run_id: int, timeout_s: float = 30) -> Run:
    """The run once its row says it has finished."""
    return wait_until_finished(Run, run_id, timeout_s=timeout_s)


async def follow_until_closed(
    socket: Any, timeout_s: float, on_frame: Callable[[Any], Awaitable[None]] | None = None
) -> tuple[list[Any], int]:
    """Connect ``socket`` (a ``WebsocketCommunicator``; the test fails if it is refused) and
    return the JSON frames it receives until the server closes it, and the close code.
    ``on_frame`` is awaited with each frame as it arrives."""
    connected, code = await socket.connect(timeout_s)
    assert connected, code
    frames = []
    try:
        while True:
            message = await socket.receive_output(timeout_s)
            if message["type"] == "websocket.close":
                return frames, message.get("code", 1000)
            frames.append(json.loads(message["text"]))
            if on_frame is not None:
                await on_frame(frames[-1])
    finally:
        await socket.disconnect()


def simple_spec(system: str = "You are helpful.") -> dict[str, Any]:
    """A valid input -> model -> output graph on a built-in model."""
    return {
        "spec": 1,
        "nodes": [
            {"id": "q", "kind": "input", "position": {"x": 0, "y": 0}, "config": {}},
            {
                "id": "m",
                "kind": "model",
                "position": {"x": 200, "y": 0},
                "config": {"model": MODEL, "system": system},
            },
            {"id": "out", "kind": "output", "position": {"x": 400, "y": 0}, "config": {}},
        ],
        "edges": [
            {"id": "e1", "source": "q", "target": "m"},
            {"id": "e2", "source": "m", "target": "out"},
        ],
    }


@pytest.fixture
def spec() -> dict[str, Any]:
    return copy.deepcopy(simple_spec())


@pytest.fixture
def make_user(db: None) -> Callable[[str], User]:
    def make(username: str) -> User:
        return accounts.user_signup(username=username, password=PASSWORD)

    return make


@pytest.fixture
def owner(make_user: Callable[[str], User]) -> User:
    return make_user("olivia")


@pytest.fixture
def editor(make_user: Callable[[str], User]) -> User:
    return make_user("eddie")


@pytest.fixture
def viewer(make_user: Callable[[str], User]) -> User:
    return make_user("vera")


@pytest.fixture
def outsider(make_user: Callable[[str], User]) -> User:
    return make_user("oscar")


@pytest.fixture
def bystander(make_user: Callable[[str], User]) -> User:
    """A second viewer of the team: a target for member management by others."""
    return make_user("bea")


@pytest.fixture
def team(owner: User, editor: User, viewer: User, bystander: User) -> Team:
    team = accounts.team_create(name="Research", actor=owner)
    for user, role in ((editor, Role.EDITOR), (viewer, Role.VIEWER), (bystander, Role.VIEWER)):
        accounts.membership_add(team=team, actor=owner, username=user.username, role=role)
    return team


@pytest.fixture
def graph(team: Team, owner: User, spec: dict[str, Any]) -> Graph:
    return graphstore.graph_create(team=team, actor=owner, name="Helper", spec=spec)


def api_client(user: User | None) -> APIClient:
    """An API client authenticated as ``user`` (anonymous for None)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def client_for() -> Callable[[User | None], APIClient]:
    """``api_client`` as a fixture."""
    return api_client


def template_graph(member: User, template: str) -> Graph:
    """A graph of ``template`` in ``member``'s shared team, created by the team's owner."""
    owner = User.objects.get(username="owner")
    spec = get_template(template).spec()
    return graphstore.graph_create(team=member.team, actor=owner, name=template, spec=spec)  # type: ignore[attr-defined]


def single_model_graph(member: User, model: str, name: str) -> Graph:
    """input -> model -> output on ``model`` in ``member``'s shared team, saved by its owner."""
    spec = {
        "spec": 1,
        "nodes": [
            {"id": "q", "kind": "input", "config": {}},
            {"id": "m", "kind": "model", "config": {"model": model}},
            {"id": "out", "kind": "output", "config": {}},
        ],
        "edges": [
            {"id": "e1", "source": "q", "target": "m"},
            {"id": "e2", "source": "m", "target": "out"},
        ],
    }
    owner = User.objects.get(username="owner")
    return graphstore.graph_create(team=member.team, actor=owner, name=name, spec=spec)  # type: ignore[attr-defined]


def start_run_via_api(member: User, graph: Graph, text: str) -> int:
    """Start a run of ``graph`` through the API as ``member``; its id."""
    response = api_client(member).post(
        f"/api/graphs/{graph.pk}/runs/", {"input": text}, format="json"
    )
    assert response.status_code == 201, response.content
    run_id: int = response.json()["id"]
    return run_id


@pytest.fixture
def as_owner(client_for: Callable[[User | None], APIClient], owner: User) -> APIClient:
    return client_for(owner)


@pytest.fixture
def as_editor(client_for: Callable[[User | None], APIClient], editor: User) -> APIClient:
    return client_for(editor)


@pytest.fixture
def as_viewer(client_for: Callable[[User | None], APIClient], viewer: User) -> APIClient:
    return client_for(viewer)


@pytest.fixture
def as_outsider(client_for: Callable[[User | None], APIClient], outsider: User) -> APIClient:
    return client_for(outsider)


def database_url() -> str:
    """The URL of the test database (pytest-django's), for the worker processes."""
    settings = connection.settings_dict
    if settings["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{settings['NAME']}"
    user = quote(settings["USER"] or "")
    password = f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{settings['NAME']}"


def worker_node(name: str) -> str:
    """The Celery node name ``start_worker`` gives the worker called ``name``."""
    from celery.utils.nodenames import host_format

    return str(host_format(f"{name}-{os.getpid()}@%h"))


def start_worker(app: str, queues: str, name: str, log: Path, *extra: str, **env: str) -> Any:
    """A Celery worker process of ``app`` on ``queues`` (log in ``log``; ``env`` added to its
    environment); the caller stops it."""
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


@pytest.fixture(scope="session")
def workers(
    django_db_setup: None,
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, Any]]:
    """Celery worker processes for the session, as in production (stopped at the end): a
    ``runs`` worker (Django, the test database; four threads, so steps of one run contend for its
    lock) and a model host for the templates' models (no database, the fake backend:
    ``OCTOGRAPH_FAKE_BACKEND``) serving several nodes at once on threads. ``logs``: their log
    folder, for failure messages."""
    logs = tmp_path_factory.mktemp("celery")
    with django_db_blocker.unblock():
        url = database_url()
    processes = {
        "runs": start_worker(
            "webapp.celery_app",
            "runs",
            "runs",
            logs / "runs.log",
            "--pool=threads",
            "--concurrency=4",
            DATABASE_URL=url,
            DJANGO_SETTINGS_MODULE="webapp.settings",
            OCTOGRAPH_SWEEP_S=SESSION_SWEEP_S,
        ),
        "models": start_worker(
            "workers.celery_app",
            f"{node_queue(MODEL)},{node_queue(HANGING_MODEL)}",
            "models",
            logs / "models.log",
            "--pool=threads",
            "--concurrency=4",
            OCTOGRAPH_FAKE_BACKEND=json.dumps({"hang": [HANGING_MODEL]}),
        ),
    }
    # ``runs_node``: the Celery node name of the live runs worker (tests that replace it update
    # it), for remote control addressed to it.
    yield {"processes": processes, "logs": logs, "runs_node": worker_node("runs")}
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
