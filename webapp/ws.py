"""What every WebSocket consumer shares: close codes and the handshake refusal.

A consumer refuses a connection *before accepting it* (the handshake fails; ``websocket.close``
before ``accept`` is sent as HTTP 403 by Daphne, and as the close code to in-process clients such
as Channels' ``WebsocketCommunicator``). The code says why, as the REST API's status would:
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import parse_qs

from channels.db import database_sync_to_async

from webapp.errors import DomainError, Forbidden, NotFound

T = TypeVar("T")

BAD_REQUEST = 4400
"""The query string is malformed (e.g. ``after`` is not a non-negative integer)."""
UNAUTHENTICATED = 4401
"""No session and no valid API token."""
FORBIDDEN = 4403
"""The user can see the object but not do this."""
NOT_FOUND = 4404
"""No such object *or* another team's: outsiders cannot tell them apart (as with 404s)."""


def close_code(error: DomainError) -> int:
    """The close code for a domain error raised by a selector or service."""
    if isinstance(error, NotFound):
        return NOT_FOUND
    if isinstance(error, Forbidden):
        return FORBIDDEN
    return BAD_REQUEST


def query_param(query_string: bytes, name: str) -> str | None:
    values = parse_qs(query_string.decode("latin1")).get(name)
    return values[0] if values else None


async def connecting_user(consumer: Any) -> Any | None:
    """The authenticated user of ``consumer``'s connection; None after refusing it
    (``UNAUTHENTICATED``)."""
    user = consumer.scope.get("user")
    if user is None or not user.is_authenticated:
        await consumer.close(code=UNAUTHENTICATED)
        return None
    return user


async def find_or_refuse(consumer: Any, selector: Callable[..., T], **kwargs: Any) -> T | None:
    """``selector(**kwargs)``, run off the event loop; None after refusing ``consumer``'s
    connection with the close code of the ``DomainError`` it raised."""
    try:
        return await database_sync_to_async(selector)(**kwargs)
    except DomainError as error:
        await consumer.close(code=close_code(error))
        return None
