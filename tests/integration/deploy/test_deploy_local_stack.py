"""``make run`` (``deploy/local_stack.py``) as a user starts it, on temporary ports, database and
state folder, with the fake model backend: each of its children killed with SIGKILL comes back
(the worker answers a ping again, Redis still holds what it held, Daphne answers HTTP), and
SIGTERM to the supervisor stops them all, leaving no process behind."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import redis
from celery import Celery
from kombu.exceptions import KombuError

from tests.processes import alive

ROOT = Path(__file__).resolve().parents[3]
START_TIMEOUT_S = 120
RESTART_TIMEOUT_S = 60

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def group_is_empty(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def wait_for(done: Callable[[], bool], what: str, timeout_s: float = RESTART_TIMEOUT_S) -> float:
    """Seconds until ``done()``; fails naming ``what`` after ``timeout_s``."""
    started = time.monotonic()
    while not done():
        assert time.monotonic() - started < timeout_s, f"{what} within {timeout_s} s"
        time.sleep(0.05)
    return time.monotonic() - started


@dataclass
class Stack:
    process: subprocess.Popen[str]
    url: str
    redis: redis.Redis
    broker_url: str
    lines: list[str] = field(default_factory=list)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def pids(self, name: str) -> list[int]:
        """Every pid the supervisor reported for ``name``, first start first."""
        pattern = rf"\[supervisor\] (?:started|restarted) {re.escape(name)} \(pid (\d+)\)"
        return [int(pid) for pid in re.findall(pattern, self.output)]

    def kill(self, name: str) -> int:
        """SIGKILL ``name``'s current process and wait until the supervisor restarts it;
        returns the killed pid."""
        old = self.pids(name)[-1]
        os.kill(old, signal.SIGKILL)
        wait_for(lambda: self.pids(name)[-1] != old, f"{name} restarted")
        assert alive(self.pids(name)[-1])
        return old

    def answers_http(self) -> bool:
        try:
            return httpx.get(f"{self.url}/api/auth/csrf/", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    def redis_answers(self) -> bool:
        try:
            return bool(self.redis.ping())
        except redis.ConnectionError:
            return False

    def worker_answers(self) -> bool:
        app = Celery(broker=self.broker_url)
        try:
            return bool(app.control.ping(timeout=1))
        except (OSError, redis.RedisError, KombuError):  # Redis is restarting
            return False
        finally:
            app.close()


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    port, redis_port = free_port(), free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        # The test session's Redis and settings are not the stack's.
        if key not in {"REDIS_URL", "DEBUG", "OCTOGRAPH_DEBUG", "STATIC_ROOT"}
    }
    env.update(
        OCTOGRAPH_PORT=str(port),
        OCTOGRAPH_REDIS_PORT=str(redis_port),
        OCTOGRAPH_STATE_DIR=str(tmp_path / "state"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        OCTOGRAPH_FAKE_BACKEND="1",
        PYTHONUNBUFFERED="1",
    )
    process = subprocess.Popen(
        [sys.executable, "deploy/local_stack.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    stack = Stack(
        process=process,
        url=f"http://127.0.0.1:{port}",
        redis=redis.Redis(port=redis_port, socket_timeout=2),
        broker_url=f"redis://127.0.0.1:{redis_port}/0",
    )
    # Drained all along: the children share the pipe and would block on a full one.
    reader = threading.Thread(target=lambda: stack.lines.extend(process.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while "Octograph is running at" not in stack.output:
            assert process.poll() is None, f"the stack exited:\n{stack.output[-5000:]}"
            assert time.monotonic() < deadline, f"no URL yet:\n{stack.output[-5000:]}"
            time.sleep(0.1)
        yield stack
    finally:
        if process.poll() is None:
            process.kill()  # the test failed before its SIGTERM: leave nothing running
            for name in ("embedded Redis", "Celery worker", "Celery beat", "Daphne"):
                for pid in stack.pids(name):
                    if not group_is_empty(pid):
                        os.killpg(pid, signal.SIGKILL)
        process.wait()
        stack.redis.close()


def test_make_run_restarts_each_killed_child_and_sigterm_stops_them_all(stack: Stack) -> None:
    assert stack.answers_http()
    assert stack.pids("Celery beat")  # the sweeper of lost runs runs too
    wait_for(stack.worker_answers, "the worker answers a ping")

    old = stack.kill("Celery worker")
    assert (
        f"Celery worker (pid {old}) died with status -9 (SIGKILL); restarting it in 0.5 s"
        in stack.output
    )
    wait_for(stack.worker_answers, "the restarted worker answers a ping")
    assert not alive(old)

    stack.redis.set("octograph:test:kept", "yes")
    time.sleep(1.5)  # the append-only file is flushed every second
    stack.kill("embedded Redis")
    wait_for(stack.redis_answers, "the restarted Redis answers")
    assert stack.redis.get("octograph:test:kept") == b"yes"
    wait_for(stack.worker_answers, "the worker reconnects to the restarted Redis")

    stack.kill("Daphne")
    wait_for(stack.answers_http, "the restarted Daphne answers")
    assert stack.process.poll() is None  # three deaths, and the stack still runs

    stack.process.send_signal(signal.SIGTERM)
    assert stack.process.wait(timeout=60) == 0, stack.output[-3000:]

    names = ("embedded Redis", "Celery worker", "Celery beat", "Daphne")
    started = [pid for name in names for pid in stack.pids(name)]
    assert len(started) >= 7, stack.output[-3000:]  # four children, three restarted at least once
    leftovers = [pid for pid in started if alive(pid) or not group_is_empty(pid)]
    assert leftovers == [], stack.output[-3000:]
