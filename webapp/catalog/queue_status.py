"""Whether a worker serves a Celery queue now, and how many tasks wait in it, for the Models page.

Both come from Redis in one round trip: "served" from the workers' announcements
(``workers.presence.queue_is_served``'s sorted sets), "waiting" from the broker's lists (kombu's
Redis transport keeps one list per queue and priority step). The Models API must stay fast and
answer when Redis is down, so this module uses its own client with sub-second timeouts and
reports ``None`` (unknown) instead of raising.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import redis
from kombu.transport import redis as kombu_redis

from workers import presence, settings

log = logging.getLogger(__name__)

TIMEOUT_S = 0.5
"""Connect and read timeout of a status read: a slow Redis must not slow the Models page."""


@dataclass(frozen=True)
class QueueStatus:
    """``served``: a live worker announced that it consumes the queue; ``waiting``: messages not
    yet taken by a worker. Both are None when Redis could not be read."""

    served: bool | None
    waiting: int | None


UNKNOWN = QueueStatus(served=None, waiting=None)


@cache
def _client() -> redis.Redis:
    return redis.Redis.from_url(
        settings.redis_url(), socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S
    )


def _broker_lists(queue: str) -> list[str]:
    """The Redis lists kombu stores ``queue``'s messages in: the queue's own name for priority
    0, ``<queue><sep><step>`` for the other priority steps."""
    sep = kombu_redis.Channel.sep
    return [queue if step == 0 else f"{queue}{sep}{step}" for step in kombu_redis.PRIORITY_STEPS]


def queue_statuses(queues: Iterable[str]) -> dict[str, QueueStatus]:
    """``{queue: QueueStatus}`` for each distinct queue, read in one pipeline; every queue is
    ``UNKNOWN`` when Redis cannot answer (logged, never raised)."""
    names = sorted(set(queues))
    if not names:
        return {}
    now_ms = int(time.time() * 1000)
    try:
        pipe = _client().pipeline(transaction=False)
        for queue in names:
            pipe.zcount(presence.queue_key(queue), now_ms, "+inf")
            for key in _broker_lists(queue):
                pipe.llen(key)
        replies = pipe.execute()
    except redis.RedisError as error:
        log.warning("queue status unknown, Redis did not answer: %s", error)
        return dict.fromkeys(names, UNKNOWN)
    per_queue = 1 + len(kombu_redis.PRIORITY_STEPS)
    statuses = {}
    for index, queue in enumerate(names):
        served, *lengths = replies[index * per_queue : (index + 1) * per_queue]
        statuses[queue] = QueueStatus(served=bool(served), waiting=sum(lengths))
    return statuses
