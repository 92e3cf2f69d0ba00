"""Test an OpenAI-compatible endpoint before (or after) registering it: list its models
(``GET {base_url}/models``) and send a one-line chat (``POST {base_url}/chat/completions``), and
say exactly what failed: the host does not resolve (``dns``), nothing listens (``refused``), no
answer in time (``timeout``), the key is refused (``unauthorized`` 401, ``forbidden`` 403, with
the server's own message), another HTTP status (``http_error``), an answer that is not the OpenAI
shape (``not_openai_compatible``: not JSON, no ``data`` list, no ``choices``), or another network
failure such as TLS (``unreachable``).

The requests follow the product's OpenAI client (``workers.backends.openai_backend``): the same
base URL joining, ``Accept: application/json`` and ``Authorization: Bearer <key>`` when a key is
set. They run synchronously in the web request, so time is bounded: each request has
``timeout_s`` for each phase (connect, every read) and its body is read against a deadline of
``timeout_s`` from its start, capped at ``MAX_BODY_BYTES``; a test lasts at most about
``2 * timeout_s`` plus name resolution.

Which hosts may be tested (SSRF): the same as may be registered. Endpoint base URLs have no
network policy (a local Ollama at ``http://localhost:11434/v1`` is the documented example, and
the runs worker calls any registered URL), and only a team's editors may test a URL of their
choosing, which they could equally register and run in a graph; so the test adds no reach. It
never follows redirects (the key would be resent to wherever they point), and it quotes at most
``QUOTE_CHARS`` of a failed answer.
"""

from __future__ import annotations

import json
import socket
import time
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

TIMEOUT_S = 5.0
"""Default bound of each of the two requests (per phase, and for reading the body)."""
MAX_BODY_BYTES = 1_000_000
QUOTE_CHARS = 300
"""How much of an unexpected answer a failure message quotes."""
CHAT_PROMPT = "Reply with one short line: are you there?"
CHAT_MAX_TOKENS = 32

FailureCode = Literal[
    "dns",
    "refused",
    "timeout",
    "unauthorized",
    "forbidden",
    "http_error",
    "not_openai_compatible",
    "unreachable",
]
Stage = Literal["models", "chat"]


@dataclass(frozen=True)
class ConnectionReport:
    """The outcome of a test. On success ``code`` and ``stage`` are None, ``models`` lists the
    ids the server offers, ``model_listed`` says whether the model name is among them and
    ``reply`` is the chat's answer. On failure ``stage`` says which request failed and ``code``
    how; ``message`` is always a sentence for the user."""

    ok: bool
    message: str
    code: FailureCode | None = None
    stage: Stage | None = None
    models: list[str] = field(default_factory=list)
    model_listed: bool | None = None
    reply: str | None = None
    elapsed_ms: int = 0


class _Failure(Exception):
    def __init__(self, code: FailureCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def check_connection(
    *, base_url: str, model_name: str, api_key: str | None, timeout_s: float = TIMEOUT_S
) -> ConnectionReport:
    """List the endpoint's models, then chat one line with ``model_name``. Never raises for
    anything the server or the network does: failures are reports."""
    started = time.monotonic()
    headers = {"Accept": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    stage: Stage = "models"
    models: list[str] = []
    try:
        with httpx.Client(
            base_url=base_url.rstrip("/"), headers=headers, timeout=timeout_s
        ) as client:
            models = _model_ids(_request(client, "GET", "/models", None, timeout_s))
            stage = "chat"
            body = {
                "model": model_name,
                "messages": [{"role": "user", "content": CHAT_PROMPT}],
                "max_tokens": CHAT_MAX_TOKENS,
                "temperature": 0,
            }
            reply = _chat_reply(_request(client, "POST", "/chat/completions", body, timeout_s))
    except _Failure as failure:
        return ConnectionReport(
            ok=False,
            code=failure.code,
            stage=stage,
            message=failure.message,
            models=models,
            model_listed=(model_name in models) if models else None,
            elapsed_ms=_ms_since(started),
        )
    listed = model_name in models
    note = "" if listed else f" ({model_name!r} is not among them, yet it answered)"
    return ConnectionReport(
        ok=True,
        message=f"Connected: {len(models)} model(s) listed{note}; the chat replied.",
        models=models,
        model_listed=listed,
        reply=reply,
        elapsed_ms=_ms_since(started),
    )


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _request(
    client: httpx.Client, method: str, path: str, body: dict[str, Any] | None, timeout_s: float
) -> Any:
    """Send one request and return its JSON answer. Raises ``_Failure``."""
    what = f"{method} {client.base_url}{path}"
    deadline = time.monotonic() + timeout_s
    try:
        with client.stream(method, path, json=body) as response:
            raw = bytearray()
            for chunk in response.iter_bytes():
                raw += chunk
                if len(raw) > MAX_BODY_BYTES:
                    raise _Failure(
                        "not_openai_compatible", f"{what} answered over {MAX_BODY_BYTES} bytes"
                    )
                if time.monotonic() > deadline:
                    raise _Failure("timeout", f"{what} did not finish answering in {timeout_s:g} s")
            status = response.status_code
            content_type = response.headers.get("content-type", "")
            location = response.headers.get("location")
    except httpx.TimeoutException:
        raise _Failure("timeout", f"{what} got no answer within {timeout_s:g} s") from None
    except httpx.TransportError as error:
        raise _transport_failure(client, what, error) from None
    text = raw.decode("utf-8", errors="replace")
    if status != 200:
        raise _status_failure(what, status, text, location)
    try:
        return json.loads(text)
    except ValueError:
        raise _Failure(
            "not_openai_compatible",
            f"{what} answered {content_type or 'no content type'}, not JSON: "
            f"{_quote(text)}; is the base URL the API root (often ending in /v1)?",
        ) from None


def _transport_failure(client: httpx.Client, what: str, error: Exception) -> _Failure:
    """Name the network failure: the exception chain holds the socket error under httpx's."""
    host = client.base_url.host
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            return _Failure("dns", f"the host {host!r} does not resolve (DNS: {cause.strerror})")
        if isinstance(cause, ConnectionRefusedError):
            port = client.base_url.port or (443 if client.base_url.scheme == "https" else 80)
            return _Failure(
                "refused", f"{host}:{port} refused the connection: is the server running?"
            )
        cause = cause.__cause__ or cause.__context__
    return _Failure("unreachable", f"{what} failed: {error or type(error).__name__}")


def _status_failure(what: str, status: int, text: str, location: str | None) -> _Failure:
    message = _server_message(text)
    if status == 401:
        return _Failure("unauthorized", f"{what} answered HTTP 401 (key refused): {message}")
    if status == 403:
        return _Failure("forbidden", f"{what} answered HTTP 403 (not allowed): {message}")
    if 300 <= status < 400:
        return _Failure(
            "http_error",
            f"{what} answered HTTP {status}, a redirect to {location or '(nowhere)'}; "
            "register the address it points to",
        )
    return _Failure("http_error", f"{what} answered HTTP {status}: {message}")


def _server_message(text: str) -> str:
    """The message of an OpenAI-style error body (``{"error": {"message": ...}}``), else the
    start of the body."""
    try:
        payload = json.loads(text)
    except ValueError:
        return _quote(text)
    error = payload.get("error", payload) if isinstance(payload, dict) else payload
    if isinstance(error, dict) and error.get("message"):
        return str(error["message"])[:QUOTE_CHARS]
    return _quote(json.dumps(error))


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return repr(text[:QUOTE_CHARS]) if text else "(an empty body)"


def _model_ids(payload: Any) -> list[str]:
    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, list):
        raise _Failure(
            "not_openai_compatible",
            f"GET /models answered JSON without a 'data' list: {_quote(json.dumps(payload))}",
        )
    return [str(item["id"]) for item in data if isinstance(item, dict) and "id" in item]


def _chat_reply(payload: Any) -> str:
    try:
        content = payload["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        content = None
    if not isinstance(content, str):
        raise _Failure(
            "not_openai_compatible",
            "POST /chat/completions answered JSON without choices[0].message.content: "
            f"{_quote(json.dumps(payload))}",
        )
    return content.strip()[:QUOTE_CHARS]
