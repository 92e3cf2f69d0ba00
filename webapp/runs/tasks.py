"""Celery tasks of the runs queue (thin: they call ``services``), and sending node tasks.

They register on the app in ``workers.celery_app`` under the names that model hosts send to
(``ADVANCE_TASK``); the ``runs`` worker loads them through ``webapp.celery_app``.
"""

from __future__ import annotations

from typing import Any

from django.db import OperationalError

from workers.celery_app import ADVANCE_TASK, app
from workers.tasks import execute_node_task

# A locked SQLite database or a dropped connection: the step is atomic, so running it again is
# safe.
RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": 1, "max_retries": 5}


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
    """Periodic (e.g. every minute with celery beat): fail runs whose node task was lost."""
    from webapp.runs import services

    services.fail_lost_runs()


def send_node_task(run_id: str, job: dict[str, Any], *, queue: str, task_id: str) -> None:
    execute_node_task.apply_async(args=[run_id, job], queue=queue, task_id=task_id)


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
