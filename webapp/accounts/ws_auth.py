"""WebSocket authentication by API token, on top of Channels' session authentication.

Browsers cannot set headers on a WebSocket handshake, so the studio relies on its session cookie
(``AuthMiddlewareStack``; the origin is checked by ``AllowedHostsOriginValidator``). Other
clients present their API token (``POST /api/auth/token/``) either as a query parameter,
``/ws/runs/7/?token=<key>``, or as a header, ``Authorization: Token <key>`` (``Bearer <key>``
works too). A token wins over the session; an unknown token leaves the connection anonymous, so
consumers refuse it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser
from rest_framework.authtoken.models import Token

_SCHEMES = (b"token ", b"bearer ")
_TOKEN_KEY = re.compile(r"[0-9a-f]{40}")
"""What DRF's ``Token.generate_key`` makes; anything else is no token (and never reaches the
database, where a NUL would be an error on PostgreSQL)."""


def token_from_scope(scope: dict[str, Any]) -> str | None:
    """The API token the handshake carries (query ``token`` first, then the header), or None."""
    query = parse_qs(scope.get("query_string", b"").decode("latin1"))
    if query.get("token"):
        return query["token"][0]
    for name, value in scope.get("headers", []):
        if name == b"authorization" and value[:7].lower().startswith(_SCHEMES):
            return value.split(b" ", 1)[1].strip().decode("latin1")
    return None


@database_sync_to_async
def _user_of(key: str) -> Any:
    if not _TOKEN_KEY.fullmatch(key):
        return AnonymousUser()
    token = Token.objects.select_related("user").filter(key=key).first()
    if token is None or not token.user.is_active:
        return AnonymousUser()
    return token.user


class TokenAuthMiddleware:
    """Sets ``scope["user"]`` from an API token when the handshake carries one."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        key = token_from_scope(scope)
        if key is not None:
            scope = {**scope, "user": await _user_of(key)}
        return await self.inner(scope, receive, send)
