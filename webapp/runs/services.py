"""Writes for runs: create, start, advance and cancel. The Celery driver of the engine.

A run's ``RunState`` lives in its ``Run`` row. Each step (``run_start``, ``run_advance``,
``run_cancel``) holds the row's lock (``select_for_update``; on SQLite the write lock that
``transaction_mode=IMMEDIATE`` takes at ``BEGIN``) while it folds in what happened, so steps of
one run never interleave however many ``runs`` workers there are. A step:

1. folds one outcome into the state with the ``graphs.engine.scheduler`` (the same calls, in the
   same order, as the in-process driver, hence the same events);
2. publishes the resulting events to the run's event stream (``workers.event_stream``), which
   numbers them in Redis, where node tasks also publish their deltas and decisions;
3. executes ready inline kinds (``input``, ``output``) itself and sends each ready hosted node
   (router, model) as ``execute_node_task`` to its model's queue, after the commit;
4. copies the structural events published since the last step into the trace (``RunEvent``)
   and, when the run has finished, records its status, output and error.

No step waits for a node: a node task's outcome arrives later as ``advance_run``.

Events reach Redis before the step commits (viewers see them at once). A step whose commit then
fails is retried from the state before it, so its events would be published twice; with the
lock taken first (row lock, or SQLite's write lock at ``BEGIN``) a failure that late is rare.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from graphs import SpecError, load_spec
from graphs.engine.execution import NodeFailure, execute_node
from graphs.engine.remote import NodeJob, failure_to_json, fold_outcome, outcome_to_json
from graphs.engine.scheduler import Scheduler
from graphs.engine.state import RunState
from graphs.engine.state import RunStatus as EngineStatus
from graphs.events import STRUCTURAL_TYPES, EventDraft, EventType
from graphs.images import MAX_RUN_IMAGES, RunImage
from graphs.nodes.base import RunInput
from graphs.nodes.registry import NODE_KINDS
from graphs.runtime import BackendError, Chunk, GenerateRequest, ScoreRequest
from webapp.accounts.access import require_role
from webapp.accounts.models import Role
from webapp.errors import Forbidden, Invalid
from webapp.graphstore.models import Graph, GraphVersion
from webapp.graphstore.selectors import latest_version_of, version_of
from webapp.runs import tasks, uploads
from webapp.runs.models import Run, RunEvent, RunStatus, RunUpload
from webapp.runs.uploads import ImageUpload
from workers import aio
from workers.celery_app import node_queue
from workers.event_stream import EventStream
from workers.images import ImageError, ImageLimits, detect_media_type, load_run_image

AnyUser = AbstractBaseUser | AnonymousUser

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
    transaction.on_commit(lambda: tasks.start_run.delay(run.pk))
    return run


def run_start(*, run_id: int) -> None:
    """Begin a queued run (the ``start_run`` task). Does nothing for any other status."""
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
        _step(run, scheduler, state, drafts)


def run_advance(*, run_id: int, node_id: str, outcome: Mapping[str, Any]) -> None:
    """Fold a node task's outcome (``graphs.engine.remote`` JSON) into its run and go on.

    Ignores outcomes for finished runs and for nodes that are not running (a task delivered
    twice after its worker died completes once).
    """
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
        _step(run, scheduler, state, fold_outcome(scheduler, state, node_id, outcome))


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
    """Fail running runs with a node dispatched longer ago than its deadline (its worker died
    and the broker did not deliver it again in time). Returns the ids of the runs failed."""
    now = now or timezone.now()
    failed = []
    for run_id in Run.objects.filter(status=RunStatus.RUNNING).values_list("pk", flat=True):
        with transaction.atomic():
            run = _locked(run_id)
            if run is None or run.finished or run.state is None:
                continue
            lost = sorted(
                node
                for node, info in run.nodes.items()
                if datetime.fromisoformat(info["deadline"]) < now
            )
            if not lost:
                continue
            state = RunState.from_json(run.state)
            scheduler = _scheduler(run.version)
            node = lost[0]  # the run fails on its first failed node; the rest are revoked
            reason = "its worker was lost: no result before the node's deadline"
            outcome = failure_to_json(NodeFailure(reason, "lost"))
            _step(run, scheduler, state, fold_outcome(scheduler, state, node, outcome))
            failed.append(run_id)
    return failed


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


def _scheduler(version: GraphVersion) -> Scheduler:
    return Scheduler(load_spec(version.spec))


def _step(run: Run, scheduler: Scheduler, state: RunState, drafts: list[EventDraft]) -> None:
    """Publish ``drafts``, then start what is ready until only hosted nodes are left running;
    save the run, and dispatch the hosted nodes after the commit. Caller holds the row lock."""
    _publish(run, drafts)
    jobs: list[tuple[str, NodeJob]] = []
    while not state.finished:
        started, drafts = scheduler.start_ready(state)
        if not started:
            break
        _publish(run, drafts)
        for node_id in started:
            kind = NODE_KINDS[scheduler.spec.node(node_id).kind]
            if kind.hosted:
                jobs.append((node_id, NodeJob.for_node(scheduler, state, node_id)))
                continue
            outcome = _execute_inline(run, NodeJob.for_node(scheduler, state, node_id), scheduler)
            _publish(run, fold_outcome(scheduler, state, node_id, outcome))
    run.state = state.to_json()
    if state.finished:
        run.status = _STATUS[state.run_status]
        run.output = scheduler.output(state)
        run.error = state.error or ""
        run.finished_at = timezone.now()
        _notify_finished(run)
        running = [info["task"] for info in run.nodes.values()]
        run.nodes = {}
        if running:
            transaction.on_commit(lambda: tasks.revoke_node_tasks(running))
    else:
        for node_id, job in jobs:
            transaction.on_commit(_dispatch(run, scheduler, node_id, job))
    _copy_trace(run)
    run.save()


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
    run.nodes[node_id] = {
        "task": task_id,
        "deadline": (timezone.now() + budget + NODE_GRACE).isoformat(),
    }
    queue = node_queue(NODE_KINDS[node.kind].models(config)[0])
    payload = job.to_json()
    return lambda: tasks.send_node_task(str(run.pk), payload, queue=queue, task_id=task_id)


def _execute_inline(run: Run, job: NodeJob, scheduler: Scheduler) -> dict[str, Any]:
    """Execute a cheap kind (no model) here; its JSON outcome."""

    def emit(event_type: str, data: Mapping[str, Any]) -> None:
        _publish(run, [EventDraft(EventType(event_type), job.node, data)])

    context = job.context(scheduler.spec, _NO_MODELS, emit)
    try:
        return outcome_to_json(aio.run(execute_node(context)))
    except NodeFailure as failure:
        return failure_to_json(failure)


def _publish(run: Run, drafts: list[EventDraft]) -> None:
    event_stream().publish(str(run.pk), drafts)


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
