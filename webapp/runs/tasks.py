"""Celery tasks of the runs queue (thin: they call ``services``), and sending node tasks.

They register on the app in ``workers.celery_app`` under the names that model hosts send to
(``ADVANCE_TASK``); the ``runs`` worker loads them through ``webapp.celery_app``.
"""

from __future__ import annotations

import os
from typing import Any

from django.db import OperationalError

from workers import presence
from workers.celery_app import ADVANCE_TASK, app
from workers.tasks import execute_node_task

# A locked SQLite database or a dropped connection: the step is atomic, so running it again is
# safe.
RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": 1, "max_retries": 5}
SWEEP_LOCK = "octograph:sweep"


@app.task(name="runs.start_run", **RETRY)
def start_run(run_id: int) -> None:
    from webapp.runs import services

    services.run_start(run_id=run_id)


@app.task(name=ADVANCE_TASK, **RETRY)
def advance_run(run_id: str, node_id: str, outcome: dict[str, Any]) -> None:
    from webapp.runs import services

    services.run_advance(run_id=int(run_id), node_id=node_id, outcome=outcome)


@app.task(name="runs.fail_lost_runs")
def fail_lost_runs() -> None:
    """Periodic (every ``OCTOGRAPH_SWEEP_S``, with beat or a runs worker's own sweeper thread:
    ``webapp.celery_app``): fail or re-send lost work (``services.fail_lost_runs``)."""
    sweep()


def sweep() -> None:
    """One sweep for lost work, unless another process swept less than ``OCTOGRAPH_SWEEP_S``
    ago (a lock in Redis: every runs worker and beat may ask)."""
    from webapp.runs import services

    interval_ms = int(presence.sweep_s() * 1000)
    if presence.client().set(SWEEP_LOCK, os.getpid(), nx=True, px=max(500, interval_ms - 500)):
        services.fail_lost_runs()


def send_node_task(
    run_id: str,
    job: dict[str, Any],
    *,
    queue: str,
    task_id: str,
    floor: int = 0,
    endpoint: dict[str, Any] | None = None,
) -> None:
    """Send a node to ``queue`` as ``task_id``, recorded as sent (``workers.presence``) first."""
    presence.mark_sent(task_id)
    execute_node_task.apply_async(
        args=[run_id, job],
        kwargs={"floor": floor, "endpoint": endpoint},
        queue=queue,
        task_id=task_id,
    )


def send_finished(task_name: str, run_id: int) -> None:
    """Tell whoever asked (``Run.on_finish``) that run ``run_id`` has finished."""
    app.send_task(task_name, args=[run_id])


def revoke_node_tasks(task_ids: list[str]) -> None:
    """Revoke node tasks still queued, so that workers drop them unexecuted.

    Running ones are not terminated (``terminate=True``): that kills the pool process and the
    models it has loaded, and thread pools cannot do it at all. They stop by themselves within
    ``workers.node_runner.CLOSED_POLL_S`` of their run closing.
    """
    app.control.revoke(task_ids)
