"""Celery tasks of the model hosts. Thin: they decode the message and call ``node_runner`` (a
node of a run) or ``judge_runner`` (grading an experiment row's answer)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from celery import Task

from graphs.engine.execution import NodeFailure
from graphs.engine.remote import NodeJob, failure_to_json
from graphs.runtime import ModelClient
from workers import presence, settings
from workers.celery_app import ADVANCE_TASK, JUDGE_TASK, JUDGED_TASK, NODE_TIME_LIMIT_S, app
from workers.event_stream import shared_stream
from workers.judge_runner import JudgeJob, judge_failure, run_judge
from workers.node_runner import run_node

# A node's outcome must reach the runs queue even across a Redis blip: publishing retries for
# about a minute (the node's heartbeat is kept meanwhile) before the task gives up.
OUTCOME_RETRY = {"max_retries": 40, "interval_start": 0.5, "interval_step": 0.5, "interval_max": 2}

EndpointClients = Callable[[dict[str, Any]], ModelClient]
endpoint_clients: EndpointClients | None = None
"""How a worker that serves ``ENDPOINTS_QUEUE`` turns a node's ``endpoint`` reference (``{"team":
id, "key": model key}``) into the client of that team endpoint; set by the web app's Celery app
(``webapp.celery_app``), which can read the endpoints (workers/ never imports webapp/)."""


@app.task(
    name="workers.execute_node",
    bind=True,
    # A pool process killed mid-node puts the task back at once (the run completes on the next
    # process). A whole worker killed is found by the node's heartbeat (``workers.presence``):
    # the runs app's sweeper sends the node again once, long before the broker's visibility
    # timeout would. Either way the deltas of the lost attempt stay in the stream and the
    # outcome is folded in once (``webapp.runs.driver.run_advance``).
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=NODE_TIME_LIMIT_S,
)
def execute_node_task(
    self: Task,
    run_id: str,
    job: dict[str, Any],
    floor: int = 0,
    endpoint: dict[str, Any] | None = None,
) -> None:
    """Execute one node (sent to its model's queue) and hand its outcome to ``advance_run``.

    ``floor``: the run's last stored seq when it was sent (``EventStream.publish``);
    ``endpoint``: set for a node of a team's endpoint (``ENDPOINTS_QUEUE``)."""
    node_job = NodeJob.from_json(job)
    with presence.node_heartbeat(self.request.id or "", self.request.hostname or "?"):
        try:
            client = model_client() if endpoint is None else _endpoint_client(endpoint)
        except Exception as error:  # e.g. the endpoint was removed: the node fails, saying why
            outcome: dict[str, Any] | None = failure_to_json(NodeFailure(str(error), "internal"))
        else:
            outcome = run_node(run_id, node_job, stream=shared_stream(), client=client, floor=floor)
        if outcome is not None:
            app.send_task(
                ADVANCE_TASK,
                args=[run_id, node_job.node, outcome],
                retry=True,
                retry_policy=OUTCOME_RETRY,
            )


def _endpoint_client(endpoint: dict[str, Any]) -> ModelClient:
    if endpoint_clients is None:
        raise RuntimeError(
            "this worker cannot reach teams' endpoints: run it with webapp.celery_app"
        )
    return endpoint_clients(endpoint)


@app.task(
    name=JUDGE_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=NODE_TIME_LIMIT_S,
)
def judge_task(row_id: int, job: dict[str, Any], endpoint: dict[str, Any] | None = None) -> None:
    """Grade an experiment row's answer with the judge model (sent to its model's queue, or to
    ``ENDPOINTS_QUEUE`` with ``endpoint`` for a team's endpoint) and hand the score to the web
    app's ``evaluation.row_judged``, by name. A failing judge sends a None score with the error,
    so the row never waits forever."""
    judge_job = JudgeJob.from_json(job)
    try:
        client = model_client() if endpoint is None else _endpoint_client(endpoint)
    except Exception as error:  # e.g. the endpoint was removed: the row scores None, saying why
        score = judge_failure(judge_job, f"{type(error).__name__}: {error}").to_json()
    else:
        score = run_judge(judge_job, client=client)
    app.send_task(JUDGED_TASK, args=[row_id, score])


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
