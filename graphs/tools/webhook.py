"""Calling a tool that is an HTTP webhook: your own service does the action.

The call sends the validated arguments as a JSON object body (``POST``, ``PUT``, ``PATCH``) or as
query parameters (``GET``, ``DELETE``). Header values come from the server's environment: the
config names, per header, the environment variable holding its value, so secrets (API keys) are
never stored in the graph spec, its versions or the trace. ``graphs/`` reads no environment
itself: the driver of a run passes a ``WebhookAccess`` in each node's context (the web app and
the command line pass ``workers.settings.webhook_access()``), whose ``secret`` looks the values
up. The answer's status and body (JSON
when the server says so, else text, cut to ``max_response_chars``) are the result; a network
error, a timeout or a status other than 2xx fails the call with a message saying which.

Why the standard library in a thread: ``graphs/`` stays pure Python (no HTTP client dependency),
tool nodes are not hosted on a model worker (they run wherever the run advances: the in-process
driver, or the Celery ``runs`` worker), and ``urllib`` does all a webhook needs; the blocking
call runs in ``asyncio.to_thread`` so other nodes keep running, bounded by the node's
``timeout_s``. Tests call a local ``http.server``, so the real code path is exercised.

Redirects are not followed: urllib would resend the secret headers to wherever the redirect
points. A 3xx answer is an error naming the new location.

What an editor may reach is bounded, since whoever can edit a graph chooses the URL and the
variables: headers read only variables named ``OCTOGRAPH_TOOL_SECRET_*`` (so the database
password or Django's key cannot be sent anywhere), and a host that resolves to an address inside
the server's network (loopback, private, link-local...) is refused unless the server sets
``OCTOGRAPH_WEBHOOK_ALLOW_PRIVATE=true``. The address is checked before connecting; a DNS answer
that changes between the check and the connection is not caught.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from typing import Any, Literal

from graphs.problems import ConfigError
from graphs.tools.base import ToolError, ToolOutput, TransientToolError
from graphs.tools.schema import JsonScalar

HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]

MAX_RESPONSE_CHARS = 1_000_000
ERROR_BODY_CHARS = 300
"""How much of a failed answer's body the error message quotes."""
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
USER_AGENT = "Octograph-tool/1"

SECRET_PREFIX = "OCTOGRAPH_TOOL_SECRET_"
"""Header values come only from environment variables with this prefix."""
ALLOW_PRIVATE_VARIABLE = "OCTOGRAPH_WEBHOOK_ALLOW_PRIVATE"
"""Set to true on the server to let webhooks call hosts inside its own network."""

_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+\Z")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True, kw_only=True)
class WebhookConfig:
    """``url`` (http or https) called with ``method``; ``headers_from_env`` maps a header name to
    the environment variable holding its value, named ``OCTOGRAPH_TOOL_SECRET_<NAME>``
    (``{"Authorization": "OCTOGRAPH_TOOL_SECRET_SHOP"}``); ``max_response_chars`` caps the body
    kept in the result."""

    url: str
    method: HttpMethod = "POST"
    headers_from_env: Mapping[str, str] = field(default_factory=dict)
    max_response_chars: int = 4000

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError("url", "must be an http:// or https:// URL with a host")
        for header, variable in self.headers_from_env.items():
            if not _HEADER_NAME.match(header):
                raise ConfigError("headers_from_env", f"{header!r} is not a valid header name")
            if not _ENV_NAME.match(variable):
                raise ConfigError(
                    "headers_from_env",
                    f"header {header!r}: {variable!r} is not an environment variable name "
                    "(the value is read from the server's environment, never written here)",
                )
            if not variable.startswith(SECRET_PREFIX) or variable == SECRET_PREFIX:
                raise ConfigError(
                    "headers_from_env",
                    f"header {header!r}: {variable!r} cannot be read; tools may read only "
                    f"environment variables named {SECRET_PREFIX}<NAME>, so that other server "
                    "secrets stay out of reach",
                )
        if not 1 <= self.max_response_chars <= MAX_RESPONSE_CHARS:
            raise ConfigError("max_response_chars", f"must be between 1 and {MAX_RESPONSE_CHARS}")


def _no_secret(name: str) -> str | None:
    return None


@dataclass(frozen=True, kw_only=True)
class WebhookAccess:
    """What the server lets webhooks use. ``secret(variable)`` is the value of a header's
    ``OCTOGRAPH_TOOL_SECRET_<NAME>`` variable, None when it is not set; ``allow_private`` lets
    webhooks call hosts inside the server's network (the server's ``ALLOW_PRIVATE_VARIABLE``).
    The default grants neither."""

    secret: Callable[[str], str | None] = _no_secret
    allow_private: bool = False


NO_WEBHOOK_ACCESS = WebhookAccess()
"""No secret and no host inside the server's network: the default where nothing is granted."""


async def call_webhook(
    config: WebhookConfig,
    arguments: Mapping[str, JsonScalar],
    *,
    timeout_s: float,
    access: WebhookAccess,
) -> ToolOutput:
    """Send ``arguments`` to the webhook; its answer as ``ToolOutput``: ``value`` is
    ``{"status", "body", "truncated"}`` and ``text`` the body (JSON written compactly).

    Raises ``ToolError`` when a header's variable is not set, when the host is inside the
    server's network (unless ``access.allow_private``), for a 3xx or 4xx answer;
    ``TransientToolError`` when the server cannot be reached, does not answer within
    ``timeout_s``, or answers 408, 429 or 5xx.
    """
    request = build_request(config, arguments, secret_headers(config, access.secret))
    return await asyncio.to_thread(
        _send, request, timeout_s, config.max_response_chars, access.allow_private
    )


def secret_headers(config: WebhookConfig, secret: Callable[[str], str | None]) -> dict[str, str]:
    """The configured headers with their values looked up with ``secret``. Raises ``ToolError``
    naming the header and the variable (never a value) when a variable is not set."""
    headers = {}
    for header, variable in config.headers_from_env.items():
        value = secret(variable)
        if value is None:
            raise ToolError(
                f"header '{header}' takes its value from the environment variable {variable}, "
                "which is not set on the server"
            )
        headers[header] = value
    return headers


def build_request(
    config: WebhookConfig, arguments: Mapping[str, JsonScalar], headers: Mapping[str, str]
) -> urllib.request.Request:
    """The HTTP request: arguments in the query (GET, DELETE) or as a JSON body."""
    url = config.url.strip()
    body = None
    all_headers = {
        "User-Agent": USER_AGENT,
        "Accept": "application/json, text/plain;q=0.9, */*;q=0.5",
    }
    if config.method in ("GET", "DELETE"):
        if arguments:
            query = urllib.parse.urlencode({k: _query_value(v) for k, v in arguments.items()})
            url += ("&" if urllib.parse.urlsplit(url).query else "?") + query
    else:
        body = json.dumps(dict(arguments)).encode()
        all_headers["Content-Type"] = "application/json"
    all_headers.update(headers)
    return urllib.request.Request(url, data=body, headers=all_headers, method=config.method)


def _query_value(value: JsonScalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx answer is raised as an HTTPError, see the module doc


_OPENER = urllib.request.build_opener(_NoRedirects)


def check_destination(url: str) -> None:
    """Raise ``ToolError`` when the URL's host resolves to an address that is not globally
    routable (the server's own network), ``TransientToolError`` when it does not resolve."""
    where = _where(url)
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        addresses = {str(info[4][0]) for info in infos}
    except (socket.gaierror, UnicodeError) as error:
        raise TransientToolError(
            f"webhook {where} is unreachable: {host} does not resolve ({error})"
        ) from None
    for address in sorted(addresses):
        if not ipaddress.ip_address(address.split("%")[0]).is_global:  # "%": an IPv6 zone
            raise ToolError(
                f"webhook {where}: {host} is {address}, an address inside the server's network; "
                f"set {ALLOW_PRIVATE_VARIABLE}=true on the server to allow such calls"
            )


def _send(
    request: urllib.request.Request, timeout_s: float, max_chars: int, allow_private: bool
) -> ToolOutput:
    where = _where(request.full_url)
    if not allow_private:
        check_destination(request.full_url)
    try:
        with _OPENER.open(request, timeout=timeout_s) as response:
            status = response.status
            raw = response.read(max_chars * 4 + 1)  # UTF-8 takes at most 4 bytes a character
            headers = response.headers
    except urllib.error.HTTPError as error:
        raise _status_error(where, error) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise _timeout(where, timeout_s) from None
        raise TransientToolError(f"webhook {where} is unreachable: {error.reason}") from None
    except TimeoutError:
        raise _timeout(where, timeout_s) from None
    except (OSError, ValueError) as error:  # connection reset mid-answer, malformed answer
        raise TransientToolError(f"webhook {where} failed: {error}") from None
    return _output(status, raw, headers, max_chars)


def _output(status: int, raw: bytes, headers: Message, max_chars: int) -> ToolOutput:
    text = raw.decode(headers.get_content_charset() or "utf-8", errors="replace")
    truncated = len(raw) > max_chars * 4 or len(text) > max_chars
    text = text[:max_chars]
    body: Any = text
    content_type = headers.get_content_type()
    if not truncated and (content_type == "application/json" or content_type.endswith("+json")):
        try:
            body = json.loads(text)
        except ValueError:
            body = text
    shown = text if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    if truncated:
        shown += " …"
    return ToolOutput(value={"status": status, "body": body, "truncated": truncated}, text=shown)


def _status_error(where: str, error: urllib.error.HTTPError) -> ToolError:
    if 300 <= error.code < 400:
        location = error.headers.get("Location", "somewhere else")
        return ToolError(
            f"webhook {where} answered {error.code} {error.reason}, redirecting to {location}; "
            "redirects are not followed (they would carry the secret headers): use the final URL"
        )
    try:
        body = error.read(ERROR_BODY_CHARS * 4).decode("utf-8", errors="replace")
    except OSError:
        body = ""
    detail = " ".join(body.split())[:ERROR_BODY_CHARS]
    message = f"webhook {where} answered {error.code} {error.reason}" + (
        f": {detail}" if detail else ""
    )
    retryable = error.code in RETRYABLE_STATUSES
    return TransientToolError(message) if retryable else ToolError(message)


def _timeout(where: str, timeout_s: float) -> TransientToolError:
    return TransientToolError(f"webhook {where} did not answer within {timeout_s:g} s")


def _where(url: str) -> str:
    """The URL for messages, without what may be private: user info and the query."""
    parts = urllib.parse.urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname}{port}{parts.path}"
