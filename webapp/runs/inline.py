"""Inline node kinds of a run (those the model hosts do not serve): executed by the runs worker.

Instant kinds (``INSTANT_KINDS``: ``input`` and ``output``, which only pass text on) execute
inside the driver's step (``execute_instant``). Every other inline kind (tools: a webhook may
take minutes) is *deferred*: the step records it running, with a deadline, and after the commit
``execute_deferred`` executes it on the process's event loop, outside any transaction, while the
calling thread hands the outcomes back to the driver (``fold``) in short steps, many outcomes per
step, so that nothing slow ever holds a run's lock (on SQLite: the whole database's write lock).
"""

from __future__ import annotations

import asyncio
import functools
import threading
import time
from collections.abc import AsyncIterator, Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from django.db import connection

from graphs.engine.execution import NodeFailure, execute_node
from graphs.engine.remote import failure_to_json, outcome_to_json
from graphs.engine.scheduler import Scheduler
from graphs.engine.state import RunState
from graphs.events import EventDraft, EventType
from graphs.nodes.base import NodeContext
from graphs.runtime import BackendError, Chunk, GenerateRequest, ScoreRequest
from workers import aio, settings
from workers.event_stream import shared_stream

# Inline kinds that only pass text on (no I/O, little work) run inside the step; every other
# inline kind (tools) is deferred: executed after the step's commit, outside any transaction.
INSTANT_KINDS = frozenset({"input", "output"})
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

Emit = Callable[[str, Mapping[str, Any]], None]
Outcomes = list[tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class Deferred:
    """Inline nodes that a step of run ``run_id`` left running; ``state`` is the state it
    committed (it holds their inputs)."""

    run_id: int
    scheduler: Scheduler
    state: RunState
    nodes: tuple[str, ...]


Fold = Callable[[int, Scheduler, Outcomes, set[str]], Deferred | None]
"""The driver's step for deferred outcomes: ``fold(run_id, scheduler, outcomes, refresh)`` folds
``outcomes`` (node id, outcome JSON) into the run, pushes back the deadlines of the nodes in
``refresh``, and returns the nodes it deferred in turn (possibly none), or None once the run has
finished."""


def execute_instant(
    scheduler: Scheduler, state: RunState, node_id: str, emit: Emit
) -> dict[str, Any]:
    """Execute an instant kind (``INSTANT_KINDS``) now, on the event loop, waiting for it; its
    outcome JSON (``graphs.engine.remote``; a ``NodeFailure`` becomes a failure outcome)."""
    try:
        return outcome_to_json(aio.run(execute_node(_context(scheduler, state, node_id, emit))))
    except NodeFailure as failure:
        return failure_to_json(failure)


def execute_deferred(work: Deferred | None, *, fold: Fold) -> None:
    """Execute the deferred inline nodes of a committed step, and those that their outcomes make
    ready, until none is left or the run has finished (cancelled, failed). Call it with no
    transaction open: nodes execute on the process's event loop (``_INLINE_CONCURRENCY`` at a
    time) while this thread publishes their events and hands their outcomes to ``fold``.

    A process that dies meanwhile leaves the nodes running until their deadline in
    ``Run.nodes``, when the sweeper (``webapp.runs.sweeper``) fails the run, as for a lost
    hosted node. Raises what ``fold`` raises, and what escaped a batch of nodes (a bug: a node's
    own error becomes its failure outcome).
    """
    if work is None:
        return
    run_id, scheduler = work.run_id, work.scheduler
    sink = _InlineSink()
    executing: set[str] = set()
    batches: list[Future[None]] = []

    def submit(more: Deferred) -> None:
        executing.update(more.nodes)
        batches.append(asyncio.run_coroutine_threadsafe(_execute_nodes(more, sink), aio.loop()))

    submit(work)
    refreshed = time.monotonic()
    try:
        while executing:
            drafts, outcomes = sink.take(_FLUSH_EVERY_S)
            shared_stream().publish(str(run_id), drafts)
            if not outcomes:
                for batch in batches:
                    if batch.done():
                        batch.result()  # raises what escaped a batch (a bug: never a node's error)
                if shared_stream().is_closed(str(run_id)):
                    return  # the run finished meanwhile: cancelled, or another node failed it
                continue
            executing.difference_update(node for node, _ in outcomes)
            refresh = set()
            if time.monotonic() - refreshed > _REFRESH_EVERY_S:
                refresh, refreshed = executing, time.monotonic()
            began = time.monotonic()
            more = fold(run_id, scheduler, outcomes, refresh)
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


class _InlineSink:
    """What deferred nodes executing on the event loop hand to the thread that folds them:
    the events they emit and their outcomes, in the order they happened. Thread-safe."""

    def __init__(self) -> None:
        self.gate = asyncio.Semaphore(_INLINE_CONCURRENCY)  # used on the event loop only
        self._lock = threading.Lock()
        self._arrived = threading.Event()
        self._drafts: list[EventDraft] = []
        self._outcomes: Outcomes = []

    def emit(self, node_id: str, event_type: str, data: Mapping[str, Any]) -> None:
        with self._lock:
            self._drafts.append(EventDraft(EventType(event_type), node_id, data))

    def done(self, node_id: str, outcome: dict[str, Any]) -> None:
        with self._lock:
            self._outcomes.append((node_id, outcome))
            self._arrived.set()

    def take(self, timeout: float) -> tuple[list[EventDraft], Outcomes]:
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


async def _execute_nodes(work: Deferred, sink: _InlineSink) -> None:
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


def _context(scheduler: Scheduler, state: RunState, node_id: str, emit: Emit) -> NodeContext:
    """What an inline node's executor gets (as ``NodeJob.context``, without copying the spec)."""
    return NodeContext(
        spec=scheduler.spec,
        node=scheduler.spec.node(node_id),
        upstream=scheduler.upstream(state, node_id),
        run_input=state.run_input,
        client=_NO_MODELS,
        emit=emit,
        webhooks=settings.webhook_access(),
    )


class _NoModels:
    """The ``ModelClient`` of inline kinds, which never call a model."""

    async def generate(self, request: GenerateRequest) -> AsyncIterator[Chunk]:
        raise BackendError("inline node kinds cannot call models")
        yield Chunk()  # pragma: no cover - makes this an async generator

    async def score(self, request: ScoreRequest) -> list[float]:
        raise BackendError("inline node kinds cannot call models")


_NO_MODELS = _NoModels()
