"""WebSocket authentication by API token, on top of Channels' session authentication.

Browsers cannot set headers on a WebSocket handshake, so the studio relies on its session cookie
(``AuthMiddlewareStack``; the origin is checked by ``AllowedHostsOriginValidator``). Other
clients present an API token (a named one from ``/api/auth/tokens/``, or the legacy one of
``POST /api/auth/token/``) either as a query parameter, ``/ws/runs/7/?token=<key>``, or as a
header, ``Authorization: Token <key>`` (``Bearer <key>`` works too). A token wins over the
session; an unknown token leaves the connection anonymous, so consumers refuse it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser

from webapp.accounts.tokens import key_from_authorization, user_for_key


def token_from_scope(scope: dict[str, Any]) -> str | None:
    """The API token the handshake carries (query ``token`` first, then the header), or None."""
    query = parse_qs(scope.get("query_string", b"").decode("latin1"))
    if query.get("token"):
        return query["token"][0]
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            return key_from_authorization(value.decode("latin1"))
    return None


@database_sync_to_async
def _user_of(key: str) -> Any:
    return user_for_key(key) or AnonymousUser()


class TokenAuthMiddleware:
    """Sets ``scope["user"]`` from an API token when the handshake carries one."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        key = token_from_scope(scope)
        if key is not None:
            scope = {**scope, "user": await _user_of(key)}
        return await self.inner(scope, receive, send)
