"""Executing one node of a run on a model host, for the Celery driver.

The node's inputs arrive as a ``NodeJob``; its events (deltas, router decisions) go straight to
the run's event stream; its outcome is returned as JSON for the process that advances the run.
The node stops early, without an outcome, when the run is closed (cancelled, or finished because
another node failed) before or while it runs; it does not start when its outcome was already
folded in (a copy of the task delivered again after its worker died).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from graphs import SpecError, load_spec
from graphs.engine.execution import NodeFailure, execute_node
from graphs.engine.remote import NodeJob, failure_to_json, outcome_to_json
from graphs.events import EventDraft, EventType
from graphs.nodes.base import NodeContext
from graphs.runtime import ModelClient
from workers import aio
from workers.event_stream import EventStream

CLOSED_POLL_S = 0.5
"""How often a running node checks whether its run was closed (the cancellation latency)."""


def run_node(
    run_id: str, job: NodeJob, *, stream: EventStream, client: ModelClient, floor: int = 0
) -> dict[str, Any] | None:
    """Execute ``job`` on the process's background loop; the JSON outcome, or None if the run
    closed first. Blocks until then. Executor errors become failure outcomes, never raise.
    ``floor``: the run's last stored seq when the node was sent (``EventStream.publish``)."""
    if stream.is_closed(run_id) or stream.is_settled(run_id, job.node):
        return None
    try:
        spec = load_spec(job.spec)
    except SpecError as error:
        return failure_to_json(NodeFailure(f"the run's spec does not load: {error}", "internal"))

    def emit(event_type: str, data: Mapping[str, Any]) -> None:
        # A synchronous Redis round trip on the loop: sub-millisecond, and it keeps this node's
        # events in the order the executor emitted them.
        stream.publish(run_id, [EventDraft(EventType(event_type), job.node, data)], floor=floor)

    context = job.context(spec, client, emit)
    return aio.run(_execute(run_id, context, stream))


async def _execute(run_id: str, context: NodeContext, stream: EventStream) -> dict[str, Any] | None:
    task = asyncio.ensure_future(execute_node(context))
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=CLOSED_POLL_S)
            if done:
                break
            if await asyncio.to_thread(stream.is_closed, run_id):
                return None
        try:
            return outcome_to_json(task.result())
        except NodeFailure as failure:
            return failure_to_json(failure)
    finally:
        if not task.done():
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
