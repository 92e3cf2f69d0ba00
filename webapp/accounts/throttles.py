"""Throttles against password guessing and mass sign-up, counted in Django's cache.

Two scopes, each with the limits of ``settings.AUTH_THROTTLE[scope]``:

- ``login``: failed logins, through the browser's session login and the API token exchange
  alike (one counter, so alternating the two endpoints gains nothing). Only wrong credentials
  count; a request refused for its shape (no password) is no guess.
- ``signup``: every sign-up attempt, accepted or not.

Each scope counts per account (the username tried, case-folded, whether or not it exists, so the
answers tell nothing about which accounts exist) and per client address (an IPv6 address by its
/64, the block one client usually holds). When a counter reaches its limit within ``window_s``
of its first count, that account or address is locked for ``window_s``: every request of the
scope for it, even with the right password, gets 429 (``code`` ``throttled``) with a
``Retry-After`` header, and is not counted. A lock touches only its own account or address: a
user logging in from elsewhere is refused only while their own account is locked.

A successful login clears its account's counter but not its address's: otherwise an attacker
could log into an account of their own between guesses at others and never reach the address
limit.

When the cache cannot be reached (a Redis blip), the throttles let requests through and log a
warning: logins keep working, unthrottled for that moment, rather than answering 500.

The cache must be shared by every server process (Redis in production; see ``CACHES`` in
``webapp.settings``). ``add`` then ``incr`` keeps the count exact across processes; the counter's
expiry is set once, by the ``add`` that creates it.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, ParamSpec

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from rest_framework import exceptions

log = logging.getLogger(__name__)
P = ParamSpec("P")
Scope = Literal["login", "signup"]
KEY_PREFIX = "octograph:throttle"

_WHAT = {
    "login": {"account": "failed logins of this username", "address": "failed logins from here"},
    "signup": {"account": "sign-ups with this username", "address": "sign-ups from here"},
}


class Throttled(exceptions.Throttled):  # type: ignore[misc]  # DRF has no type hints
    """429 with ``Retry-After``; the API's error handler keeps code ``throttled``."""

    extra_detail_singular = "Try again in {wait} second."
    extra_detail_plural = "Try again in {wait} seconds."


@dataclass(frozen=True)
class Limits:
    """``settings.AUTH_THROTTLE[scope]``: counts allowed per account and per address within
    ``window_s`` seconds, which is also how long a lock lasts."""

    account: int
    address: int
    window_s: int

    @classmethod
    def of(cls, scope: Scope) -> Limits:
        return cls(**settings.AUTH_THROTTLE[scope])


def client_address(request: HttpRequest) -> str:
    """The client's address as Daphne reports it (behind a proxy, run Daphne with
    ``--proxy-headers``, or every client shares the proxy's address); an IPv6 address as its
    /64 network."""
    raw = request.META.get("REMOTE_ADDR") or ""
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _fail_open(fn: Callable[P, None]) -> Callable[P, None]:
    """``fn``, except that a cache failure is logged and ignored instead of raised."""

    @functools.wraps(fn)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            fn(*args, **kwargs)
        except exceptions.Throttled:
            raise
        except Exception:  # the cache is down: serve the request unthrottled
            log.warning("auth throttle skipped: the cache is unreachable", exc_info=True)

    return guarded


@_fail_open
def check(scope: Scope, *, username: str | None, address: str) -> None:
    """Raise ``Throttled`` (with the longest remaining lock as its wait) when the account or the
    address is locked for ``scope``; return None otherwise. ``username`` None: only the address
    is checked."""
    keys = {_key(scope, "address", address, "lock"): "address"}
    if username is not None:
        keys[_key(scope, "account", username, "lock")] = "account"
    locks: dict[str, float] = cache.get_many(list(keys))
    if not locks:
        return
    key = max(locks, key=lambda k: locks[k])
    wait = max(1, math.ceil(locks[key] - time.time()))
    raise Throttled(wait=wait, detail=f"Too many {_WHAT[scope][keys[key]]}.", code="throttled")


@_fail_open
def record(scope: Scope, *, username: str | None, address: str) -> None:
    """Count one failed login or sign-up attempt for the account (unless ``username`` is None)
    and the address; lock either once it reaches its limit."""
    limits = Limits.of(scope)
    counted = [("address", address, limits.address)]
    if username is not None:
        counted.append(("account", username, limits.account))
    for kind, value, limit in counted:
        if _increment(_key(scope, kind, value, "count"), limits.window_s) >= limit:
            cache.set(
                _key(scope, kind, value, "lock"),
                time.time() + limits.window_s,
                timeout=limits.window_s,
            )


@_fail_open
def forget_account(scope: Scope, *, username: str) -> None:
    """Clear the account's counter (after a successful login)."""
    cache.delete(_key(scope, "account", username, "count"))


def _increment(key: str, window_s: int) -> int:
    """Add one to the counter at ``key``, creating it with a ``window_s`` expiry; the new
    count."""
    while True:
        if cache.add(key, 1, timeout=window_s):
            return 1
        try:
            return int(cache.incr(key))
        except ValueError:  # it expired between add and incr: start a new window
            continue


def _key(scope: Scope, kind: str, value: str, what: str) -> str:
    # Hashed: usernames may hold characters that some cache backends refuse in keys.
    digest = hashlib.sha256(value.casefold().encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}:{scope}:{kind}:{digest}:{what}"
