"""A run's events in Redis: numbered gap-free however many processes publish, then relayed.

Every event of run ``r`` goes through ``EventStream.publish``, which runs one Lua script that, for
each event, increments ``octograph:run:r:seq`` and appends the event to the stream
``octograph:run:r:events`` with that number as its entry id (``<seq>-0``). Redis runs a script
atomically, so node tasks on many workers and the process advancing the run interleave without
gaps or duplicates; ``events_after(r, seq)`` reads the stream back by id. The first terminal
event (``run.completed``/``failed``/``cancelled``) closes the run: later publishes are dropped,
so nothing follows it, and ``is_closed`` tells running node tasks to stop. Should Redis lose a
run's keys (restarted without its data), numbering resumes above what the publisher knows the
run used (``publish``'s ``floor``), never at 1: the one exception to "no gaps".

After numbering, events are forwarded to the Channels group ``run.<r>`` as
``{"type": "run.event", "event": {...}}``, through a channels-redis layer configured exactly as
the web app's (``settings.channel_layer_config``: same database, prefix and capacity), where
``webapp.runs.consumers.RunEventsConsumer`` relays them to WebSockets. Group delivery is best
effort and may reorder events published by different processes; the stream is the source of
truth (clients order by ``seq`` and fill gaps with ``events_after``). ``follow`` reads a run's
events as they come without a channel layer (``asyncio`` Redis; the OpenAI-compatible API).
Keys expire ``OCTOGRAPH_EVENT_TTL_S`` after the last event.

``shared_stream()`` is the one ``EventStream`` of a process, used alike by the web app (the runs
driver, selectors and consumers) and by the model hosts' node tasks.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Sequence
from functools import cache
from typing import Any

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from graphs.events import TERMINAL_TYPES, Event, EventDraft, utc_now_iso
from workers import aio, settings

log = logging.getLogger(__name__)

# KEYS: seq counter, stream, closed flag. ARGV: ttl, floor, RESUME_GAP, then (event json,
# is_terminal) pairs.
# Returns the seq of the first event added, or 0 when the run was already closed. A missing
# counter with a floor above 0 means Redis lost the run's keys (a restart without its data, or
# they expired): numbering resumes after floor + RESUME_GAP, never at 1 (see ``publish``).
_PUBLISH = """
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
local floor = tonumber(ARGV[2])
if redis.call('EXISTS', KEYS[1]) == 0 then
  local start = 0
  if floor > 0 then start = floor + tonumber(ARGV[3]) end
  local top = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
  if #top > 0 then
    local last = tonumber(string.match(top[1][1], '^(%d+)'))
    if last > start then start = last end
  end
  redis.call('SET', KEYS[1], start)
end
local first = 0
for i = 4, #ARGV, 2 do
  local seq = redis.call('INCR', KEYS[1])
  if first == 0 then first = seq end
  redis.call('XADD', KEYS[2], seq .. '-0', 'event', ARGV[i])
  if ARGV[i + 1] == '1' then
    redis.call('SET', KEYS[3], seq)
    break
  end
end
for k = 1, 3 do
  if redis.call('EXISTS', KEYS[k]) == 1 then redis.call('EXPIRE', KEYS[k], ARGV[1]) end
end
return first
"""

RESUME_GAP = 10_000
"""How far numbering jumps when a run's counter is gone from Redis but the run already had
events (``floor`` > 0): the events published after the last one the caller knows of (deltas
that were never stored, at most one step's worth) may already have reached followers, so their
numbers are not reused; a follower reconnecting with any of them as ``after`` still receives
every later event, the terminal one included."""


def group_name(run_id: str) -> str:
    """The Channels group of a run's live events."""
    return f"run.{run_id}"


class EventStream:
    """Publishes and reads the events of runs; safe to share between threads."""

    def __init__(self, client: redis.Redis, relay: ChannelRelay | None = None) -> None:
        self._redis = client
        self._publish = client.register_script(_PUBLISH)
        self._relay = relay

    @classmethod
    def from_settings(cls) -> EventStream:
        """On ``REDIS_URL``, relaying to the Channels layer on the same Redis."""
        url = settings.redis_url()
        # Ride out a Redis restart (about 30 s of retries) instead of failing the node or step
        # that publishes: a command refused for want of a connection was not executed.
        retry = Retry(ExponentialBackoff(cap=2.0, base=0.1), retries=20)
        client = redis.Redis.from_url(
            url, retry=retry, retry_on_error=[redis.ConnectionError, redis.TimeoutError]
        )
        return cls(client, ChannelRelay(url))

    def publish(self, run_id: str, drafts: Sequence[EventDraft], *, floor: int = 0) -> list[Event]:
        """Number and store ``drafts`` as consecutive events, then relay them.

        ``floor``: the highest seq the caller knows the run has used (the stored trace's last,
        ``Run.last_seq``; a node task gets it in its message). When Redis has lost the run's
        counter (restarted without its data), numbering resumes after ``floor + RESUME_GAP``
        instead of at 1; otherwise it is ignored. Returns the stamped events: all of them, those
        up to the first terminal one, or none when the run was already closed. Blocks for one
        Redis round trip.
        """
        if not drafts:
            return []
        ts = utc_now_iso()
        args: list[Any] = [settings.event_ttl_s(), max(0, int(floor)), RESUME_GAP]
        for draft in drafts:
            body = {"run": run_id, "ts": ts, "type": str(draft.type), "node": draft.node}
            args += [json.dumps({**body, "data": dict(draft.data)}), int(_is_terminal(draft))]
        first = int(self._publish(keys=self._keys(run_id), args=args))
        if first == 0:
            return []
        events = []
        for offset, draft in enumerate(drafts):
            events.append(Event(run_id, first + offset, ts, draft.type, draft.node, draft.data))
            if _is_terminal(draft):
                break
        if self._relay is not None:
            self._relay.send(run_id, events)
        return events

    def events_after(self, run_id: str, seq: int = 0) -> list[Event]:
        """The run's events with ``seq`` greater than ``seq``, in order (empty once expired)."""
        entries = self._redis.xrange(self._keys(run_id)[1], min=f"{seq + 1}-0", max="+")
        return [_decode(entry_id, fields) for entry_id, fields in entries]

    def is_closed(self, run_id: str) -> bool:
        """Whether the run's terminal event was published (running nodes should stop)."""
        return bool(self._redis.exists(self._keys(run_id)[2]))

    def has_stream(self, run_id: str) -> bool:
        """Whether the run has published events that are still kept (not yet expired)."""
        return bool(self._redis.exists(self._keys(run_id)[1]))

    def closed_at(self, run_id: str) -> int | None:
        """The seq of the run's terminal event, or None before it (or once expired)."""
        raw = self._redis.get(self._keys(run_id)[2])
        return None if raw is None else int(raw)

    def settle(self, run_id: str, node_id: str) -> None:
        """Record that the node's outcome was folded into its run, so that a copy of its task
        delivered again (its worker died before acknowledging it) does not run it again."""
        key = self._settled_key(run_id)
        self._redis.pipeline().sadd(key, node_id).expire(key, settings.event_ttl_s()).execute()

    def is_settled(self, run_id: str, node_id: str) -> bool:
        return bool(self._redis.sismember(self._settled_key(run_id), node_id))

    @staticmethod
    def _keys(run_id: str) -> list[str]:
        prefix = f"octograph:run:{run_id}"
        return [f"{prefix}:seq", f"{prefix}:events", f"{prefix}:closed"]

    @staticmethod
    def _settled_key(run_id: str) -> str:
        return f"octograph:run:{run_id}:settled"


@cache
def shared_stream() -> EventStream:
    """The process's ``EventStream`` (``EventStream.from_settings``), created on first use;
    ``shared_stream.cache_clear()`` makes the next call connect anew (to a changed
    ``REDIS_URL``)."""
    return EventStream.from_settings()


async def follow(
    client: Any, run_id: str, *, after: int = 0, timeout_s: float, poll_s: float = 1.0
) -> AsyncIterator[Event]:
    """Every event of the run after ``after``, in order, as they are published, until (and
    including) the terminal one. ``client`` is a ``redis.asyncio.Redis``: nothing blocks a
    thread. Raises ``TimeoutError`` when the terminal event has not come ``timeout_s`` after the
    call. The stream itself is the source (not the relay), so nothing is missed."""
    key = EventStream._keys(run_id)[1]
    deadline = asyncio.get_running_loop().time() + timeout_s
    last = after
    while True:
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            raise TimeoutError(f"run {run_id} did not finish within {timeout_s} s")
        block_ms = max(1, int(min(left, poll_s) * 1000))
        reply = await client.xread({key: f"{last}-0"}, block=block_ms, count=1000)
        for _, entries in reply or []:
            for entry_id, fields in entries:
                event = _decode(entry_id, fields)
                last = event.seq
                yield event
                if event.is_terminal:
                    return


def _is_terminal(draft: EventDraft) -> bool:
    return draft.type in TERMINAL_TYPES


def _decode(entry_id: bytes, fields: dict[bytes, bytes]) -> Event:
    data = json.loads(fields[b"event"])
    data["seq"] = int(entry_id.split(b"-")[0])
    return Event.from_json(data)


class ChannelRelay:
    """Forwards events to the Channels layer from any thread, in the order they were sent.

    ``send`` never blocks: each batch becomes a task on the process's background loop
    (``workers.aio``), which owns the channel layer (its connections are loop-bound). Tasks start
    in the order they were sent and take turns through a FIFO lock, so batches go out in order.
    A failed delivery is logged and dropped: live viewers catch up from the stream.
    """

    def __init__(self, redis_url: str) -> None:
        self._redis_url = redis_url
        self._layer: Any = None
        self._turn: asyncio.Lock | None = None

    def send(self, run_id: str, events: list[Event]) -> None:
        asyncio.run_coroutine_threadsafe(self._deliver(run_id, events), aio.loop())

    async def _deliver(self, run_id: str, events: list[Event]) -> None:
        if self._turn is None:  # created on the loop's thread, the only one running this
            from channels_redis.core import RedisChannelLayer

            self._turn = asyncio.Lock()
            self._layer = RedisChannelLayer(**settings.channel_layer_config(self._redis_url))
        async with self._turn:
            try:
                for event in events:
                    message = {"type": "run.event", "event": event.to_json()}
                    await self._layer.group_send(group_name(run_id), message)
            except Exception:  # delivery is best effort; the stream keeps every event
                log.exception("could not relay events of run %s to the channel layer", run_id)
