"""Celery tasks of the model hosts. Thin: they decode the message and call ``node_runner``."""

from __future__ import annotations

from functools import cache
from typing import Any

from graphs.engine.remote import NodeJob
from graphs.runtime import ModelClient
from workers import settings
from workers.celery_app import ADVANCE_TASK, VISIBILITY_TIMEOUT_S, app
from workers.event_stream import EventStream
from workers.node_runner import run_node


@app.task(
    name="workers.execute_node",
    acks_late=True,
    reject_on_worker_lost=True,
    # A backstop below the broker's visibility timeout (prefork pools only): nodes enforce
    # their own per-attempt timeouts, far shorter.
    time_limit=VISIBILITY_TIMEOUT_S - 300,
)
def execute_node_task(run_id: str, job: dict[str, Any]) -> None:
    """Execute one node (sent to its model's queue) and hand its outcome to ``advance_run``."""
    node_job = NodeJob.from_json(job)
    outcome = run_node(run_id, node_job, stream=event_stream(), client=model_client())
    if outcome is not None:
        app.send_task(ADVANCE_TASK, args=[run_id, node_job.node, outcome])


@cache
def event_stream() -> EventStream:
    return EventStream.from_settings()


@cache
def model_client() -> ModelClient:
    """The process's model runtime (one per process: it caches loaded models)."""
    fake = settings.fake_backend()
    if fake is not None:
        from workers.backends.fake import FakeBackend

        return FakeBackend(**fake)
    from workers.runtime import ModelRuntime

    return ModelRuntime()
