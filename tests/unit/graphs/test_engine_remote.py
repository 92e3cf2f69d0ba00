"""Node jobs and outcomes cross a process boundary as JSON and fold as the local driver folds."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from graphs import load_spec
from graphs.engine.execution import NodeFailure, execute_node
from graphs.engine.local_driver import LocalRun
from graphs.engine.remote import NodeJob, failure_to_json, fold_outcome, outcome_to_json
from graphs.engine.scheduler import Scheduler
from graphs.events import Event, EventDraft, EventType, Sequencer
from graphs.nodes.base import RunInput
from graphs.templates import get_template
from workers.backends.fake import FakeBackend


def _over_the_wire(data: dict[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(json.dumps(data))
    return loaded


async def _remote_run(template: str, text: str, client: FakeBackend) -> list[Event]:
    """A driver that sends every node as JSON and folds JSON outcomes, one wave at a time."""
    scheduler = Scheduler(load_spec(get_template(template).spec()))
    sequencer = Sequencer("r", clock=lambda: "t")
    events: list[Event] = []

    def publish(drafts: list[EventDraft]) -> None:
        events.extend(sequencer.stamp(draft) for draft in drafts)

    state, drafts = scheduler.begin(RunInput(text))
    publish(drafts)
    while not state.finished:
        started, drafts = scheduler.start_ready(state)
        publish(drafts)
        outcomes = []
        for node_id in started:
            job = NodeJob.from_json(
                _over_the_wire(NodeJob.for_node(scheduler, state, node_id).to_json())
            )
            spec = load_spec(job.spec)

            def emit(kind: str, data: Any, node: str = node_id) -> None:
                publish([EventDraft(EventType(kind), node, data)])

            try:
                context = job.context(spec, client, emit)
                outcome = outcome_to_json(await execute_node(context, backoff_s=0))
            except NodeFailure as failure:
                outcome = failure_to_json(failure)
            outcomes.append((node_id, _over_the_wire(outcome)))
        for node_id, outcome in outcomes:
            publish(fold_outcome(scheduler, state, node_id, outcome))
    return events


TIMINGS = frozenset({"latency_ms", "ttft_ms", "duration_ms"})


def _without_timings(events: list[Event]) -> list[dict[str, Any]]:
    return [
        {**e.to_json(), "ts": "", "data": {k: v for k, v in e.data.items() if k not in TIMINGS}}
        for e in events
    ]


@pytest.mark.parametrize("template", ["moa-lite", "router-basic", "octopus-v4-mmlu"])
def test_jobs_and_outcomes_as_json_give_the_local_driver_events(template: str) -> None:
    text = "Find the derivative of x squared; calculus."
    remote = asyncio.run(_remote_run(template, text, FakeBackend()))
    spec = load_spec(get_template(template).spec())
    local_run = LocalRun(spec, RunInput(text), FakeBackend(), run_id="r", retry_backoff_s=0)
    local = asyncio.run(local_run.execute())

    assert _without_timings(remote) == _without_timings(local.events)


def test_a_failure_outcome_fails_the_run_with_its_code() -> None:
    text = "Hello"
    events = asyncio.run(_remote_run("moa-lite", text, FakeBackend(fail_times=10)))
    failed = [e for e in events if e.type is EventType.NODE_FAILED]

    assert failed[0].data["code"] == "transient"
    assert events[-1].type is EventType.RUN_FAILED
