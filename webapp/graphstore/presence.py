"""Who has a graph open, kept in Redis: one entry per socket, forgotten without a heartbeat.

``octograph:graph:<id>:presence`` is a hash from a socket's channel name to
``{"user", "role", "mode", "seen"}``. Sockets heartbeat every ``HEARTBEAT_S``; an entry not seen
for ``PRESENCE_TTL_S`` (its socket's process died without saying goodbye) is dropped when the
list is next read, and the whole key expires with the last heartbeat. ``present`` folds entries
into one per user: a user with two tabs is listed once, as editing if either tab edits.

Synchronous (redis-py, thread-safe): consumers call these functions through ``sync_to_async``.
"""

from __future__ import annotations

import json
import time
from functools import cache
from typing import Any

import redis
from django.conf import settings

HEARTBEAT_S = 20
"""How often a client sends ``{"type": "heartbeat"}``."""
PRESENCE_TTL_S = 3 * HEARTBEAT_S
"""An entry this old is dropped: its socket is gone."""
MODES = ("viewing", "editing")
MODE_FIELDS = ("user", "role", "mode")


@cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def _redis() -> redis.Redis:
    return _client(settings.REDIS_URL)


def _key(graph_id: int) -> str:
    return f"octograph:graph:{graph_id}:presence"


def presence_set(
    *, graph_id: int, channel: str, user: str, role: str, mode: str = "viewing"
) -> list[dict[str, Any]]:
    """Record (or refresh) the socket ``channel`` of ``user``; the graph's presence after it."""
    entry = {"user": user, "role": role, "mode": mode, "seen": time.time()}
    key = _key(graph_id)
    _redis().pipeline().hset(key, channel, json.dumps(entry)).expire(key, PRESENCE_TTL_S).execute()
    return present(graph_id)


def presence_touch(*, graph_id: int, channel: str) -> None:
    """A heartbeat of ``channel`` (recorded again if it had been dropped meanwhile)."""
    raw = _redis().hget(_key(graph_id), channel)
    if raw is not None:
        entry = json.loads(raw)
        presence_set(graph_id=graph_id, channel=channel, **{k: entry[k] for k in MODE_FIELDS})


def presence_leave(*, graph_id: int, channel: str) -> list[dict[str, Any]]:
    """Forget the socket ``channel``; the graph's presence after it."""
    _redis().hdel(_key(graph_id), channel)
    return present(graph_id)


def present(graph_id: int) -> list[dict[str, Any]]:
    """``[{"user", "role", "mode"}]`` per user on the graph now, by user name."""
    key = _key(graph_id)
    entries = _redis().hgetall(key)
    oldest = time.time() - PRESENCE_TTL_S
    users: dict[str, dict[str, Any]] = {}
    stale = []
    for channel, raw in entries.items():
        entry = json.loads(raw)
        if entry["seen"] < oldest:
            stale.append(channel)
            continue
        known = users.setdefault(entry["user"], {k: entry[k] for k in MODE_FIELDS})
        if entry["mode"] == "editing":
            known["mode"] = "editing"
    if stale:
        _redis().hdel(key, *stale)
    return [users[name] for name in sorted(users)]
