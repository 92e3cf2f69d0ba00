"""The Content-Security-Policy header, on every HTTP response (static files included).

The policy is ``settings.CONTENT_SECURITY_POLICY`` (directive -> sources) with, in
``connect-src``, the WebSocket origins of the request's own host: the studio opens
``ws(s)://<host>/ws/...`` sockets, and browsers before CSP level 3 do not count them as
``'self'``. The host comes from ``request.get_host()``, which ``ALLOWED_HOSTS`` has validated,
so it cannot smuggle a directive into the header.

Every page gets the same policy, the API's Swagger page (``/api/docs/``) included: its files
are our own static files and it has nothing inline (``webapp.api.docs``).

X-Content-Type-Options, Referrer-Policy and X-Frame-Options come from Django's own middleware
(``SECURE_CONTENT_TYPE_NOSNIFF``, ``SECURE_REFERRER_POLICY``, ``X_FRAME_OPTIONS``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponseBase

HEADER = "Content-Security-Policy"

Policy = Mapping[str, Sequence[str]]


def policy_for(request: HttpRequest) -> str:
    """The header's value for ``request``'s response."""
    policy = {name: list(sources) for name, sources in settings.CONTENT_SECURITY_POLICY.items()}
    try:
        host = request.get_host()
    except DisallowedHost:  # answered 400 already; no socket will be opened from it
        host = None
    if host is not None and "connect-src" in policy:
        policy["connect-src"] += [f"ws://{host}", f"wss://{host}"]
    return serialize(policy)


def serialize(policy: Policy) -> str:
    return "; ".join(" ".join([name, *sources]) for name, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    """Sets the header unless the view set its own. Sync and async, so that Daphne serves
    without a thread switch for it."""

    sync_capable = True
    async_capable = True

    def __init__(
        self, get_response: Callable[[HttpRequest], HttpResponseBase | Awaitable[HttpResponseBase]]
    ) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> HttpResponseBase | Awaitable[HttpResponseBase]:
        if self.is_async:
            return self._acall(request)
        response = self.get_response(request)
        assert isinstance(response, HttpResponseBase)
        return self._add_header(request, response)

    async def _acall(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        assert not isinstance(response, HttpResponseBase)
        return self._add_header(request, await response)

    @staticmethod
    def _add_header(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if HEADER not in response:
            response[HEADER] = policy_for(request)
        return response
