"""Executing one node for the Celery driver, on a real Redis event stream."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import redis

from graphs import load_spec
from graphs.engine.remote import NodeJob
from graphs.events import EventDraft, EventType
from graphs.nodes.base import NodeResult, RunInput
from workers import settings
from workers.backends.fake import FakeBackend
from workers.event_stream import EventStream
from workers.node_runner import run_node


def _job(**model_config: Any) -> NodeJob:
    spec = {
        "spec": 1,
        "nodes": [
            {"id": "q", "kind": "input", "config": {}},
            {"id": "m", "kind": "model", "config": {"model": "fake", **model_config}},
            {"id": "out", "kind": "output", "config": {}},
        ],
        "edges": [
            {"id": "e1", "source": "q", "target": "m"},
            {"id": "e2", "source": "m", "target": "out"},
        ],
    }
    text = "What is two plus two?"
    return NodeJob(
        node="m",
        spec=load_spec(spec).to_json(),
        upstream={"e1": NodeResult(text=text, query=text)},
        run_input=RunInput(text),
    )


def _stream() -> EventStream:
    return EventStream(redis.Redis.from_url(settings.redis_url()))


def test_the_outcome_comes_back_and_the_deltas_go_to_the_stream() -> None:
    run_id, stream = uuid.uuid4().hex, _stream()

    outcome = run_node(run_id, _job(), stream=stream, client=FakeBackend())

    assert outcome is not None
    assert outcome["ok"] is True
    assert outcome["result"]["text"] == "fake: What is two plus two?"
    events = [e for e in stream.events_after(run_id) if e.node == "m"]
    assert events[0].type is EventType.NODE_REQUEST
    assert events[0].data["messages"][-1]["content"] == "What is two plus two?"
    assert "".join(e.data["text"] for e in events[1:]) == outcome["result"]["text"]


def test_a_failure_is_an_outcome_with_its_code() -> None:
    outcome = run_node(
        uuid.uuid4().hex, _job(retries=0), stream=_stream(), client=FakeBackend(fail_times=1)
    )

    assert outcome is not None
    assert (outcome["ok"], outcome["code"]) == (False, "transient")


def test_a_node_of_a_closed_run_or_already_settled_does_not_run() -> None:
    stream, backend = _stream(), FakeBackend()
    closed, settled = uuid.uuid4().hex, uuid.uuid4().hex
    stream.publish(closed, [EventDraft(EventType.RUN_CANCELLED, data={"reason": "stop"})])
    stream.settle(settled, "m")

    assert run_node(closed, _job(), stream=stream, client=backend) is None
    assert run_node(settled, _job(), stream=stream, client=backend) is None
    assert backend.calls == []


def test_a_running_node_stops_soon_after_its_run_closes() -> None:
    run_id, stream = uuid.uuid4().hex, _stream()
    closer = threading.Timer(
        0.2,
        stream.publish,
        [run_id, [EventDraft(EventType.RUN_CANCELLED, data={"reason": "stop"})]],
    )
    closer.start()
    started = time.monotonic()

    outcome = run_node(run_id, _job(), stream=stream, client=FakeBackend(hang=True))

    assert outcome is None
    assert time.monotonic() - started < 2


def test_a_first_load_goes_to_the_stream_before_the_first_delta() -> None:
    run_id, stream = uuid.uuid4().hex, _stream()
    client = FakeBackend(load_s={"fake": 0.2})

    run_node(run_id, _job(), stream=stream, client=client)
    run_node(run_id + "-again", _job(), stream=stream, client=client)

    types = [str(e.type) for e in stream.events_after(run_id) if e.node == "m"]
    first_delta = types.index("node.delta")
    assert "model.loading" in types[:first_delta]
    assert types[first_delta - 1] == "model.loaded"
    again = [str(e.type) for e in stream.events_after(run_id + "-again")]
    assert "model.loading" not in again
