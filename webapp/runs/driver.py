"""The Celery driver of the engine: ``graphs.engine.local_driver``'s twin for stored runs.

A run's ``RunState`` lives in its ``Run`` row. Each step (``run_start``, ``run_advance``,
``cancel``, and the sweeper's) holds the row's lock (``locked``: ``select_for_update``; on
SQLite the write lock that ``transaction_mode=IMMEDIATE`` takes at ``BEGIN``) while it folds in
what happened, so steps of one run never interleave however many ``runs`` workers there are. A
step (``step``):

1. folds one outcome into the state with the ``graphs.engine.scheduler`` (the same calls, in the
   same order, as the in-process driver, hence the same events);
2. publishes the resulting events to the run's event stream (``workers.event_stream``), which
   numbers them in Redis, where node tasks also publish their deltas and decisions;
3. executes ready instant nodes itself (``webapp.runs.inline``: ``input`` and ``output`` only
   pass text on), sends each ready hosted node (router, model, clip) as ``execute_node_task``
   to its model's queue after the commit (``webapp.runs.enqueue``), and leaves other inline
   kinds (tools) running, each recorded in ``Run.nodes`` with a deadline as hosted nodes are,
   for the task that took the step to execute once the step has committed
   (``inline.execute_deferred``, whose outcomes come back through ``_fold_deferred``);
4. copies the structural events published since the last step into the trace (``RunEvent``)
   and, when the run has finished, records its status, output and error.

No step waits for a node: a node task's outcome arrives later as ``advance_run``.

Events reach Redis before the step commits (viewers see them at once). A step whose commit then
fails is retried from the state before it, so its events would be published twice; with the
lock taken first (row lock, or SQLite's write lock at ``BEGIN``) a failure that late is rare.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import OperationalError, transaction
from django.utils import timezone

from graphs import SpecError, load_spec
from graphs.engine.remote import NodeJob, fold_outcome
from graphs.engine.scheduler import Scheduler
from graphs.engine.state import NodeStatus, RunState
from graphs.engine.state import RunStatus as EngineStatus
from graphs.events import STRUCTURAL_TYPES, EventDraft, EventType
from graphs.nodes.base import RunInput
from graphs.nodes.registry import NODE_KINDS
from webapp.catalog.routing import node_route
from webapp.graphstore.models import GraphVersion
from webapp.runs import enqueue, inline
from webapp.runs.inline import Deferred, Outcomes
from webapp.runs.models import Run, RunEvent, RunStatus
from workers.event_stream import shared_stream

# A dispatched node is given up for lost this long after its own worst case (every attempt timing
# out, plus back-off): time spent waiting in a busy model queue counts against it too.
NODE_GRACE = timedelta(minutes=10)

# A step that cannot take the lock (SQLite busy past its timeout) is tried again this many times
# before the run is left to the sweeper: the outcomes exist only in this process.
_FOLD_ATTEMPTS = 3

_STATUS = {
    EngineStatus.COMPLETED: RunStatus.COMPLETED,
    EngineStatus.FAILED: RunStatus.FAILED,
    EngineStatus.CANCELLED: RunStatus.CANCELLED,
}


def run_start(*, run_id: int) -> None:
    """Begin a queued run (the ``start_run`` task). Does nothing for any other status. Then
    executes the inline nodes its step deferred (``inline.execute_deferred``), after the
    commit."""
    _warm_scheduler(run_id)
    with transaction.atomic():
        run = locked(run_id)
        if run is None or run.status != RunStatus.QUEUED:
            return
        run.started_at = timezone.now()
        try:
            scheduler = scheduler_of(run.version)
        except SpecError as error:  # saved under older rules that this engine no longer accepts
            finish_unstarted(run, RunStatus.FAILED, f"the graph version does not load: {error}")
            return
        images = tuple(upload.working_copy() for upload in run.uploads.order_by("number"))
        state, drafts = scheduler.begin(RunInput(run.input, images, run.routing_only))
        run.status = RunStatus.RUNNING
        deferred = step(run, scheduler, state, drafts)
    inline.execute_deferred(deferred, fold=_fold_deferred)


def run_advance(*, run_id: int, node_id: str, outcome: Mapping[str, Any]) -> None:
    """Fold a node task's outcome (``graphs.engine.remote`` JSON) into its run and go on.

    Ignores outcomes for finished runs and for nodes that are not running (a task delivered
    twice after its worker died completes once). Then executes the inline nodes the step
    deferred (``inline.execute_deferred``), after the commit.
    """
    _warm_scheduler(run_id)
    with transaction.atomic():
        run = locked(run_id)
        if run is None or run.finished or run.state is None:
            return
        state = RunState.from_json(run.state)
        if state.status.get(node_id) != "running":
            return
        run.nodes.pop(node_id, None)
        shared_stream().settle(str(run.pk), node_id)
        scheduler = scheduler_of(run.version)
        deferred = step(run, scheduler, state, fold_outcome(scheduler, state, node_id, outcome))
    inline.execute_deferred(deferred, fold=_fold_deferred)


def cancel(*, run_id: int, reason: str) -> Run | None:
    """Cancel run ``run_id`` with ``reason``: emit ``run.cancelled`` and stop its queued and
    running nodes (no access check: ``services.run_cancel`` makes it). Returns the run as
    stored after the step, unchanged when it had finished; None when it does not exist."""
    with transaction.atomic():
        run = locked(run_id)
        if run is None or run.finished:
            return run
        if run.state is None:  # still queued: the start task will find it cancelled
            finish_unstarted(run, RunStatus.CANCELLED, reason)
            return run
        scheduler = scheduler_of(run.version)
        state = RunState.from_json(run.state)
        step(run, scheduler, state, scheduler.cancel(state, reason))
        return run


def step(
    run: Run, scheduler: Scheduler, state: RunState, drafts: list[EventDraft]
) -> Deferred | None:
    """Publish ``drafts``, then start what is ready until only hosted and deferred inline nodes
    are left running; save the run, and dispatch the hosted nodes after the commit. Caller holds
    the row lock, and after the commit passes the returned deferred nodes (None: none) to
    ``inline.execute_deferred``; until then they wait, running, with a deadline in
    ``run.nodes``."""
    publish(run, drafts)
    jobs: list[tuple[str, NodeJob]] = []
    deferred: list[str] = []
    spec_json: dict[str, Any] | None = None  # the same for every job: serialised once
    while not state.finished:
        started, drafts = scheduler.start_ready(state)
        if not started:
            break
        publish(run, drafts)
        for node_id in started:
            kind = scheduler.spec.node(node_id).kind
            if NODE_KINDS[kind].hosted:
                spec_json = spec_json or scheduler.spec.to_json()
                upstream = {
                    item.edge.id: item.result for item in scheduler.upstream(state, node_id)
                }
                jobs.append((node_id, NodeJob(node_id, spec_json, upstream, state.run_input)))
            elif kind in inline.INSTANT_KINDS:
                outcome = inline.execute_instant(scheduler, state, node_id, _emitter(run, node_id))
                publish(run, fold_outcome(scheduler, state, node_id, outcome))
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
            transaction.on_commit(lambda: enqueue.revoke_node_tasks(running))
    else:
        for node_id, job in jobs:
            transaction.on_commit(_dispatch(run, scheduler, node_id, job))
        for node_id in deferred:
            run.nodes[node_id] = {
                "task": "",
                "inline": True,
                "deadline": deadline(scheduler, node_id),
            }
    copy_trace(run)
    run.save()
    return Deferred(run.pk, scheduler, state, tuple(deferred)) if deferred else None


def finish_unstarted(run: Run, status: RunStatus, reason: str) -> None:
    """End a run that has no engine state: its only event is ``run.cancelled``/``run.failed``.
    Caller holds the run's lock."""
    if status == RunStatus.CANCELLED:
        draft = EventDraft(EventType.RUN_CANCELLED, data={"reason": reason})
    else:
        draft = EventDraft(EventType.RUN_FAILED, data={"error": reason, "node": None})
    run.status = status
    run.error = reason
    run.finished_at = timezone.now()
    _notify_finished(run)
    publish(run, [draft])
    copy_trace(run)
    run.save()


def deadline(scheduler: Scheduler, node_id: str, *, now: datetime | None = None) -> str:
    """When a node started ``now`` (default: now) is given up for lost, ISO 8601: every attempt
    timing out, plus the back-off between attempts (less than 2**attempts s), plus
    ``NODE_GRACE``."""
    config = scheduler.spec.node(node_id).config
    attempts = getattr(config, "retries", 0) + 1
    budget = timedelta(seconds=getattr(config, "timeout_s", 0) * attempts + 2**attempts)
    given_up: datetime = (now or timezone.now()) + budget + NODE_GRACE
    return given_up.isoformat()


def publish(run: Run, drafts: list[EventDraft]) -> None:
    """Publish ``drafts`` to the run's event stream. ``floor``: numbering continues after the
    stored trace should Redis have lost the run's counter (``EventStream.publish``)."""
    shared_stream().publish(str(run.pk), drafts, floor=run.last_seq)


def copy_trace(run: Run) -> None:
    """Store the structural events published since ``run.last_seq`` (caller saves ``run``)."""
    events = shared_stream().events_after(str(run.pk), run.last_seq)
    if not events:
        return
    RunEvent.objects.bulk_create(
        RunEvent(run=run, seq=e.seq, ts=e.ts, type=str(e.type), node=e.node, data=dict(e.data))
        for e in events
        if e.type in STRUCTURAL_TYPES
    )
    run.last_seq = events[-1].seq


def locked(run_id: int) -> Run | None:
    """Run ``run_id`` with its row locked (caller is in a transaction), or None."""
    # Lock the run row only: its version is shared by every run of it.
    runs = Run.objects.select_for_update(of=("self",)).select_related("version")
    return runs.filter(pk=run_id).first()


# Loading a spec validates it, which takes 0.7 s for 5,000 nodes: the schedulers of the last few
# versions are kept (a saved version never changes; ``created_at`` tells apart two versions
# that got the same id, as rolled-back test transactions on SQLite do).
_SCHEDULERS: OrderedDict[tuple[int, datetime], Scheduler] = OrderedDict()
_SCHEDULERS_KEPT = 16
_schedulers_lock = threading.Lock()


def scheduler_of(version: GraphVersion) -> Scheduler:
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
        scheduler_of(version)  # reads the deferred ``spec`` only when not kept already


def _fold_deferred(
    run_id: int, scheduler: Scheduler, outcomes: Outcomes, refresh: set[str]
) -> Deferred | None:
    """``inline.Fold``: fold deferred nodes' ``outcomes`` into their run in one step (in spec
    order, each node's outcome once: only while it is running and recorded as deferred), and
    push back the deadlines of the deferred nodes in ``refresh``. Returns the nodes this step
    deferred in turn (possibly none), or None once the run has finished. Retries a step that
    could not take the lock; raises ``OperationalError`` after ``_FOLD_ATTEMPTS``."""
    order = scheduler.plan.order
    outcomes = sorted(outcomes, key=lambda item: order[item[0]])
    for attempt in range(1, _FOLD_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                # As ``locked``, without the version: ``scheduler`` is its spec, loaded already.
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
                        run.nodes[node_id]["deadline"] = deadline(scheduler, node_id)
                more = step(run, scheduler, state, drafts)
                if state.finished:
                    return None
                return more or Deferred(run_id, scheduler, state, ())
        except OperationalError:
            if attempt == _FOLD_ATTEMPTS:
                raise
            time.sleep(attempt)
    return None  # pragma: no cover - the loop returns or raises


def _emitter(run: Run, node_id: str) -> inline.Emit:
    """The ``emit`` of an instant node executing in a step: straight to the run's stream."""

    def emit(event_type: str, data: Mapping[str, Any]) -> None:
        publish(run, [EventDraft(EventType(event_type), node_id, data)])

    return emit


def _notify_finished(run: Run) -> None:
    """After the commit, send the run's ``on_finish`` task (if any) with its id."""
    if run.on_finish:
        task, run_id = run.on_finish, run.pk
        transaction.on_commit(lambda: enqueue.run_finished(task, run_id))


def _dispatch(run: Run, scheduler: Scheduler, node_id: str, job: NodeJob) -> Callable[[], None]:
    """Record the node's task and deadline in ``run.nodes``; the function that sends it."""
    node = scheduler.spec.node(node_id)
    task_id = str(uuid.uuid4())
    model = NODE_KINDS[node.kind].models(node.config)[0]
    queue, endpoint = node_route(team_id=run.graph.team_id, model=model)
    now = timezone.now()
    run.nodes[node_id] = {
        "task": task_id,
        "deadline": deadline(scheduler, node_id, now=now),
        "queue": queue,
        "model": model,
        "sent": now.isoformat(),
    }
    payload = job.to_json()
    # ``run.last_seq`` is read when the step has committed: the trace copied by then.
    return lambda: enqueue.node_task(
        str(run.pk), payload, queue=queue, task_id=task_id, floor=run.last_seq, endpoint=endpoint
    )
