"""What every WebSocket consumer shares: close codes, refusals, query values and client frames.

A consumer refuses a connection by *accepting it and then closing it* with a close code that
says why, as the REST API's status would (``refuse``). Closing before accepting would fail the
handshake instead: Daphne answers that with HTTP 403, and browsers then report close code 1006
to the page, which cannot tell a refusal from a dropped connection (the studio retries drops but
gives up on codes of 4000 and above). Only the origin check (``AllowedHostsOriginValidator``,
before any consumer) still fails the handshake with HTTP 403. Codes:
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from webapp.api import parsers
from webapp.api.limits import MAX_ID
from webapp.errors import DomainError, Forbidden, NotFound

T = TypeVar("T")

BAD_REQUEST = 4400
"""The query string is malformed (e.g. ``after`` is not a non-negative integer, or is repeated)."""
UNAUTHENTICATED = 4401
"""No session and no valid API token."""
FORBIDDEN = 4403
"""The user can see the object but not do this."""
NOT_FOUND = 4404
"""No such object *or* another team's: outsiders cannot tell them apart (as with 404s)."""

MAX_CLIENT_FRAME_CHARS = 64 * 1024
"""Longest text frame a consumer reads; longer ones are unreadable. Clients only ever send a few
dozen bytes; Daphne itself drops a connection whose message passes 1 MiB (its
``--websocket-max-message-size`` default, close code 1009) before a consumer sees it."""
MAX_CLIENT_FRAME_DEPTH = 8
"""Objects and lists a client frame may nest; deeper ones are unreadable."""
_DIGITS = re.compile(r"[0-9]{1,19}")


class BadQuery(ValueError):
    """A query value the consumer cannot use; the message says which and why."""


def close_code(error: DomainError) -> int:
    """The close code for a domain error raised by a selector or service."""
    if isinstance(error, NotFound):
        return NOT_FOUND
    if isinstance(error, Forbidden):
        return FORBIDDEN
    return BAD_REQUEST


async def refuse(consumer: Any, code: int, reason: str = "") -> None:
    """Accept ``consumer``'s handshake, then close it with ``code`` and ``reason`` (at most 123
    bytes, the WebSocket limit); frames the client sends after this are ignored."""
    consumer.refused = True
    await consumer.accept()
    await consumer.close(code=code, reason=reason.encode()[:123].decode(errors="ignore"))


def query_int(query_string: bytes, name: str, *, default: int, maximum: int) -> int:
    """The query value ``name`` as an integer from 0 to ``maximum``; ``default`` when absent.

    Raises ``BadQuery`` when it is given more than once, empty, or anything but ASCII digits
    (``str.isdigit`` would accept ``²``) up to ``maximum``."""
    values = _query(query_string).get(name, [])
    if not values:
        return default
    if len(values) > 1:
        raise BadQuery(f"{name} is given {len(values)} times")
    value = values[0]
    if not _DIGITS.fullmatch(value) or int(value) > maximum:
        raise BadQuery(f"{name} must be an integer from 0 to {maximum}")
    return int(value)


def query_param(query_string: bytes, name: str) -> str | None:
    """The first value of query parameter ``name``, or None."""
    values = _query(query_string).get(name)
    return values[0] if values else None


def _query(query_string: bytes) -> dict[str, list[str]]:
    return parse_qs(query_string.decode("latin1"), keep_blank_values=True)


def path_id(consumer: Any, kwarg: str) -> int | None:
    """The id in the URL (routes match ``<int:...>``, any number of digits); None for one past
    the database's ids, which no object has (a selector would make PostgreSQL raise)."""
    value = int(consumer.scope["url_route"]["kwargs"][kwarg])
    return value if value <= MAX_ID else None


async def connecting_user(consumer: Any) -> Any | None:
    """The authenticated user of ``consumer``'s connection; None after refusing it
    (``UNAUTHENTICATED``)."""
    user = consumer.scope.get("user")
    if user is None or not user.is_authenticated:
        await refuse(consumer, UNAUTHENTICATED, "no valid session or API token")
        return None
    return user


async def find_or_refuse(consumer: Any, selector: Callable[..., T], **kwargs: Any) -> T | None:
    """``selector(**kwargs)``, run off the event loop; None after refusing ``consumer``'s
    connection with the close code of the ``DomainError`` it raised."""
    try:
        return await database_sync_to_async(selector)(**kwargs)
    except DomainError as error:
        await refuse(consumer, close_code(error), error.message)
        return None


class CatchUpTicker:
    """Calls ``tick`` every ``interval_s`` seconds, on the consumer's event loop, until stopped.

    How a consumer that follows a Channels group recovers a message the group dropped (group
    delivery is best effort) with no later one to reveal the loss: it re-reads the source every
    few seconds. ``tick`` runs in the ticker's own task; ``stop`` may be called from anywhere,
    ``tick`` included (it then ends the loop after ``tick`` returns instead of cancelling it)."""

    def __init__(self, tick: Callable[[], Awaitable[None]], interval_s: float) -> None:
        self._tick = tick
        self._interval_s = interval_s
        self._task: asyncio.Task[None] | None = None
        self._stopped = False

    def start(self) -> None:
        """Start ticking (at most once)."""
        if self._task is None and not self._stopped:
            self._task = asyncio.create_task(self._run())

    def stop(self) -> None:
        """Stop ticking: cancels a tick under way unless called from that tick."""
        self._stopped = True
        if self._task is not None and self._task is not asyncio.current_task():
            self._task.cancel()

    async def _run(self) -> None:
        while not self._stopped:
            await asyncio.sleep(self._interval_s)
            if not self._stopped:
                await self._tick()


class JsonConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    """The base of every consumer here: JSON text frames both ways, and no client frame can
    make it fail. Channels' JSON consumer raises (closing the socket with 1011) on a binary,
    empty or non-JSON frame; this one hands such frames to ``receive_unreadable``, and JSON to
    ``receive_json`` only once the connection is accepted and not refused."""

    refused = False

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        if self.refused:
            return
        if text_data is None:
            await self.receive_unreadable("binary frames are not read; send JSON text")
            return
        if len(text_data) > MAX_CLIENT_FRAME_CHARS:
            await self.receive_unreadable(
                f"frames longer than {MAX_CLIENT_FRAME_CHARS} characters are not read"
            )
            return
        try:
            content = parsers.loads(text_data, max_depth=MAX_CLIENT_FRAME_DEPTH)
        except (ValueError, parsers.JsonTooDeep):
            await self.receive_unreadable("the frame is not JSON")
            return
        await self.receive_json(content, **kwargs)

    async def receive_unreadable(self, reason: str) -> None:
        """A frame that is not JSON text (``reason`` says what is wrong): ignored, unless a
        consumer that reads client frames answers it."""

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """Any JSON value a client sent. Ignored unless a consumer reads client frames."""
