"""The Redis cache of a chat session's history: ``octograph:chat:<id>:messages``, a list of
``{"role", "content"}`` JSON items, oldest first, kept ``HISTORY_TTL_S`` after its last use.

The database is the durable copy: a missing key (expired, evicted, or Redis restarted) is
rebuilt from it on the next read, and an append to a missing key is skipped (``APPEND`` checks
in one script), so the cache never holds a partial history. A Redis error makes callers fall
back to the database (``cached`` returns None).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from functools import cache

import redis
from django.conf import settings

log = logging.getLogger(__name__)

HISTORY_TTL_S = 24 * 3600

# KEYS: the list. ARGV: ttl, then the items. Appends only to an existing list.
_APPEND = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for i = 2, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return 1
"""


@cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def _key(session_id: int) -> str:
    return f"octograph:chat:{session_id}:messages"


def cached(session_id: int) -> list[dict[str, str]] | None:
    """The cached history, or None when it is not cached (or Redis cannot be reached)."""
    client = _client(settings.REDIS_URL)
    try:
        with client.pipeline() as pipe:
            items, exists = pipe.lrange(_key(session_id), 0, -1).exists(_key(session_id)).execute()
        if not exists:
            return None
        client.expire(_key(session_id), HISTORY_TTL_S)
    except redis.RedisError:
        log.warning(
            "chat history cache unavailable; reading session %s from the database", session_id
        )
        return None
    return [json.loads(item) for item in items]


def fill(session_id: int, turns: Sequence[dict[str, str]]) -> None:
    """Cache ``turns`` as the whole history (replacing what was cached)."""
    key = _key(session_id)
    try:
        with _client(settings.REDIS_URL).pipeline() as pipe:
            pipe.delete(key)
            if turns:
                pipe.rpush(key, *(json.dumps(t) for t in turns)).expire(key, HISTORY_TTL_S)
            pipe.execute()
    except redis.RedisError:
        log.warning("could not cache the history of chat session %s", session_id)


def append(session_id: int, *turns: dict[str, str]) -> None:
    """Add ``turns`` to a cached history; nothing when it is not cached."""
    client = _client(settings.REDIS_URL)
    try:
        client.eval(_APPEND, 1, _key(session_id), HISTORY_TTL_S, *(json.dumps(t) for t in turns))
    except redis.RedisError:
        log.warning("could not update the cached history of chat session %s", session_id)
