"""Liveness in Redis: which workers are up and which queues they serve, and which node tasks
are still being worked on. The runs app's sweeper (``webapp.runs.sweeper.fail_lost_runs``)
reads it to find lost work in seconds instead of waiting for the broker's visibility timeout.

Keys (all expire, so a process killed with SIGKILL simply stops refreshing them):

- ``octograph:worker:<hostname>``: the worker is alive (JSON: the queues it consumes), refreshed
  every ``beat_interval_s()`` by the worker's main process (``start_worker_beat``), expiring
  ``heartbeat_timeout_s()`` after the last refresh;
- ``octograph:queue:<queue>``: sorted set of the hostnames consuming ``queue``, each scored with
  the time (ms) its announcement runs out: ``queue_is_served`` counts the unexpired ones;
- ``octograph:task:<task id>``: hash of a dispatched node task: ``state`` is ``sent`` (by the
  dispatcher, ``mark_sent``), ``claimed`` (a worker received it: ``worker`` names it), ``running``
  (it executes, with a heartbeat), ``done`` (its outcome was sent to the runs queue) or
  ``crashed`` (the task raised: no outcome will come);
- ``octograph:task:<task id>:beat``: present while the node runs, refreshed every
  ``beat_interval_s()``; it expires ``heartbeat_timeout_s()`` after its worker died.

Settings (environment, read when called):

- ``OCTOGRAPH_HEARTBEAT_TIMEOUT_S``: seconds of silence after which a worker or a running node
  is given up for lost (default 30, 2 to 3600); heartbeats are sent six times as often.
- ``OCTOGRAPH_WORKER_WAIT_S``: seconds a node may wait for a worker of its queue when none is
  alive before its run fails (default 120, 5 to 86400).
- ``OCTOGRAPH_SWEEP_S``: seconds between two sweeps for lost work (default 10, 1 to 3600).
- ``OCTOGRAPH_START_TIMEOUT_S``: seconds a queued run may wait for its start before
  ``runs.start_run`` is sent again; it fails after twice this when the runs queue is idle
  (default 60, 2 to 86400).
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

import redis

from workers import settings
from workers.env import env_int

log = logging.getLogger(__name__)

TASK_TTL_S = 2 * 86400
"""How long a node task's record is kept (longer than any node's deadline)."""


def heartbeat_timeout_s() -> float:
    return float(env_int("OCTOGRAPH_HEARTBEAT_TIMEOUT_S", 30, low=2, high=3600))


def beat_interval_s() -> float:
    return heartbeat_timeout_s() / 6


def worker_wait_s() -> float:
    return float(env_int("OCTOGRAPH_WORKER_WAIT_S", 120, low=5, high=86400))


def sweep_s() -> float:
    return float(env_int("OCTOGRAPH_SWEEP_S", 10, low=1, high=3600))


def start_timeout_s() -> float:
    return float(env_int("OCTOGRAPH_START_TIMEOUT_S", 60, low=2, high=86400))


@cache
def client() -> redis.Redis:
    """A client on ``REDIS_URL`` with short timeouts: liveness checks must never hang a step."""
    return redis.Redis.from_url(
        settings.redis_url(), socket_timeout=5, socket_connect_timeout=5, health_check_interval=10
    )


def _worker_key(hostname: str) -> str:
    return f"octograph:worker:{hostname}"


def queue_key(queue: str) -> str:
    """The sorted set of the workers announcing ``queue`` (public: the Models page reads it)."""
    return f"octograph:queue:{queue}"


def _task_key(task_id: str) -> str:
    return f"octograph:task:{task_id}"


def _beat_key(task_id: str) -> str:
    return f"octograph:task:{task_id}:beat"


# --- workers and the queues they serve ------------------------------------------------------


def announce(hostname: str, queues: Iterable[str], *, r: redis.Redis | None = None) -> None:
    """Say that worker ``hostname`` is alive and consumes ``queues``, for the next
    ``heartbeat_timeout_s()``."""
    r = r or client()
    ttl_ms = int(heartbeat_timeout_s() * 1000)
    until = int(time.time() * 1000) + ttl_ms
    queues = sorted(set(queues))
    pipe = r.pipeline(transaction=False)
    pipe.set(_worker_key(hostname), json.dumps({"queues": queues}), px=ttl_ms)
    for queue in queues:
        pipe.zadd(queue_key(queue), {hostname: until})
        pipe.zremrangebyscore(queue_key(queue), "-inf", until - 10 * ttl_ms)
        pipe.pexpire(queue_key(queue), 10 * ttl_ms)
    pipe.execute()


def withdraw(hostname: str, queues: Iterable[str], *, r: redis.Redis | None = None) -> None:
    """Say that worker ``hostname`` stopped (a clean shutdown)."""
    r = r or client()
    pipe = r.pipeline(transaction=False)
    pipe.delete(_worker_key(hostname))
    for queue in queues:
        pipe.zrem(queue_key(queue), hostname)
    pipe.execute()


def worker_alive(hostname: str, *, r: redis.Redis | None = None) -> bool:
    return bool((r or client()).exists(_worker_key(hostname)))


def queue_is_served(queue: str, *, r: redis.Redis | None = None) -> bool:
    """Whether a live worker announced that it consumes ``queue``."""
    now_ms = int(time.time() * 1000)
    return bool((r or client()).zcount(queue_key(queue), now_ms, "+inf"))


class WorkerBeat:
    """A daemon thread announcing a worker's queues every ``beat_interval_s()``. ``queues`` is
    called at each beat, so queues added at run time (``add_consumer``) are announced too.
    Redis errors are logged and the beat goes on: it resumes when Redis is back."""

    def __init__(self, hostname: str, queues: Callable[[], Iterable[str]]) -> None:
        self.hostname = hostname
        self._queues = queues
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="octograph-beat", daemon=True)
        self._last: list[str] = []

    def start(self) -> WorkerBeat:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        with contextlib.suppress(redis.RedisError):
            withdraw(self.hostname, self._last)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self._last = sorted(self._queues())
                announce(self.hostname, self._last)
            except redis.RedisError as error:
                log.warning("could not announce worker %s: %s", self.hostname, error)
            except Exception:  # the beat must outlive any bug in reading the queues
                log.exception("worker beat of %s failed", self.hostname)
            self._stop.wait(beat_interval_s())


# --- node tasks --------------------------------------------------------------------------------

# Mark a received task "claimed" unless a copy of it already runs or ran.
_CLAIM = """
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'running' or state == 'done' then return 0 end
redis.call('HSET', KEYS[1], 'state', 'claimed', 'worker', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
"""


def mark_sent(task_id: str, *, r: redis.Redis | None = None) -> None:
    """Record that node task ``task_id`` was sent to its queue (before sending it)."""
    key = _task_key(task_id)
    (r or client()).pipeline(transaction=False).hset(key, "state", "sent").expire(
        key, TASK_TTL_S
    ).execute()


def mark_received(task_id: str, hostname: str, *, r: redis.Redis | None = None) -> None:
    """Record that worker ``hostname`` received node task ``task_id`` (it may not start it at
    once: a worker reserves a message ahead)."""
    r = r or client()
    r.eval(_CLAIM, 1, _task_key(task_id), hostname, TASK_TTL_S)


@dataclass(frozen=True)
class TaskStatus:
    """What Redis knows of a node task: ``state`` (None: no record, e.g. Redis lost its data),
    the worker that holds it, whether that worker and the node's heartbeat are alive."""

    state: str | None
    worker: str | None
    worker_alive: bool
    beating: bool


def task_status(task_id: str, *, r: redis.Redis | None = None) -> TaskStatus:
    r = r or client()
    state, worker = r.hmget(_task_key(task_id), ["state", "worker"])
    hostname = worker.decode() if worker else None
    pipe = r.pipeline(transaction=False)
    pipe.exists(_beat_key(task_id))
    pipe.exists(_worker_key(hostname or "-"))
    beating, alive = pipe.execute()
    return TaskStatus(state.decode() if state else None, hostname, bool(alive), bool(beating))


class _NodeBeats:
    """One daemon thread per process refreshing the heartbeat keys of the nodes it runs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[str] = set()
        self._thread: threading.Thread | None = None

    def add(self, task_id: str) -> None:
        with self._lock:
            self._running.add(task_id)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._loop, name="octograph-node-beat", daemon=True
                )
                self._thread.start()

    def discard(self, task_id: str) -> None:
        with self._lock:
            self._running.discard(task_id)

    def _loop(self) -> None:
        while True:
            time.sleep(beat_interval_s())
            with self._lock:
                running = list(self._running)
            if not running:
                continue
            ttl_ms = int(heartbeat_timeout_s() * 1000)
            try:
                pipe = client().pipeline(transaction=False)
                for task_id in running:
                    pipe.set(_beat_key(task_id), "1", px=ttl_ms)
                pipe.execute()
            except redis.RedisError as error:
                log.warning("could not refresh node heartbeats: %s", error)


_beats = _NodeBeats()


@contextmanager
def node_heartbeat(task_id: str, hostname: str) -> Iterator[None]:
    """Mark node task ``task_id`` running on ``hostname`` and keep its heartbeat while the block
    runs. On exit the task is marked ``done`` (its outcome, if any, was sent), or ``crashed``
    when the block raised, and its heartbeat removed. Redis errors are logged, never raised: a
    node runs through a Redis blip (the sweeper may then send it again once)."""
    r = client()
    key, beat = _task_key(task_id), _beat_key(task_id)
    ttl_ms = int(heartbeat_timeout_s() * 1000)
    try:
        pipe = r.pipeline(transaction=False)
        pipe.set(beat, "1", px=ttl_ms)
        pipe.hset(key, mapping={"state": "running", "worker": hostname})
        pipe.expire(key, TASK_TTL_S)
        pipe.execute()
    except redis.RedisError as error:
        log.warning("could not mark node task %s running: %s", task_id, error)
    _beats.add(task_id)
    state = "crashed"
    try:
        yield
        state = "done"
    finally:
        _beats.discard(task_id)
        try:
            r.pipeline(transaction=False).hset(key, "state", state).delete(beat).execute()
        except redis.RedisError as error:
            log.warning("could not mark node task %s %s: %s", task_id, state, error)
