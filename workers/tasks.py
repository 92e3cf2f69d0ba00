"""Celery tasks of the model hosts. Thin: they decode the message and call ``node_runner`` (a
node of a run) or ``judge_runner`` (grading an experiment row's answer)."""

from __future__ import annotations

from functools import cache
from typing import Any

from graphs.engine.remote import NodeJob
from graphs.runtime import ModelClient
from workers import settings
from workers.celery_app import ADVANCE_TASK, JUDGE_TASK, JUDGED_TASK, VISIBILITY_TIMEOUT_S, app
from workers.event_stream import EventStream
from workers.judge_runner import JudgeJob, run_judge
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


@app.task(
    name=JUDGE_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=VISIBILITY_TIMEOUT_S - 300,
)
def judge_task(row_id: int, job: dict[str, Any]) -> None:
    """Grade an experiment row's answer with the judge model (sent to its model's queue) and
    hand the score to the web app's ``evaluation.row_judged``, by name. A failing judge sends a
    None score with the error, so the row never waits forever."""
    score = run_judge(JudgeJob.from_json(job), client=model_client())
    app.send_task(JUDGED_TASK, args=[row_id, score])


@cache
def event_stream() -> EventStream:
    return EventStream.from_settings()


@cache
def model_client() -> ModelClient:
    """The process's model runtime (one per process: it caches loaded models)."""
    fake = settings.fake_backend()
    if fake is not None:
        from workers.backends.fake import FakeBackend, fixed_reply

        if "reply" in fake:
            fake = {**fake, "reply": fixed_reply(fake["reply"])}
        return FakeBackend(**fake)
    from workers.runtime import ModelRuntime

    return ModelRuntime()
