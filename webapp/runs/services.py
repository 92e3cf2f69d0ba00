"""Writes for runs: create, start, advance and cancel. The Celery driver of the engine.

A run's ``RunState`` lives in its ``Run`` row. Each step (``run_start``, ``run_advance``,
``run_cancel``) holds the row's lock (``select_for_update``; on SQLite the write lock that
``transaction_mode=IMMEDIATE`` takes at ``BEGIN``) while it folds in what happened, so steps of
one run never interleave however many ``runs`` workers there are. A step:

1. folds one outcome into the state with the ``graphs.engine.scheduler`` (the same calls, in the
   same order, as the in-process driver, hence the same events);
2. publishes the resulting events to the run's event stream (``workers.event_stream``), which
   numbers them in Redis, where node tasks also publish their deltas and decisions;
3. executes ready ``input`` and ``output`` nodes itself (they only pass text on), sends each
   ready hosted node (router, model, clip) as ``execute_node_task`` to its model's queue after
   the commit, and leaves other inline kinds (tools: a webhook may take minutes) running, each
   recorded in ``Run.nodes`` with a deadline as hosted nodes are, for the task that took the step
   to execute once the step has committed (``_execute_deferred``);
4. copies the structural events published since the last step into the trace (``RunEvent``)
   and, when the run has finished, records its status, output and error.

No step waits for a node: a node task's outcome arrives later as ``advance_run``, and deferred
inline nodes execute outside any transaction, their outcomes folded in by short steps of their
own, many outcomes per step (``_fold_deferred``), so nothing slow ever holds a run's lock (on
SQLite: the whole database's write lock).

Events reach Redis before the step commits (viewers see them at once). A step whose commit then
fails is retried from the state before it, so its events would be published twice; with the
lock taken first (row lock, or SQLite's write lock at ``BEGIN``) a failure that late is rare.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import kombu.exceptions
import redis
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from graphs import SpecError, load_spec
from graphs.engine.execution import NodeFailure, execute_node
from graphs.engine.remote import NodeJob, failure_to_json, fold_outcome, outcome_to_json
from graphs.engine.scheduler import Scheduler
from graphs.engine.state import NodeStatus, RunState
from graphs.engine.state import RunStatus as EngineStatus
from graphs.events import STRUCTURAL_TYPES, EventDraft, EventType
from graphs.images import MAX_RUN_IMAGES, RunImage
from graphs.nodes.base import NodeContext, RunInput
from graphs.nodes.registry import NODE_KINDS
from graphs.runtime import BackendError, Chunk, GenerateRequest, ScoreRequest
from webapp import errors
from webapp.accounts.access import require_role
from webapp.accounts.models import Role
from webapp.catalog.routing import node_route
from webapp.errors import Forbidden, Invalid
from webapp.graphstore.models import Graph, GraphVersion
from webapp.graphstore.selectors import latest_version_of, version_of
from webapp.runs import tasks, uploads
from webapp.runs.models import Run, RunEvent, RunStatus, RunUpload
from webapp.runs.uploads import ImageUpload
from workers import aio, presence
from workers.celery_app import RUNS_QUEUE
from workers.event_stream import EventStream
from workers.images import ImageError, ImageLimits, detect_media_type, load_run_image

AnyUser = AbstractBaseUser | AnonymousUser

log = logging.getLogger(__name__)

MAX_INPUT_CHARS = 100_000

# A dispatched node is given up for lost this long after its own worst case (every attempt timing
# out, plus back-off): time spent waiting in a busy model queue counts against it too.
NODE_GRACE = timedelta(minutes=10)

_STATUS = {
    EngineStatus.COMPLETED: RunStatus.COMPLETED,
    EngineStatus.FAILED: RunStatus.FAILED,
    EngineStatus.CANCELLED: RunStatus.CANCELLED,
}


@cache
def event_stream() -> EventStream:
    return EventStream.from_settings()


@dataclass(frozen=True)
class CheckedImage:
    """An upload that passed ``workers.images``: its type by content and its working copy."""

    upload: ImageUpload
    original_type: str
    working: RunImage


def images_check(images: Sequence[ImageUpload]) -> list[CheckedImage]:
    """Validate a run's images and make their working copies (``workers.images``), in order.

    CPU-bound (a large PNG takes a few hundred ms): call it before any transaction, so that
    decoding never holds a lock. Raises ``Invalid``: ``too_many_images``, or the first bad
    image's code with its number (``webapp.runs.uploads``)."""
    if len(images) > MAX_RUN_IMAGES:
        raise Invalid(
            f"a run takes at most {MAX_RUN_IMAGES} images, got {len(images)}",
            code="too_many_images",
            field="images",
        )
    limits = ImageLimits.from_settings()
    checked = []
    for number, upload in enumerate(images, start=1):
        label = uploads.label(number, upload.name)
        try:
            working = load_run_image(upload.data, upload.declared_type, limits=limits, label=label)
        except ImageError as error:
            raise uploads.invalid(number, error.message, error.code) from None
        checked.append(CheckedImage(upload, detect_media_type(upload.data), working))
    return checked


@transaction.atomic
def run_create(
    *,
    graph: Graph,
    actor: AnyUser,
    text: str,
    version: int | None = None,
    images: Sequence[CheckedImage] = (),
    routing_only: bool = False,
    on_finish: str = "",
) -> Run:
    """Create a run of ``version`` (default: the latest) on ``text`` and ``images`` (from
    ``images_check``; each original is stored with its working copy), queued to start after the
    commit. ``routing_only`` and ``on_finish`` are as on ``Run``. Viewers may run. Raises
    ``NotFound``/``Forbidden`` (access) and ``Invalid``."""
    require_role(user=actor, team=graph.team, role=Role.VIEWER, what="graph")
    if not text.strip():
        raise Invalid("the run needs a non-empty input text", code="empty_input", field="input")
    if len(text) > MAX_INPUT_CHARS:
        raise Invalid(
            f"the input is longer than {MAX_INPUT_CHARS} characters",
            code="input_too_long",
            field="input",
        )
    graph_version = (
        latest_version_of(graph) if version is None else version_of(graph=graph, number=version)
    )
    run = Run.objects.create(
        graph=graph,
        version=graph_version,
        created_by=actor,
        input=text,
        routing_only=routing_only,
        on_finish=on_finish,
    )
    RunUpload.objects.bulk_create(
        RunUpload(
            run=run,
            number=number,
            name=image.upload.name,
            original_type=image.original_type,
            original=image.upload.data,
            original_bytes=len(image.upload.data),
            media_type=image.working.media_type,
            data=image.working.data,
            width=image.working.width,
            height=image.working.height,
        )
        for number, image in enumerate(images, start=1)
    )
    # Only a run whose transaction is this function's own may be deleted when its start cannot
    # be sent: a caller's transaction may have tied other rows to it (a chat message, an
    # experiment row), so there it is marked failed instead.
    own = len(transaction.get_connection().atomic_blocks) == 1
    transaction.on_commit(lambda: _send_start(run, delete_on_failure=own))
    return run


def run_start(*, run_id: int) -> None:
    """Begin a queued run (the ``start_run`` task). Does nothing for any other status. Then
    executes the inline nodes its step deferred (``_execute_deferred``), after the commit."""
    _warm_scheduler(run_id)
    with transaction.atomic():
        run = _locked(run_id)
        if run is None or run.status != RunStatus.QUEUED:
            return
        run.started_at = timezone.now()
        try:
            scheduler = _scheduler(run.version)
        except SpecError as error:  # saved under older rules that this engine no longer accepts
            _finish_unstarted(run, RunStatus.FAILED, f"the graph version does not load: {error}")
            return
        images = tuple(upload.working_copy() for upload in run.uploads.order_by("number"))
        state, drafts = scheduler.begin(RunInput(run.input, images, run.routing_only))
        run.status = RunStatus.RUNNING
        deferred = _step(run, scheduler, state, drafts)
    _execute_deferred(deferred)


def run_advance(*, run_id: int, node_id: str, outcome: Mapping[str, Any]) -> None:
    """Fold a node task's outcome (``graphs.engine.remote`` JSON) into its run and go on.

    Ignores outcomes for finished runs and for nodes that are not running (a task delivered
    twice after its worker died completes once). Then executes the inline nodes the step
    deferred (``_execute_deferred``), after the commit.
    """
    _warm_scheduler(run_id)
    with transaction.atomic():
        run = _locked(run_id)
        if run is None or run.finished or run.state is None:
            return
        state = RunState.from_json(run.state)
        if state.status.get(node_id) != "running":
            return
        run.nodes.pop(node_id, None)
        event_stream().settle(str(run.pk), node_id)
        scheduler = _scheduler(run.version)
        deferred = _step(run, scheduler, state, fold_outcome(scheduler, state, node_id, outcome))
    _execute_deferred(deferred)


def run_cancel(*, run: Run, actor: AnyUser, reason: str = "") -> Run:
    """Cancel ``run`` (its creator, or an editor of the team): emit ``run.cancelled`` and stop its
    queued and running nodes. A finished run is returned unchanged."""
    membership = require_role(user=actor, team=run.graph.team, role=Role.VIEWER, what="run")
    if run.created_by_id != actor.pk and not Role(membership.role).allows(Role.EDITOR):
        raise Forbidden(
            "only the run's creator or an editor may cancel it", required_role=Role.EDITOR.value
        )
    reason = reason or f"cancelled by {actor.get_username()}"
    with transaction.atomic():
        locked = _locked(run.pk)
        if locked is None or locked.finished:
            return locked or run
        if locked.state is None:  # still queued: the start task will find it cancelled
            _finish_unstarted(locked, RunStatus.CANCELLED, reason)
            return locked
        scheduler = _scheduler(locked.version)
        state = RunState.from_json(locked.state)
        _step(locked, scheduler, state, scheduler.cancel(state, reason))
        return locked


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

    A node whose outcome arrives after its run failed is ignored (``run_advance``). Queued runs
    are swept too (``_sweep_queued``). Each run is locked only when something must change.
    """
    now = now or timezone.now()
    failed = []
    running = Run.objects.filter(status=RunStatus.RUNNING).values_list("pk", "nodes")
    for run_id, nodes in list(running):
        if not any(_verdict(info, now) for info in (nodes or {}).values()):
            continue
        with transaction.atomic():
            run = _locked(run_id)
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
    scheduler = _scheduler(run.version)
    fails = sorted(node for node, v in verdicts.items() if v and v.action == "fail")
    if fails:
        node = fails[0]  # the run fails on its first failed node; the rest are revoked
        outcome = failure_to_json(NodeFailure(verdicts[node].reason, "lost"))  # type: ignore[union-attr]
        _step(run, scheduler, state, fold_outcome(scheduler, state, node, outcome))
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
    _copy_trace(run)
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
        tasks.send_node_task(
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
    _publish(
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
                tasks.start_run.delay(run_id)
                continue
            resent_at = datetime.fromtimestamp(float(r.get(key) or now.timestamp()), tz=UTC)
            if now - resent_at < timeout or r.llen(RUNS_QUEUE):
                continue
            with transaction.atomic():
                run = _locked(run_id)
                if run is None or run.status != RunStatus.QUEUED:
                    continue
                waited = (now - run.created_at).total_seconds()
                reason = f"it never started: no runs worker took it in {waited:.0f} s"
                _finish_unstarted(run, RunStatus.FAILED, reason)
                failed.append(run_id)
    except (redis.RedisError, kombu.exceptions.OperationalError) as error:
        log.warning("could not sweep queued runs: %s", error)
    return failed


class Unavailable(errors.Unavailable):
    """The run's task queue (Redis) cannot be reached: nothing was queued. The API answers
    503 with ``Retry-After``."""

    code = "queue_unavailable"


def _send_start(run: Run, *, delete_on_failure: bool) -> None:
    """Send the run's ``start_run`` (after its commit). When Redis cannot be reached, the run is
    deleted (``delete_on_failure``: its creation was the whole transaction) or marked failed, so
    nothing is left queued forever, and ``Unavailable`` is raised."""
    try:
        tasks.start_run.delay(run.pk)
    except (kombu.exceptions.OperationalError, redis.RedisError, OSError) as error:
        log.warning("could not queue run %s: %s", run.pk, error)
        if delete_on_failure:
            Run.objects.filter(pk=run.pk).delete()
        else:
            Run.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
                status=RunStatus.FAILED,
                error="it could not be queued: the task queue (Redis) is unreachable",
                finished_at=timezone.now(),
            )
        raise Unavailable(
            "the task queue (Redis) is unreachable, so the run could not be started; "
            "try again in a moment"
        ) from error


def _finish_unstarted(run: Run, status: RunStatus, reason: str) -> None:
    """End a run that has no engine state: its only event is ``run.cancelled``/``run.failed``."""
    if status == RunStatus.CANCELLED:
        draft = EventDraft(EventType.RUN_CANCELLED, data={"reason": reason})
    else:
        draft = EventDraft(EventType.RUN_FAILED, data={"error": reason, "node": None})
    run.status = status
    run.error = reason
    run.finished_at = timezone.now()
    _notify_finished(run)
    _publish(run, [draft])
    _copy_trace(run)
    run.save()


def _locked(run_id: int) -> Run | None:
    # Lock the run row only: its version is shared by every run of it.
    runs = Run.objects.select_for_update(of=("self",)).select_related("version")
    return runs.filter(pk=run_id).first()


# Loading a spec validates it, which takes 0.7 s for 5,000 nodes: the schedulers of the last few
# versions are kept (a saved version never changes; ``created_at`` tells apart two versions
# that got the same id, as rolled-back test transactions on SQLite do).
_SCHEDULERS: OrderedDict[tuple[int, datetime], Scheduler] = OrderedDict()
_SCHEDULERS_KEPT = 16
_schedulers_lock = threading.Lock()


def _scheduler(version: GraphVersion) -> Scheduler:
    """The scheduler of ``version``'s spec. Raises ``SpecError`` when the spec does not load."""
    key = (version.pk, version.created_at)
    with _schedulers_lock:
        scheduler = _SCHEDULERS.get(key)
        if scheduler is not None:
            _SCHEDULERS.move_to_end(key)
            return scheduler
    scheduler = Scheduler(load_spec(version.spec))
    with _schedulers_lock:
        _SCHEDULERS[key] = scheduler
        while len(_SCHEDULERS) > _SCHEDULERS_KEPT:
            _SCHEDULERS.popitem(last=False)
    return scheduler


def _warm_scheduler(run_id: int) -> None:
    """Load the run's scheduler before its step takes the lock, so that the step finds it kept.
    A spec that does not load is left for the step to report."""
    version = GraphVersion.objects.filter(runs=run_id).only("pk", "created_at").first()
    if version is None:
        return
    with contextlib.suppress(SpecError):
        _scheduler(version)  # reads the deferred ``spec`` only when not kept already


def _step(
    run: Run, scheduler: Scheduler, state: RunState, drafts: list[EventDraft]
) -> _Deferred | None:
    """Publish ``drafts``, then start what is ready until only hosted and deferred inline nodes
    are left running; save the run, and dispatch the hosted nodes after the commit. Caller holds
    the row lock, and after the commit passes the returned deferred nodes (None: none) to
    ``_execute_deferred``; until then they wait, running, with a deadline in ``run.nodes``."""
    _publish(run, drafts)
    jobs: list[tuple[str, NodeJob]] = []
    deferred: list[str] = []
    spec_json: dict[str, Any] | None = None  # the same for every job: serialised once
    while not state.finished:
        started, drafts = scheduler.start_ready(state)
        if not started:
            break
        _publish(run, drafts)
        for node_id in started:
            kind = scheduler.spec.node(node_id).kind
            if NODE_KINDS[kind].hosted:
                spec_json = spec_json or scheduler.spec.to_json()
                upstream = {
                    item.edge.id: item.result for item in scheduler.upstream(state, node_id)
                }
                jobs.append((node_id, NodeJob(node_id, spec_json, upstream, state.run_input)))
            elif kind in _INSTANT_KINDS:
                outcome = _execute_inline(run, scheduler, state, node_id)
                _publish(run, fold_outcome(scheduler, state, node_id, outcome))
            else:
                deferred.append(node_id)
    run.state = state.to_json()
    if state.finished:
        run.status = _STATUS[state.run_status]
        run.output = scheduler.output(state)
        run.error = state.error or ""
        run.finished_at = timezone.now()
        _notify_finished(run)
        running = [info["task"] for info in run.nodes.values() if info.get("task")]
        run.nodes = {}
        deferred = []
        if running:
            transaction.on_commit(lambda: tasks.revoke_node_tasks(running))
    else:
        for node_id, job in jobs:
            transaction.on_commit(_dispatch(run, scheduler, node_id, job))
        for node_id in deferred:
            run.nodes[node_id] = {
                "task": "",
                "inline": True,
                "deadline": _deadline(scheduler, node_id),
            }
    _copy_trace(run)
    run.save()
    return _Deferred(run.pk, scheduler, state, tuple(deferred)) if deferred else None


def _notify_finished(run: Run) -> None:
    """After the commit, send the run's ``on_finish`` task (if any) with its id."""
    if run.on_finish:
        task, run_id = run.on_finish, run.pk
        transaction.on_commit(lambda: tasks.send_finished(task, run_id))


def _dispatch(run: Run, scheduler: Scheduler, node_id: str, job: NodeJob) -> Callable[[], None]:
    """Record the node's task and deadline in ``run.nodes``; the function that sends it."""
    node = scheduler.spec.node(node_id)
    config = node.config
    attempts = getattr(config, "retries", 0) + 1
    # Every attempt timing out, plus the back-off between attempts (less than 2**attempts s).
    budget = timedelta(seconds=getattr(config, "timeout_s", 0) * attempts + 2**attempts)
    task_id = str(uuid.uuid4())
    model = NODE_KINDS[node.kind].models(config)[0]
    queue, endpoint = node_route(team_id=run.graph.team_id, model=model)
    now = timezone.now()
    run.nodes[node_id] = {
        "task": task_id,
        "deadline": (now + budget + NODE_GRACE).isoformat(),
        "queue": queue,
        "model": model,
        "sent": now.isoformat(),
    }
    payload = job.to_json()
    # ``run.last_seq`` is read when the step has committed: the trace copied by then.
    return lambda: tasks.send_node_task(
        str(run.pk), payload, queue=queue, task_id=task_id, floor=run.last_seq, endpoint=endpoint
    )


def _execute_inline(
    run: Run, scheduler: Scheduler, state: RunState, node_id: str
) -> dict[str, Any]:
    """Execute an instant kind (``_INSTANT_KINDS``) here, in the step; its JSON outcome."""

    def emit(event_type: str, data: Mapping[str, Any]) -> None:
        _publish(run, [EventDraft(EventType(event_type), node_id, data)])

    try:
        return outcome_to_json(aio.run(execute_node(_context(scheduler, state, node_id, emit))))
    except NodeFailure as failure:
        return failure_to_json(failure)


def _context(
    scheduler: Scheduler,
    state: RunState,
    node_id: str,
    emit: Callable[[str, Mapping[str, Any]], None],
) -> NodeContext:
    """What an inline node's executor gets (as ``NodeJob.context``, without copying the spec)."""
    return NodeContext(
        spec=scheduler.spec,
        node=scheduler.spec.node(node_id),
        upstream=scheduler.upstream(state, node_id),
        run_input=state.run_input,
        client=_NO_MODELS,
        emit=emit,
    )


def _deadline(scheduler: Scheduler, node_id: str) -> str:
    """When a node started now is given up for lost (as ``_dispatch`` reckons it), ISO 8601."""
    config = scheduler.spec.node(node_id).config
    attempts = getattr(config, "retries", 0) + 1
    budget = timedelta(seconds=getattr(config, "timeout_s", 0) * attempts + 2**attempts)
    deadline: datetime = timezone.now() + budget + NODE_GRACE
    return deadline.isoformat()


# Inline kinds that only pass text on (no I/O, little work) run inside the step; every other
# inline kind (tools) is deferred: executed after the step's commit, outside any transaction.
_INSTANT_KINDS = frozenset({"input", "output"})
# Deferred nodes of one run execute this many at a time (webhooks mostly wait on the network).
_INLINE_CONCURRENCY = 16
# Outcomes are folded as they come, at most this many per step: outcomes that arrive while a
# step commits join the next one, so a 5,000-node fan of tools takes tens of steps, not 5,000,
# and no step holds the lock for long. Events emitted meanwhile go out at least this often.
_FOLD_MAX = 100
_FLUSH_EVERY_S = 0.25
# The deadlines of deferred nodes still executing are pushed back this often: a run whose
# nodes wait their turn here (``_INLINE_CONCURRENCY``) is not lost while it makes progress.
_REFRESH_EVERY_S = 60.0
# A step that cannot take the lock (SQLite busy past its timeout) is tried again this many times
# before the run is left to ``fail_lost_runs``: the outcomes exist only in this process.
_FOLD_ATTEMPTS = 3


@dataclass(frozen=True)
class _Deferred:
    """Inline nodes that a step of run ``run_id`` left running; ``state`` is the state it
    committed (it holds their inputs)."""

    run_id: int
    scheduler: Scheduler
    state: RunState
    nodes: tuple[str, ...]


class _InlineSink:
    """What deferred nodes executing on the event loop hand to the thread that folds them:
    the events they emit and their outcomes, in the order they happened. Thread-safe."""

    def __init__(self) -> None:
        self.gate = asyncio.Semaphore(_INLINE_CONCURRENCY)  # used on the event loop only
        self._lock = threading.Lock()
        self._arrived = threading.Event()
        self._drafts: list[EventDraft] = []
        self._outcomes: list[tuple[str, dict[str, Any]]] = []

    def emit(self, node_id: str, event_type: str, data: Mapping[str, Any]) -> None:
        with self._lock:
            self._drafts.append(EventDraft(EventType(event_type), node_id, data))

    def done(self, node_id: str, outcome: dict[str, Any]) -> None:
        with self._lock:
            self._outcomes.append((node_id, outcome))
            self._arrived.set()

    def take(self, timeout: float) -> tuple[list[EventDraft], list[tuple[str, dict[str, Any]]]]:
        """Wait up to ``timeout`` s for an outcome; return up to ``_FOLD_MAX`` outcomes and the
        events to publish before folding them: theirs, and those of nodes still executing (live
        progress). Events of nodes whose outcomes wait for a later fold wait with them, so that
        each step copies into the trace about as many events as it folds outcomes."""
        self._arrived.wait(timeout)
        with self._lock:
            outcomes = self._outcomes[:_FOLD_MAX]
            del self._outcomes[:_FOLD_MAX]
            later = {node_id for node_id, _ in self._outcomes}
            drafts = [draft for draft in self._drafts if draft.node not in later]
            self._drafts = [draft for draft in self._drafts if draft.node in later]
            if not self._outcomes:
                self._arrived.clear()
        return drafts, outcomes


def _execute_deferred(work: _Deferred | None) -> None:
    """Execute the deferred inline nodes of a committed step, and those that their outcomes make
    ready, until none is left or the run has finished (cancelled, failed). Call it with no
    transaction open: nodes execute on the process's event loop (``_INLINE_CONCURRENCY`` at a
    time) while this thread folds their outcomes in short steps (``_fold_deferred``).

    A process that dies meanwhile leaves the nodes running until their deadline in
    ``Run.nodes``, when ``fail_lost_runs`` fails the run, as for a lost hosted node.
    """
    if work is None:
        return
    run_id, scheduler = work.run_id, work.scheduler
    sink = _InlineSink()
    executing: set[str] = set()
    batches: list[Future[None]] = []

    def submit(more: _Deferred) -> None:
        executing.update(more.nodes)
        batches.append(asyncio.run_coroutine_threadsafe(_execute_nodes(more, sink), aio.loop()))

    submit(work)
    refreshed = time.monotonic()
    try:
        while executing:
            drafts, outcomes = sink.take(_FLUSH_EVERY_S)
            event_stream().publish(str(run_id), drafts)
            if not outcomes:
                for batch in batches:
                    if batch.done():
                        batch.result()  # raises what escaped a batch (a bug: never a node's error)
                if event_stream().is_closed(str(run_id)):
                    return  # the run finished meanwhile: cancelled, or another node failed it
                continue
            executing.difference_update(node for node, _ in outcomes)
            refresh = set()
            if time.monotonic() - refreshed > _REFRESH_EVERY_S:
                refresh, refreshed = executing, time.monotonic()
            began = time.monotonic()
            more = _fold_deferred(run_id, scheduler, outcomes, refresh)
            if more is None:
                return
            if more.nodes:
                submit(more)
            if connection.vendor == "sqlite":
                # One write lock for the whole database, and its waiters poll for it (every
                # 100 ms at most): left free as long as it was held, it reaches them in turn.
                time.sleep(min(time.monotonic() - began, 1.0))
    finally:
        for batch in batches:
            batch.cancel()


async def _execute_nodes(work: _Deferred, sink: _InlineSink) -> None:
    """Execute ``work``'s nodes on this loop, handing each one's events and outcome to ``sink``."""

    async def one(node_id: str) -> None:
        async with sink.gate:
            try:
                emit = functools.partial(sink.emit, node_id)
                context = _context(work.scheduler, work.state, node_id, emit)
                outcome = outcome_to_json(await execute_node(context))
            except NodeFailure as failure:
                outcome = failure_to_json(failure)
            except Exception as error:  # a bug must fail the node, not leave it running
                outcome = failure_to_json(
                    NodeFailure(f"{type(error).__name__}: {error}", "internal")
                )
            sink.done(node_id, outcome)

    await asyncio.gather(*(one(node_id) for node_id in work.nodes))


def _fold_deferred(
    run_id: int,
    scheduler: Scheduler,
    outcomes: list[tuple[str, dict[str, Any]]],
    refresh: set[str],
) -> _Deferred | None:
    """Fold deferred nodes' ``outcomes`` into their run in one step (in spec order, each node's
    outcome once: only while it is running and recorded as deferred), and push back the deadlines
    of the deferred nodes in ``refresh``. Returns the nodes this step deferred in turn (possibly
    none), or None once the run has finished. Retries a step that could not take the lock."""
    order = scheduler.plan.order
    outcomes = sorted(outcomes, key=lambda item: order[item[0]])
    for attempt in range(1, _FOLD_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                # As ``_locked``, without the version: ``scheduler`` is its spec, loaded already.
                run = Run.objects.select_for_update(of=("self",)).filter(pk=run_id).first()
                if run is None or run.finished or run.state is None:
                    return None
                state = RunState.from_json(run.state)
                drafts: list[EventDraft] = []
                for node_id, outcome in outcomes:
                    if state.status.get(node_id) is not NodeStatus.RUNNING:
                        continue
                    if not run.nodes.get(node_id, {}).get("inline"):
                        continue
                    del run.nodes[node_id]
                    drafts += fold_outcome(scheduler, state, node_id, outcome)
                for node_id in refresh:
                    if node_id in run.nodes:
                        run.nodes[node_id]["deadline"] = _deadline(scheduler, node_id)
                more = _step(run, scheduler, state, drafts)
                if state.finished:
                    return None
                return more or _Deferred(run_id, scheduler, state, ())
        except OperationalError:
            if attempt == _FOLD_ATTEMPTS:
                raise
            time.sleep(attempt)
    return None  # pragma: no cover - the loop returns or raises


def _publish(run: Run, drafts: list[EventDraft]) -> None:
    # ``floor``: numbering continues after the stored trace should Redis have lost the run's
    # counter (``EventStream.publish``).
    event_stream().publish(str(run.pk), drafts, floor=run.last_seq)


def _copy_trace(run: Run) -> None:
    """Store the structural events published since ``run.last_seq`` (caller saves ``run``)."""
    events = event_stream().events_after(str(run.pk), run.last_seq)
    if not events:
        return
    RunEvent.objects.bulk_create(
        RunEvent(run=run, seq=e.seq, ts=e.ts, type=str(e.type), node=e.node, data=dict(e.data))
        for e in events
        if e.type in STRUCTURAL_TYPES
    )
    run.last_seq = events[-1].seq


class _NoModels:
    """The ``ModelClient`` of inline kinds, which never call a model."""

    async def generate(self, request: GenerateRequest) -> AsyncIterator[Chunk]:
        raise BackendError("inline node kinds cannot call models")
        yield Chunk()  # pragma: no cover - makes this an async generator

    async def score(self, request: ScoreRequest) -> list[float]:
        raise BackendError("inline node kinds cannot call models")


_NO_MODELS = _NoModels()
