"""API keys: making them, reading them off a request, and finding whose they are.

Two kinds of key authenticate, both sent as ``Authorization: Token <key>`` or
``Authorization: Bearer <key>`` (a WebSocket handshake may carry ``?token=<key>`` instead):

* named tokens (``ApiToken``, ``/api/auth/tokens/``): ``octo_`` and 40 hex digits. Only their
  SHA-256 is stored, so a key is found by its digest. A fast hash is enough: the key carries 160
  random bits, so there is nothing to brute-force the way there is with a password;
* the legacy token of DRF's ``authtoken`` (``POST /api/auth/token/``, one per user): 40 hex
  digits, stored as is.

A string of neither shape never reaches the database (a NUL in it would be an error on
PostgreSQL). ``user_for_key`` is the one lookup the REST API (``authentication``), the
OpenAI-compatible views and the WebSocket middleware (``ws_auth``) share.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone
from rest_framework.authtoken.models import Token

from webapp.accounts.models import ApiToken

KEY_PREFIX = "octo_"
PREFIX_LENGTH = len(KEY_PREFIX) + 8
"""How much of a named key is kept in clear (``ApiToken.prefix``): enough to tell keys apart,
32 of its 160 random bits."""
LAST_USED_RESOLUTION = timedelta(minutes=1)
"""``ApiToken.last_used_at`` is rewritten only once it is this old: a client calling many times
a second costs one write a minute, not one per call."""

_NAMED_KEY = re.compile(r"octo_[0-9a-f]{40}")
_LEGACY_KEY = re.compile(r"[0-9a-f]{40}")  # what DRF's Token.generate_key makes
_SCHEMES = ("token", "bearer")


@dataclass(frozen=True)
class NewKey:
    """A freshly made named key: ``key`` is shown to its owner once; ``prefix`` and ``digest``
    are what is stored."""

    key: str
    prefix: str
    digest: str


def new_key() -> NewKey:
    """A new random named key (``octo_`` and 40 hex digits)."""
    key = KEY_PREFIX + secrets.token_hex(20)
    return NewKey(key=key, prefix=key[:PREFIX_LENGTH], digest=digest_of(key))


def digest_of(key: str) -> str:
    """The hex SHA-256 of ``key``, as ``ApiToken.digest`` stores it."""
    return hashlib.sha256(key.encode()).hexdigest()


def key_from_authorization(header: str) -> str | None:
    """The key of an ``Authorization`` header value in the ``Token`` or ``Bearer`` scheme (any
    case), or None for another scheme or no header. A malformed value (no key, or spaces inside
    it) gives a key that matches no one, so that the client hears it was wrong."""
    scheme, _, key = header.strip().partition(" ")
    return key.strip() if scheme.lower() in _SCHEMES else None


def user_for_key(key: str) -> User | None:
    """The active user ``key`` (named or legacy) belongs to, or None for any other string.

    Using a named token records it in ``last_used_at`` (at most once per
    ``LAST_USED_RESOLUTION``): one conditional UPDATE, in the caller's transaction if it has one.
    """
    if _NAMED_KEY.fullmatch(key):
        token = ApiToken.objects.select_related("user").filter(digest=digest_of(key)).first()
        if token is None or not token.user.is_active:
            return None
        _record_use(token)
        return token.user
    if _LEGACY_KEY.fullmatch(key):
        legacy = Token.objects.select_related("user").filter(key=key).first()
        return legacy.user if legacy is not None and legacy.user.is_active else None
    return None


def _record_use(token: ApiToken) -> None:
    now = timezone.now()
    stale = now - LAST_USED_RESOLUTION
    if token.last_used_at is not None and token.last_used_at > stale:
        return
    # Conditional, so that concurrent requests past the mark write once between them.
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale)
    ).update(last_used_at=now)
