"""What the runs app sends to Celery: a run's start, its nodes, its "finished" notice, revokes.

Services, the driver and the sweeper send through here, by task name or through the model hosts'
``workers.tasks``, never through ``webapp.runs.tasks``: the tasks import the code they run, and
nothing imports the tasks back. Every function sends at once; callers that write call them from
``transaction.on_commit``. A broker that cannot be reached raises
``kombu.exceptions.OperationalError`` (or a ``redis.RedisError``/``OSError``).
"""

from __future__ import annotations

from typing import Any

from workers import presence
from workers.celery_app import app
from workers.tasks import execute_node_task

START_TASK = "runs.start_run"
"""The task that begins a queued run (``webapp.runs.tasks.start_run``)."""


def start_run(run_id: int) -> None:
    """Send run ``run_id``'s ``START_TASK`` to the runs queue."""
    # As ``Task.delay`` would (``task_ignore_result``): ``send_task`` otherwise subscribes this
    # process to a result that nothing reads.
    app.send_task(START_TASK, args=[run_id], ignore_result=True)


def node_task(
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


def run_finished(task_name: str, run_id: int) -> None:
    """Tell whoever asked (``Run.on_finish``, a task name) that run ``run_id`` has finished."""
    app.send_task(task_name, args=[run_id])


def revoke_node_tasks(task_ids: list[str]) -> None:
    """Revoke node tasks still queued, so that workers drop them unexecuted.

    Running ones are not terminated (``terminate=True``): that kills the pool process and the
    models it has loaded, and thread pools cannot do it at all. They stop by themselves within
    ``workers.node_runner.CLOSED_POLL_S`` of their run closing.
    """
    app.control.revoke(task_ids)
