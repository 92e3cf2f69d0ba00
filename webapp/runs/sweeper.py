"""The sweeper for lost work: nodes whose worker died or never came, runs that never started.

``fail_lost_runs`` runs every ``OCTOGRAPH_SWEEP_S`` (the ``runs.fail_lost_runs`` task, sent by
beat or by a runs worker's own sweeper thread: ``webapp.celery_app``). It reads what
``workers.presence`` knows of each dispatched node's task and, only for a run where something
must change, takes the run's lock and a step of the driver (``webapp.runs.driver``): failing a
node, sending it again, or saying that it waits for a worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import kombu.exceptions
import redis
from django.db import transaction
from django.utils import timezone

from graphs.engine.execution import NodeFailure
from graphs.engine.remote import NodeJob, failure_to_json, fold_outcome
from graphs.engine.scheduler import Scheduler
from graphs.engine.state import RunState
from graphs.events import EventDraft, EventType
from webapp.catalog.routing import node_route
from webapp.runs import driver, enqueue
from webapp.runs.models import Run, RunStatus
from workers import presence
from workers.celery_app import RUNS_QUEUE

log = logging.getLogger(__name__)


def fail_lost_runs(*, now: datetime | None = None) -> list[int]:
    """Sweep for lost work (the periodic ``runs.fail_lost_runs``, every ``OCTOGRAPH_SWEEP_S``);
    the ids of the runs it failed.

    For each node dispatched to a model host (``run.nodes``), from what ``workers.presence``
    knows of its task:

    - past its deadline: failed, as before heartbeats ("its worker was lost");
    - crashed (the task raised): failed;
    - running, but its heartbeat stopped (``OCTOGRAPH_HEARTBEAT_TIMEOUT_S``: its worker died
      mid-node), reserved by a worker that died before starting it, or its message gone (Redis
      restarted without its data): sent again once, with the same task id (the deltas of a
      lost attempt stay in the stream, as when a pool process dies), then failed;
    - still queued while no live worker serves its queue: ``node.waiting`` (once, saying which
      model), then failed after ``OCTOGRAPH_WORKER_WAIT_S``.

    A node whose outcome arrives after its run failed is ignored (``driver.run_advance``).
    Queued runs are swept too (``_sweep_queued``). Each run is locked only when something must
    change.
    """
    now = now or timezone.now()
    failed = []
    running = Run.objects.filter(status=RunStatus.RUNNING).values_list("pk", "nodes")
    for run_id, nodes in list(running):
        if not any(_verdict(info, now) for info in (nodes or {}).values()):
            continue
        with transaction.atomic():
            run = driver.locked(run_id)
            if run is None or run.finished or run.state is None:
                continue
            if _sweep_run(run, now):
                failed.append(run_id)
    failed += _sweep_queued(now)
    return failed


@dataclass(frozen=True)
class _Verdict:
    """What the sweep does with a dispatched node: ``fail`` (with ``reason``), ``resend``,
    ``wait`` (no worker serves its queue: ``node.waiting``) or ``served`` (it waited and a
    worker came)."""

    action: str
    reason: str = ""


def _verdict(info: Mapping[str, Any], now: datetime) -> _Verdict | None:
    """The sweep's verdict on a node of ``Run.nodes``; None: leave it be. Raises nothing: with
    Redis unreachable only deadlines are checked."""
    if datetime.fromisoformat(info["deadline"]) < now:
        return _Verdict("fail", "its worker was lost: no result before the node's deadline")
    if "queue" not in info:  # a deferred inline node, or dispatched before heartbeats
        return None
    try:
        status = presence.task_status(info["task"])
        served = status.state != "sent" or presence.queue_is_served(info["queue"])
    except redis.RedisError:
        return None
    timeout = presence.heartbeat_timeout_s()
    worker = status.worker or "?"
    if status.state == "crashed":
        return _Verdict("fail", f"its task crashed on worker {worker} (see that worker's log)")
    lost = None
    if status.state == "running" and not status.beating:
        lost = f"its worker ({worker}) stopped responding: no heartbeat for {timeout:g} s"
    elif status.state == "claimed" and not status.worker_alive:
        lost = f"the worker that took it ({worker}) stopped before starting it"
    elif status.state is None and now - _sent(info) > timedelta(seconds=timeout):
        lost = "its task message was lost (Redis restarted without its data?)"
    if lost is not None:
        if info.get("resent"):
            return _Verdict("fail", f"{lost}, and again after it was sent again")
        return _Verdict("resend", lost)
    if status.state == "sent" and not served:
        waiting = info.get("waiting")
        if waiting is None:
            # Not at once: a worker that is starting up (or reconnecting) announces itself
            # within a heartbeat.
            if now - _sent(info) > timedelta(seconds=timeout):
                return _Verdict("wait")
            return None
        waited = (now - datetime.fromisoformat(waiting)).total_seconds()
        if waited > presence.worker_wait_s():
            return _Verdict(
                "fail",
                f"no worker serves model {info.get('model')!r} (queue {info['queue']}): "
                f"waited {waited:.0f} s",
            )
    elif "waiting" in info:
        return _Verdict("served")
    return None


def _sent(info: Mapping[str, Any]) -> datetime:
    return datetime.fromisoformat(info.get("sent") or info["deadline"])


def _sweep_run(run: Run, now: datetime) -> bool:
    """Apply the sweep's verdicts to a locked running run; whether it failed it."""
    verdicts = {node: _verdict(info, now) for node, info in run.nodes.items()}
    state = RunState.from_json(run.state)
    scheduler = driver.scheduler_of(run.version)
    fails = sorted(node for node, v in verdicts.items() if v and v.action == "fail")
    if fails:
        node = fails[0]  # the run fails on its first failed node; the rest are revoked
        outcome = failure_to_json(NodeFailure(verdicts[node].reason, "lost"))  # type: ignore[union-attr]
        driver.step(run, scheduler, state, fold_outcome(scheduler, state, node, outcome))
        return True
    for node, verdict in verdicts.items():
        if verdict is None:
            continue
        info = run.nodes[node]
        if verdict.action == "resend":
            info["resent"] = True
            info["sent"] = now.isoformat()
            transaction.on_commit(_resend(run, scheduler, state, node, info))
        elif verdict.action == "wait":
            _node_waiting(run, node, info.get("model", ""), info["queue"], now)
        elif verdict.action == "served":
            info.pop("waiting", None)
    driver.copy_trace(run)
    run.save(update_fields=["nodes", "last_seq"])
    return False


def _resend(
    run: Run, scheduler: Scheduler, state: RunState, node_id: str, info: dict[str, Any]
) -> Callable[[], None]:
    """The function that sends node ``node_id``'s task again (same task id), after the commit."""
    payload = NodeJob.for_node(scheduler, state, node_id).to_json()
    model = info.get("model", "")
    _, endpoint = node_route(team_id=run.graph.team_id, model=model)
    run_id, floor = str(run.pk), run.last_seq

    def send() -> None:
        enqueue.node_task(
            run_id,
            payload,
            queue=info["queue"],
            task_id=info["task"],
            floor=floor,
            endpoint=endpoint,
        )

    return send


def _node_waiting(run: Run, node_id: str, model: str, queue: str, now: datetime) -> None:
    """Say, once, that node ``node_id`` waits for a worker of ``queue`` (``node.waiting``); its
    entry in ``run.nodes`` records since when. Caller holds the run's lock and saves it."""
    run.nodes[node_id]["waiting"] = now.isoformat()
    wait_s = presence.worker_wait_s()
    driver.publish(
        run,
        [
            EventDraft(
                EventType.NODE_WAITING,
                node_id,
                {
                    "reason": f"waiting for a worker for model {model!r} (queue {queue})",
                    "model": model,
                    "queue": queue,
                    "timeout_s": wait_s,
                },
            )
        ],
    )


def _sweep_queued(now: datetime) -> list[int]:
    """Queued runs whose ``start_run`` did not come within ``OCTOGRAPH_START_TIMEOUT_S``: sent
    again once; failed when still queued that long after the second send while the runs queue
    holds nothing (a backlog of starts, an experiment's, is waiting, not lost). The ids of the
    runs failed."""
    timeout = timedelta(seconds=presence.start_timeout_s())
    stale = Run.objects.filter(status=RunStatus.QUEUED, created_at__lt=now - timeout)
    failed = []
    try:
        r = presence.client()
        for run_id in list(stale.values_list("pk", flat=True)):
            key = f"octograph:run:{run_id}:start-resent"
            if r.set(key, now.timestamp(), nx=True, ex=86400):
                enqueue.start_run(run_id)
                continue
            resent_at = datetime.fromtimestamp(float(r.get(key) or now.timestamp()), tz=UTC)
            if now - resent_at < timeout or r.llen(RUNS_QUEUE):
                continue
            with transaction.atomic():
                run = driver.locked(run_id)
                if run is None or run.status != RunStatus.QUEUED:
                    continue
                waited = (now - run.created_at).total_seconds()
                reason = f"it never started: no runs worker took it in {waited:.0f} s"
                driver.finish_unstarted(run, RunStatus.FAILED, reason)
                failed.append(run_id)
    except (redis.RedisError, kombu.exceptions.OperationalError) as error:
        log.warning("could not sweep queued runs: %s", error)
    return failed
