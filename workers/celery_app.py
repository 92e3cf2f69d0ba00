"""The Celery app of Octograph: model hosts and the web app's run advancer share it.

Start a model host with ``celery -A workers.celery_app worker -Q model.<key>[,model.<key>...]``:
it needs only Redis and the weights, never the database. The web app's tasks (queue ``runs``)
register on this same app from ``webapp.celery_app``; workers/ never imports webapp/, so node
tasks reach them by name (``send_task``).

Queues: ``model.<catalog key>`` for nodes that call a model (``node_queue``) and for judging
experiment rows with that model (``workers.judge``), ``runs`` for
starting and advancing runs and experiments (``evaluation.*`` tasks), ``training`` for training
routers (``training.*`` tasks), ``endpoints`` for nodes of teams' OpenAI-compatible endpoints
(``ENDPOINTS_QUEUE``). Tasks are acknowledged after they finish (``acks_late``), so a task whose
worker dies is delivered again; each worker reserves one message at a time. Node tasks are the
exception (``workers.tasks``): lost ones are found by their heartbeat (``workers.presence``) and
sent again or failed by the runs app's sweeper, so the broker's redelivery is only a backstop.

Every worker of this app announces the queues it consumes in Redis (``workers.presence``), so
that a node sent to a queue nobody serves is reported as waiting rather than silently stuck.
Redis going away is survived: the worker retries its connection forever, and the consumer steps
that break on reconnection with the Redis transport (gossip, mingle and the event heartbeat,
which the cluster does not use: presence is in Redis) are left out (``Consumer``).
"""

from __future__ import annotations

import contextlib
from typing import Any, ClassVar

import kombu.transport
import redis
from celery import Celery, signals
from celery.worker.consumer import Consumer as CeleryConsumer
from kombu.transport import redis as kombu_redis

from workers import presence, settings

RUNS_QUEUE = "runs"
TRAINING_QUEUE = "training"
ENDPOINTS_QUEUE = "endpoints"
"""Nodes of teams' OpenAI-compatible endpoints (registered in the web app at run time): network
clients that need no local weights, served by every runs worker (``webapp.celery_app``)."""
ADVANCE_TASK = "runs.advance_run"
"""The web app's task that folds a node's outcome into its run: ``(run_id, node_id, outcome)``."""
JUDGE_TASK = "workers.judge"
"""The model hosts' task that grades an experiment row's answer: ``(row_id, job)``, sent to the
judge model's queue (``node_queue``); ``job`` is ``workers.judge_runner.JudgeJob`` JSON."""
JUDGED_TASK = "evaluation.row_judged"
"""The web app's task that stores a row's judge score: ``(row_id, score)`` (``Score`` JSON)."""


def visibility_timeout_s() -> int:
    """Seconds before the broker hands an unacknowledged message (its worker died) to another
    worker: ``OCTOGRAPH_VISIBILITY_TIMEOUT_S`` (default 1800, 60 to 86400): longer than a node
    with the default timeouts may take, deadline grace included. Node tasks do not depend on it
    (they are acknowledged on start, and a second copy of one skips itself while the first
    beats), so it only bounds how long a step of the runs queue or a training job whose worker
    died waits to be delivered again."""
    return settings._bounded_int("OCTOGRAPH_VISIBILITY_TIMEOUT_S", 1800, 60, 86400)


NODE_TIME_LIMIT_S = 6 * 3600 + 600
"""A backstop for node and judge tasks (prefork pools only): longer than a node's worst case
(3600 s per attempt, at most 6 attempts); nodes enforce their own per-attempt timeouts."""


_LEFT_OUT = frozenset(
    {
        "celery.worker.consumer.mingle:Mingle",
        "celery.worker.consumer.gossip:Gossip",
        "celery.worker.consumer.heart:Heart",
    }
)


class Consumer(CeleryConsumer):
    """Celery's consumer without the Mingle, Gossip and Heart steps. With the Redis transport
    their fan-out channels are what breaks when Redis restarts (the worker died with "'NoneType'
    object has no attribute 'hostname'" while closing them, kombu#582); the cluster needs none of
    them: worker liveness is ``workers.presence``. The same as ``--without-mingle
    --without-gossip --without-heartbeat``, whatever the command line says."""

    class Blueprint(CeleryConsumer.Blueprint):
        default_steps: ClassVar = [
            step for step in CeleryConsumer.Blueprint.default_steps if step not in _LEFT_OUT
        ]


class _Channel(kombu_redis.Channel):
    """A Redis channel that reports a closed connection as a connection error.

    A task acknowledged after Redis went away and the consumer reconnected is acknowledged on
    its old channel, whose connection is gone: kombu then failed with "AttributeError:
    'NoneType' object has no attribute 'hostname'", which killed the worker ("Unrecoverable
    error"). As a connection error the failed acknowledgement is logged and the worker goes on;
    the message comes back after the visibility timeout, and every task is idempotent (a node
    already settled, an outcome already folded, a run already started: each does nothing)."""

    def _connparams(self, asynchronous: bool = False) -> Any:
        if self.connection.client is None:
            raise redis.ConnectionError("the channel's connection to Redis was closed")
        return super()._connparams(asynchronous=asynchronous)


class RedisTransport(kombu_redis.Transport):
    Channel = _Channel


# ``redis://`` and ``rediss://`` broker URLs resolve to the transport above.
for _scheme in ("redis", "rediss"):
    kombu.transport.TRANSPORT_ALIASES[_scheme] = "workers.celery_app:RedisTransport"


class _Config:
    """Celery settings. Read when the app is first used, not at import, so that a ``REDIS_URL``
    set after import (the tests pick a private Redis database) is the one used."""

    task_serializer = result_serializer = "json"
    accept_content = ("json",)
    task_ignore_result = True
    task_acks_late = True
    task_reject_on_worker_lost = True
    worker_prefetch_multiplier = 1
    task_routes: ClassVar = {
        "runs.*": {"queue": RUNS_QUEUE},
        # Experiments advance beside their runs; the runs app sends ``evaluation.row_finished``
        # by name (``Run.on_finish``), so the route must be known wherever a run finishes.
        "evaluation.*": {"queue": RUNS_QUEUE},
        "training.*": {"queue": TRAINING_QUEUE},
    }
    broker_connection_retry = True
    broker_connection_retry_on_startup = True
    broker_connection_max_retries = None  # a worker outlives any Redis outage
    # Node tasks are acknowledged on start and keep running through a blip (their heartbeat and
    # outcome resume with Redis); runs steps are short and idempotent.
    worker_cancel_long_running_tasks_on_connection_loss = False
    worker_consumer = "workers.celery_app:Consumer"
    worker_hijack_root_logger = False

    @property
    def broker_transport_options(self) -> dict[str, Any]:
        # Short socket timeouts: with Redis down, publishing (a run's start, from a web request)
        # fails in seconds (kombu's OperationalError) instead of hanging.
        return {
            "visibility_timeout": visibility_timeout_s(),
            "socket_connect_timeout": 5,
            "socket_timeout": 30,
            "health_check_interval": 10,
        }

    @property
    def broker_url(self) -> str:
        return settings.redis_url()

    @property
    def result_backend(self) -> str:
        return settings.redis_url()


app = Celery("octograph", include=["workers.tasks"])
app.config_from_object(_Config())


def node_queue(model: str) -> str:
    """The queue of the workers hosting catalog model ``model``."""
    return f"model.{model}"


# --- presence: each worker announces its queues while it runs (``workers.presence``) ----------

_beat: presence.WorkerBeat | None = None


@signals.worker_ready.connect
def _announce(sender: Any = None, **kwargs: Any) -> None:
    """Start announcing this worker's queues (read at each beat: ``add_consumer`` counts)."""
    global _beat
    consumer = sender
    hostname = consumer.hostname

    def queues() -> list[str]:
        task_consumer = getattr(consumer, "task_consumer", None)
        if task_consumer is None:  # reconnecting
            return list(consumer.app.amqp.queues.consume_from)
        return [queue.name for queue in task_consumer.queues]

    _beat = presence.WorkerBeat(hostname, queues).start()


@signals.worker_shutting_down.connect
def _withdraw(**kwargs: Any) -> None:
    if _beat is not None:
        _beat.stop()


@signals.task_received.connect
def _received(request: Any = None, **kwargs: Any) -> None:
    """A node task reserved by this worker is "claimed" by it until it starts: if the worker
    dies before, the sweeper sends the node again at once."""
    if request is not None and request.name == "workers.execute_node":
        # Redis away: the sweeper falls back to the task's deadline.
        with contextlib.suppress(Exception):
            presence.mark_received(request.id, request.hostname)
