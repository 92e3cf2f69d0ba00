"""The in-process asyncio driver: runs a whole graph in one event loop (CLI, tests, embedding).

Nodes that are ready together run concurrently as asyncio tasks; the model host decides how to
serve concurrent calls (the transformers backend batches them into one forward pass).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphs.engine.execution import RETRY_BACKOFF_S, NodeFailure, NodeOutcome, execute_node
from graphs.engine.scheduler import Scheduler
from graphs.engine.state import RunState, RunStatus
from graphs.events import Event, EventDraft, EventType, Sequencer, utc_now_iso
from graphs.nodes.base import NodeContext, RunInput
from graphs.runtime import ModelClient
from graphs.spec import GraphSpec
from graphs.tools.webhook import NO_WEBHOOK_ACCESS, WebhookAccess


@dataclass(frozen=True)
class RunResult:
    status: RunStatus
    output: str
    error: str | None
    events: list[Event]


class LocalRun:
    """One run of ``spec`` on ``client``. Call ``await execute()`` once; ``cancel()`` any time.

    ``on_event`` is called synchronously with every event, in ``seq`` order, as it happens;
    ``webhooks`` is what the run's webhook tools may use (default: no secret, no private host).
    """

    def __init__(
        self,
        spec: GraphSpec,
        run_input: RunInput,
        client: ModelClient,
        *,
        run_id: str = "local",
        on_event: Callable[[Event], None] | None = None,
        retry_backoff_s: float = RETRY_BACKOFF_S,
        clock: Callable[[], str] = utc_now_iso,
        webhooks: WebhookAccess = NO_WEBHOOK_ACCESS,
    ) -> None:
        self.scheduler = Scheduler(spec)
        self.run_input = run_input
        self.client = client
        self.webhooks = webhooks
        self.events: list[Event] = []
        self._sequencer = Sequencer(run_id, clock=clock)
        self._on_event = on_event
        self._backoff_s = retry_backoff_s
        self._cancel_reason: str | None = None
        self._cancelled = asyncio.Event()

    def cancel(self, reason: str = "cancelled by the user") -> None:
        """Ask the run to stop; running nodes are cancelled and ``run.cancelled`` is emitted."""
        self._cancel_reason = reason
        self._cancelled.set()

    async def execute(self) -> RunResult:
        state, drafts = self.scheduler.begin(self.run_input)
        self._publish(drafts)
        running: dict[asyncio.Task[NodeOutcome], str] = {}
        cancel_wait = asyncio.ensure_future(self._cancelled.wait())
        try:
            while not state.finished:
                started, drafts = self.scheduler.start_ready(state)
                self._publish(drafts)
                for node_id in started:
                    task = asyncio.create_task(
                        execute_node(self._context(state, node_id), backoff_s=self._backoff_s)
                    )
                    running[task] = node_id
                done, _ = await asyncio.wait(
                    [*running, cancel_wait], return_when=asyncio.FIRST_COMPLETED
                )
                if cancel_wait in done:
                    self._publish(self.scheduler.cancel(state, self._cancel_reason or "cancelled"))
                    break
                finished = [task for task in running if task in done]
                for task in sorted(finished, key=lambda t: self.scheduler.plan.order[running[t]]):
                    self._publish(self._fold(state, running.pop(task), task))
        finally:
            cancel_wait.cancel()
            for task in running:
                task.cancel()
            await asyncio.gather(*running, cancel_wait, return_exceptions=True)
        return RunResult(
            status=state.run_status,
            output=self.scheduler.output(state),
            error=state.error,
            events=self.events,
        )

    def _fold(
        self, state: RunState, node_id: str, task: asyncio.Task[NodeOutcome]
    ) -> list[EventDraft]:
        try:
            outcome: NodeOutcome | NodeFailure = task.result()
        except NodeFailure as failure:
            outcome = failure
        return self.scheduler.fold(state, node_id, outcome)

    def _context(self, state: RunState, node_id: str) -> NodeContext:
        def emit(event_type: str, data: Mapping[str, Any]) -> None:
            if not state.finished:
                self._publish([EventDraft(EventType(event_type), node_id, data)])

        return NodeContext(
            spec=self.scheduler.spec,
            node=self.scheduler.spec.node(node_id),
            upstream=self.scheduler.upstream(state, node_id),
            run_input=state.run_input,
            client=self.client,
            emit=emit,
            webhooks=self.webhooks,
        )

    def _publish(self, drafts: list[EventDraft]) -> None:
        for draft in drafts:
            event = self._sequencer.stamp(draft)
            self.events.append(event)
            if self._on_event is not None:
                self._on_event(event)


async def run_graph(
    spec: GraphSpec,
    text: str,
    client: ModelClient,
    *,
    run_id: str = "local",
    on_event: Callable[[Event], None] | None = None,
) -> RunResult:
    """Run ``spec`` on ``text`` to the end; a convenience over ``LocalRun``."""
    return await LocalRun(spec, RunInput(text), client, run_id=run_id, on_event=on_event).execute()
