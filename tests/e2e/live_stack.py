"""The real stack for browser tests and the canvas benchmark: Daphne (HTTP and the graph
WebSockets) on a free port with a fresh SQLite database and a Redis server of its own (so its
Celery queues are never shared with the workers other tests start in the same session),
the built front end collected as static files, and Chromium from Debian. With ``workers=True``
runs work too: a Celery worker advances runs and a model host answers for the templates' model
and their CLIP model (``CLIP_MODEL``) with the test-only fake backend
(``OCTOGRAPH_FAKE_BACKEND``), streaming a word every
``TOKEN_DELAY_S`` so that a browser sees tokens arrive, never answers for ``HANGING_MODEL``, and
takes ``LOAD_S`` to "load" ``SLOW_LOADING_MODEL`` the first time (``model.loading`` events);
router trainings run on the runs worker with the test-only fake trainer
(``OCTOGRAPH_FAKE_TRAINER``), a step every ``TRAIN_STEP_S``, saving into a temporary adapters
folder.

Used by ``tests/e2e/conftest.py`` and ``bench/canvas_load.py``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import redis as redis_lib

from deploy.local_stack import start_embedded_redis, wait_for_port
from workers import presence
from workers.celery_app import ENDPOINTS_QUEUE, node_queue

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "correct-horse-battery-staple"
START_TIMEOUT_S = 60
DAPHNE = str(Path(sys.executable).with_name("daphne"))
# The model of the templates, served by the fake model host.
MODEL = "smollm2-135m-instruct"
# The CLIP model of the octopus-v3-agent template, served by the same fake model host.
CLIP_MODEL = "clip-vit-b-32"
# The fake model host never answers for this model: its nodes run until the run is cancelled.
HANGING_MODEL = "qwen2.5-coder-0.5b-instruct"
# The fake model host takes LOAD_S to "load" this model on its first use, reporting the load as
# a real first load does. Only this model: the host lives for the whole session, so a load of
# the templates' model would land on whichever test runs it first (changing its events and its
# timing); a model of its own (an extra catalog entry, OCTOGRAPH_MODELS_FILE) that one test uses
# makes that test's run the first one, whatever the order, and leaves every other test as it was.
SLOW_LOADING_MODEL = "slow-loading-model"
LOAD_S = 3.0
TOKEN_DELAY_S = 0.15
# The runs worker's command line; it serves the teams' endpoints queue too (webapp.celery_app).
RUNS_WORKER_QUEUES = "runs,training"
TRAIN_STEP_S = 0.1


class StackError(RuntimeError):
    """The stack cannot start; the message says what to do."""


@dataclass(frozen=True)
class LiveStack:
    url: str

    def signup(self, username: str) -> httpx.Client:
        """A new user (with their personal team), and an API client logged in as them."""
        client = httpx.Client(base_url=self.url, timeout=30)
        client.post(
            "/api/auth/signup/", json={"username": username, "password": PASSWORD}
        ).raise_for_status()
        token = client.post(
            "/api/auth/token/", json={"username": username, "password": PASSWORD}
        ).json()["token"]
        client.headers["Authorization"] = f"Token {token}"
        return client

    @staticmethod
    def personal_team(client: httpx.Client) -> int:
        teams: list[dict[str, Any]] = client.get("/api/auth/me/").json()["teams"]
        return int(teams[0]["id"])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def _celery(
    env: dict[str, str], app: str, name: str, queues: str, log: Any
) -> subprocess.Popen[bytes]:
    """A worker of ``app`` on ``queues``, two threads (the machines that run this are small)."""
    command = [
        *(sys.executable, "-m", "celery", "-A", app, "worker", "-Q", queues),
        *("-n", f"e2e-{name}-{os.getpid()}@%h", "-l", "warning", "--pool=threads"),
        *("--concurrency=2", "--without-gossip", "--without-mingle", "--without-heartbeat"),
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


@contextmanager
def live_stack(*, workers: bool = False) -> Iterator[LiveStack]:
    """Start the stack (with Celery workers for runs when ``workers``); raises ``StackError``
    when the front end is not built or Chromium is missing (``make test`` builds and installs
    both)."""
    if not (ROOT / "frontend" / "dist" / "index.html").is_file():
        raise StackError("the front end is not built: run `make frontend`")
    if not Path(CHROMIUM).is_file():
        raise StackError(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with tempfile.TemporaryDirectory(prefix="octograph-e2e-") as tmp:
        redis_port = _free_port()
        redis = start_embedded_redis(redis_port, Path(tmp) / "redis")
        wait_for_port(redis_port, redis, "the stack's Redis")
        port = _free_port()
        env = {
            **os.environ,
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "SECRET_KEY": "e2e-only-secret-key",
            "DEBUG": "false",
            # Plain http on localhost: secure cookies would never be sent back.
            "SECURE_COOKIES": "false",
            "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
            "STATIC_ROOT": f"{tmp}/static",
            "LOG_LEVEL": "WARNING",
            # One browser session signs up a user per test, all from 127.0.0.1.
            "OCTOGRAPH_SIGNUPS_PER_ADDRESS": "1000",
            "OCTOGRAPH_MODELS_FILE": _slow_loading_models_file(Path(tmp)),
            # A kind from outside graphs/nodes/ (test_node_kind_plugin.py).
            "OCTOGRAPH_EXTRA_NODE_KINDS": "tests.node_kinds_extra",
        }
        _manage(env, "migrate", "--noinput")
        _manage(env, "collectstatic", "--noinput")
        log = open(f"{tmp}/server.log", "w+")  # noqa: SIM115 - closed below, after the server
        server = subprocess.Popen(
            [DAPHNE, "-b", "127.0.0.1", "-p", str(port), "webapp.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        processes = [server]
        if workers:
            fake = json.dumps(
                {
                    "token_delay": TOKEN_DELAY_S,
                    "hang": [HANGING_MODEL],
                    "load_s": {SLOW_LOADING_MODEL: LOAD_S},
                }
            )
            hosted = (MODEL, CLIP_MODEL, HANGING_MODEL, SLOW_LOADING_MODEL)
            models = ",".join(node_queue(key) for key in hosted)
            trainer = {"OCTOGRAPH_FAKE_TRAINER": str(TRAIN_STEP_S)}
            trainer["OCTOGRAPH_ADAPTERS_DIR"] = f"{tmp}/adapters"
            processes.append(
                _celery({**env, **trainer}, "webapp.celery_app", "runs", RUNS_WORKER_QUEUES, log)
            )
            processes.append(
                _celery(
                    {**env, "OCTOGRAPH_FAKE_BACKEND": fake},
                    "workers.celery_app",
                    "models",
                    models,
                    log,
                )
            )
        processes.append(redis)  # stopped last: the workers hand their tasks back to it
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_up(url, server, log)
            if workers:
                served = (*f"{RUNS_WORKER_QUEUES},{models}".split(","), ENDPOINTS_QUEUE)
                _wait_until_served(served, env["REDIS_URL"], processes, log)
            yield LiveStack(url=url)
        finally:
            for process in processes:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
            log.close()


def _slow_loading_models_file(tmp: Path) -> str:
    """Write the catalog entry of ``SLOW_LOADING_MODEL`` (its folder is empty: only the fake
    model host serves it) under ``tmp``; return the file's path."""
    folder = tmp / SLOW_LOADING_MODEL
    folder.mkdir()
    entry = {
        "key": SLOW_LOADING_MODEL,
        "display_name": "Slow-loading model (e2e, fake host)",
        "family": "e2e",
        "kind": "transformers",
        "source": {"type": "folder", "path": str(folder)},
    }
    path = tmp / "models.json"
    path.write_text(json.dumps({"models": [entry]}), encoding="utf-8")
    return str(path)


def _wait_until_served(
    queues: tuple[str, ...], redis_url: str, processes: list[subprocess.Popen[bytes]], log: Any
) -> None:
    """Until a worker announced each of ``queues`` (``workers.presence``): a test may then
    expect any of them served, whichever worker started last."""
    r = redis_lib.Redis.from_url(redis_url)
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if any(process.poll() is not None for process in processes):
            log.seek(0)
            raise StackError(f"a worker exited:\n{log.read()}")
        waiting = [queue for queue in queues if not presence.queue_is_served(queue, r=r)]
        if not waiting:
            return
        time.sleep(0.2)
    raise StackError(f"no worker announced {waiting} within {START_TIMEOUT_S} s")


def _wait_until_up(url: str, server: subprocess.Popen[bytes], log: Any) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise StackError(f"the server exited with {server.returncode}:\n{log.read()}")
        try:
            if httpx.get(f"{url}/api/auth/csrf/", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise StackError(f"the server did not answer within {START_TIMEOUT_S} s")
