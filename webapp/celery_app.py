"""The Celery app with the web app's tasks: ``celery -A webapp.celery_app worker -Q runs``.

The ``runs`` worker advances runs and experiments, sweeps for lost work and executes the nodes of
teams' endpoints (it adds the ``endpoints`` queue itself); the ``training`` worker trains routers
(``-Q training``): both need the database; model hosts run ``celery -A workers.celery_app`` and
need only Redis. One worker may serve both kinds of queue.
``celery -A webapp.celery_app beat`` sends the periodic tasks of ``beat_schedule``.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

import django
from celery import signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webapp.settings")
django.setup()

from django import db  # noqa: E402

from webapp.catalog import routing  # noqa: E402
from webapp.evaluation import tasks as evaluation_tasks  # noqa: E402  (the experiment tasks)
from webapp.runs import tasks  # noqa: E402  (registers the runs tasks; needs django.setup())
from webapp.training import tasks as training_tasks  # noqa: E402  (registers the training task)
from workers import presence  # noqa: E402
from workers import tasks as workers_tasks  # noqa: E402
from workers.celery_app import ENDPOINTS_QUEUE, RUNS_QUEUE, app  # noqa: E402

log = logging.getLogger(__name__)

# A run whose node task was lost with its worker would otherwise stay running forever: look for
# lost work every OCTOGRAPH_SWEEP_S (``runs.fail_lost_runs``; every runs worker also sweeps by
# itself, ``_Sweeper``, so the cluster needs no beat for it). An experiment whose run's
# "finished" notice was lost (its worker restarted) would wait for it forever: the sweep scores
# such rows and goes on.
app.conf.beat_schedule = {
    "fail-lost-runs": {"task": "runs.fail_lost_runs", "schedule": presence.sweep_s()},
    "resume-experiments": {"task": evaluation_tasks.RESUME_TASK, "schedule": 60.0},
}

# Nodes of teams' endpoints execute on runs workers, which can read the endpoints.
workers_tasks.endpoint_clients = routing.endpoint_client


class _Sweeper:
    """A daemon thread of a runs worker calling ``tasks.sweep`` every ``OCTOGRAPH_SWEEP_S`` (a
    lock in Redis keeps the runs workers and beat from sweeping at once). Errors are logged and
    the next sweep tries again (Redis or the database may be away for a while)."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="octograph-sweeper", daemon=True)

    def start(self) -> _Sweeper:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        while not self._stop.wait(presence.sweep_s()):
            try:
                tasks.sweep()
            except Exception:
                log.exception("the sweep for lost runs failed")
            finally:
                db.close_old_connections()


_sweeper: _Sweeper | None = None


@signals.worker_ready.connect
def _serve_runs(sender: Any = None, **kwargs: Any) -> None:
    """A worker of the runs queue also serves ``ENDPOINTS_QUEUE`` (teams' endpoints need no
    weights, only the database this worker has) and sweeps for lost work, with no change to its
    command line."""
    global _sweeper
    consumer = sender
    if RUNS_QUEUE not in consumer.app.amqp.queues.consume_from:
        return
    if ENDPOINTS_QUEUE not in consumer.app.amqp.queues.consume_from:
        consumer.add_task_queue(ENDPOINTS_QUEUE)
    _sweeper = _Sweeper().start()


@signals.worker_shutting_down.connect
def _stop_sweeper(**kwargs: Any) -> None:
    if _sweeper is not None:
        _sweeper.stop()


__all__ = ["app", "evaluation_tasks", "tasks", "training_tasks"]
