"""The run event stream on a real Redis: gap-free numbering with many publishers, closing at the
terminal event, reading back after a seq, and the relay to the Channels group."""

from __future__ import annotations

import asyncio
import multiprocessing
import uuid
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import redis
from channels_redis.core import RedisChannelLayer

from graphs.events import EventDraft, EventType
from workers import settings
from workers.event_stream import EventStream, group_name

PUBLISHES = 40


def _publish_many(run_id: str, publisher: int) -> list[int]:
    """Publish ``PUBLISHES`` one- and two-event batches; the seqs received, in order."""
    stream = EventStream(redis.Redis.from_url(settings.redis_url()))
    seqs = []
    for i in range(PUBLISHES):
        drafts = [EventDraft(EventType.NODE_DELTA, f"n{publisher}", {"i": i})] * (1 + i % 2)
        seqs += [event.seq for event in stream.publish(run_id, drafts)]
    return seqs


def test_seq_is_gap_free_with_publishers_in_many_processes_and_threads() -> None:
    run_id = uuid.uuid4().hex
    context = multiprocessing.get_context("fork")
    with (
        ProcessPoolExecutor(3, mp_context=context) as processes,
        ThreadPoolExecutor(3) as threads,
    ):
        futures = [processes.submit(_publish_many, run_id, p) for p in range(3)]
        futures += [threads.submit(_publish_many, run_id, p) for p in range(3, 6)]
        per_publisher = [future.result() for future in futures]

    events = EventStream(redis.Redis.from_url(settings.redis_url())).events_after(run_id)
    total = 6 * sum(1 + i % 2 for i in range(PUBLISHES))
    assert [event.seq for event in events] == list(range(1, total + 1))
    for publisher, seqs in enumerate(per_publisher):
        assert seqs == sorted(seqs)
        assert [e.seq for e in events if e.node == f"n{publisher}"] == seqs
        # A batch gets consecutive numbers: its events are never split by another publisher's.
        batches = [e.data["i"] for e in events if e.node == f"n{publisher}"]
        assert batches == [i for i in range(PUBLISHES) for _ in range(1 + i % 2)]


def test_the_terminal_event_closes_the_run() -> None:
    stream = EventStream(redis.Redis.from_url(settings.redis_url()))
    run_id = uuid.uuid4().hex
    published = stream.publish(
        run_id,
        [
            EventDraft(EventType.NODE_COMPLETED, "m", {"output": "4"}),
            EventDraft(EventType.RUN_COMPLETED, data={"output": "4"}),
            EventDraft(EventType.NODE_DELTA, "m", {"text": "late"}),
        ],
    )

    assert [event.type for event in published] == ["node.completed", "run.completed"]
    assert stream.is_closed(run_id)
    assert stream.publish(run_id, [EventDraft(EventType.NODE_DELTA, "m", {"text": "x"})]) == []
    assert [event.seq for event in stream.events_after(run_id, 1)] == [2]


async def test_events_are_relayed_to_the_run_group_in_order() -> None:
    run_id = uuid.uuid4().hex
    layer = RedisChannelLayer(hosts=[settings.redis_url()])
    channel = await layer.new_channel()
    await layer.group_add(group_name(run_id), channel)
    stream = EventStream.from_settings()
    drafts = [EventDraft(EventType.NODE_DELTA, "m", {"text": str(i)}) for i in range(5)]

    published = await asyncio.to_thread(stream.publish, run_id, drafts)

    received = [await asyncio.wait_for(layer.receive(channel), 5) for _ in drafts]
    assert received == [{"type": "run.event", "event": e.to_json()} for e in published]
    await layer.group_discard(group_name(run_id), channel)


def test_a_settled_node_is_remembered_per_run() -> None:
    stream = EventStream(redis.Redis.from_url(settings.redis_url()))
    run_id = uuid.uuid4().hex

    stream.settle(run_id, "m")

    assert stream.is_settled(run_id, "m")
    assert not stream.is_settled(run_id, "other")
    assert not stream.is_settled(uuid.uuid4().hex, "m")
