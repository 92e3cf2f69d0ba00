"""Webhook tools against a real local HTTP server: bodies, secrets the server grants, errors."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

from graphs import load_spec
from graphs.engine.local_driver import LocalRun
from graphs.engine.state import RunStatus
from graphs.nodes.base import RunInput
from graphs.tools.base import ToolError, TransientToolError
from graphs.tools.webhook import (
    WebhookAccess,
    WebhookConfig,
    call_webhook,
    check_destination,
)
from tests.unit.graphs.compact_specs import spec_json
from workers.backends.fake import FakeBackend

SECRET = "Bearer sk-test-5ecret"
LOCAL = WebhookAccess(allow_private=True)
"""The test servers listen on 127.0.0.1, inside the server's network, which these tests allow."""


def local_with(secrets: dict[str, str]) -> WebhookAccess:
    return WebhookAccess(allow_private=True, secret=secrets.get)


class Hook(BaseHTTPRequestHandler):
    """Answers by path: /echo (JSON of what came), /text, /missing (404), /busy (503), /flaky
    (503 once, then 200), /slow (answers after 2 s), /moved (302)."""

    calls: ClassVar[list[dict[str, Any]]] = []
    flaky_failures: ClassVar[int] = 0

    def log_message(self, *args: Any) -> None:  # keep the test output clean
        pass

    def _answer(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        parts = urlsplit(self.path)
        call = {
            "method": self.command,
            "path": parts.path,
            "query": parse_qs(parts.query),
            "body": json.loads(body) if body else None,
            "authorization": self.headers.get("Authorization"),
            "content_type": self.headers.get("Content-Type"),
        }
        Hook.calls.append(call)
        if parts.path == "/echo":  # echoes all but the headers, which hold the secrets
            echo = {key: call[key] for key in ("method", "path", "query", "body")}
            self._answer(200, json.dumps({"received": echo}).encode(), "application/json")
        elif parts.path == "/text":
            self._answer(200, ("héllo " * 100).encode(), "text/plain; charset=utf-8")
        elif parts.path == "/missing":
            self._answer(404, b'{"detail": "no such product"}', "application/json")
        elif parts.path == "/busy":
            self._answer(503, b"try later", "text/plain")
        elif parts.path == "/flaky":
            Hook.flaky_failures += 1
            if Hook.flaky_failures == 1:
                self._answer(503, b"warming up", "text/plain")
            else:
                self._answer(200, b'{"ok": true}', "application/json")
        elif parts.path == "/slow":
            time.sleep(2)
            self._answer(200, b"late", "text/plain")
        elif parts.path == "/moved":
            self._answer(302, b"", "text/plain", Location="https://elsewhere.example/steal")

    do_GET = do_POST = do_PUT = do_DELETE = _handle


@pytest.fixture
def server() -> Iterator[str]:
    """The base URL of a fresh local webhook server."""
    Hook.calls = []
    Hook.flaky_failures = 0
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


async def test_post_sends_the_arguments_as_json_with_secret_headers(server: str) -> None:
    config = WebhookConfig(
        url=f"{server}/echo", headers_from_env={"Authorization": "OCTOGRAPH_TOOL_SECRET_HOOK_AUTH"}
    )

    output = await call_webhook(
        config,
        {"query": "oat milk", "max": 3},
        timeout_s=5,
        access=local_with({"OCTOGRAPH_TOOL_SECRET_HOOK_AUTH": SECRET}),
    )

    (call,) = Hook.calls
    assert (call["method"], call["body"]) == ("POST", {"query": "oat milk", "max": 3})
    assert (call["authorization"], call["content_type"]) == (SECRET, "application/json")
    assert output.value["status"] == 200
    assert output.value["body"]["received"]["body"] == {"query": "oat milk", "max": 3}
    assert output.value["truncated"] is False
    assert json.loads(output.text)["received"]["method"] == "POST"


async def test_get_sends_the_arguments_in_the_query(server: str) -> None:
    config = WebhookConfig(url=f"{server}/echo?lang=en", method="GET")
    await call_webhook(config, {"q": "tea", "organic": True}, timeout_s=5, access=LOCAL)
    (call,) = Hook.calls
    assert call["query"] == {"lang": ["en"], "q": ["tea"], "organic": ["true"]}
    assert call["body"] is None


async def test_text_answers_are_cut_to_the_limit(server: str) -> None:
    config = WebhookConfig(url=f"{server}/text", method="GET", max_response_chars=12)
    output = await call_webhook(config, {}, timeout_s=5, access=LOCAL)
    assert output.value == {"status": 200, "body": "héllo héllo ", "truncated": True}
    assert output.text == "héllo héllo  …"


async def test_a_client_error_is_a_clear_failure_quoting_the_answer(server: str) -> None:
    config = WebhookConfig(url=f"{server}/missing?token=private")
    with pytest.raises(ToolError) as caught:
        await call_webhook(config, {}, timeout_s=5, access=LOCAL)
    assert not isinstance(caught.value, TransientToolError)
    assert str(caught.value) == (
        f'webhook {server}/missing answered 404 Not Found: {{"detail": "no such product"}}'
    )


async def test_a_busy_server_is_a_transient_failure(server: str) -> None:
    with pytest.raises(TransientToolError, match="answered 503 Service Unavailable: try later"):
        await call_webhook(WebhookConfig(url=f"{server}/busy"), {}, timeout_s=5, access=LOCAL)


async def test_a_slow_server_times_out(server: str) -> None:
    started = time.perf_counter()
    with pytest.raises(TransientToolError, match=r"/slow did not answer within 0.3 s"):
        await call_webhook(WebhookConfig(url=f"{server}/slow"), {}, timeout_s=0.3, access=LOCAL)
    assert time.perf_counter() - started < 1.5


async def test_an_unreachable_server_is_named() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(
        TransientToolError, match=rf"webhook http://127.0.0.1:{port}/x is unreachable"
    ):
        await call_webhook(
            WebhookConfig(url=f"http://127.0.0.1:{port}/x"), {}, timeout_s=5, access=LOCAL
        )


async def test_redirects_are_not_followed_with_the_secrets(server: str) -> None:
    config = WebhookConfig(
        url=f"{server}/moved", headers_from_env={"Authorization": "OCTOGRAPH_TOOL_SECRET_HOOK_AUTH"}
    )
    with pytest.raises(
        ToolError, match=r"302 Found, redirecting to https://elsewhere\.example/steal"
    ):
        await call_webhook(
            config, {}, timeout_s=5, access=local_with({"OCTOGRAPH_TOOL_SECRET_HOOK_AUTH": SECRET})
        )
    assert len(Hook.calls) == 1


async def test_a_missing_secret_names_the_variable_and_sends_nothing(server: str) -> None:
    config = WebhookConfig(
        url=f"{server}/echo", headers_from_env={"X-Api-Key": "OCTOGRAPH_TOOL_SECRET_SHOP_KEY"}
    )
    with pytest.raises(
        ToolError,
        match="header 'X-Api-Key' takes its value from the environment variable "
        "OCTOGRAPH_TOOL_SECRET_SHOP_KEY, which is not set on the server",
    ):
        await call_webhook(config, {}, timeout_s=5, access=LOCAL)
    assert Hook.calls == []


async def test_a_host_inside_the_servers_network_is_refused_unless_allowed(server: str) -> None:
    with pytest.raises(
        ToolError,
        match=r"127\.0\.0\.1 is 127\.0\.0\.1, an address inside the server's network; "
        r"set OCTOGRAPH_WEBHOOK_ALLOW_PRIVATE=true",
    ):
        await call_webhook(
            WebhookConfig(url=f"{server}/echo"), {}, timeout_s=5, access=WebhookAccess()
        )
    assert Hook.calls == []


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/hook",
        "http://192.168.0.7:8080/hook",
        "http://169.254.169.254/latest/meta-data",  # a cloud's instance metadata
        "http://[::1]:9000/hook",
        "http://0.0.0.0/hook",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(url: str) -> None:
    with pytest.raises(ToolError, match="an address inside the server's network"):
        check_destination(url)


def test_a_public_address_passes_the_check() -> None:
    check_destination("https://93.184.216.34/hook")


def webhook_graph(url: str, **config: Any) -> dict[str, Any]:
    tool = {
        "function": "find_recipe",
        "arguments": [
            {"name": "dish", "description": "what to cook"},
            {"name": "servings", "type": "integer", "required": False},
        ],
        "webhook": {
            "url": url,
            "headers_from_env": {"Authorization": "OCTOGRAPH_TOOL_SECRET_RECIPES"},
        },
        **config,
    }
    return spec_json(
        [("q", "input", {}), ("t", "tool", tool), ("out", "output", {})],
        [("q", "t"), ("t", "out")],
    )


async def run_text(spec: dict[str, Any], text: str) -> Any:
    # The local test servers and the secret of ``webhook_graph``.
    webhooks = local_with({"OCTOGRAPH_TOOL_SECRET_RECIPES": SECRET})
    run = LocalRun(
        load_spec(spec), RunInput(text), FakeBackend(), retry_backoff_s=0, webhooks=webhooks
    )
    return await run.execute()


async def test_a_webhook_tool_node_runs_with_the_secret_kept_out_of_the_trace(server: str) -> None:
    result = await run_text(webhook_graph(f"{server}/echo"), '{"dish": "pho", "servings": "4"}')

    assert result.status is RunStatus.COMPLETED, result.error
    assert Hook.calls[0]["body"] == {"dish": "pho", "servings": 4}
    assert Hook.calls[0]["authorization"] == SECRET
    call = next(e.data for e in result.events if e.type == "tool.call")
    assert call["arguments"] == {"dish": "pho", "servings": 4}
    assert call["backend"] == "webhook"
    tool_result = next(e.data for e in result.events if e.type == "tool.result")
    assert tool_result["result"]["status"] == 200
    assert json.loads(result.output)["received"]["path"] == "/echo"
    trace = json.dumps([event.to_json() for event in result.events])
    assert "sk-test-5ecret" not in trace
    assert "OCTOGRAPH_TOOL_SECRET_RECIPES" not in trace


async def test_a_webhook_node_retries_a_transient_failure_when_told_to(server: str) -> None:
    result = await run_text(webhook_graph(f"{server}/flaky", retries=1), "pho")

    assert result.status is RunStatus.COMPLETED, result.error
    completed = next(e.data for e in result.events if e.type == "node.completed" and e.node == "t")
    assert completed["attempts"] == 2
    results = [e.data for e in result.events if e.type == "tool.result"]
    assert "503" in results[0]["error"]
    assert results[1]["result"]["body"] == {"ok": True}


async def test_a_webhook_node_times_out_with_a_clear_error(server: str) -> None:
    result = await run_text(webhook_graph(f"{server}/slow", timeout_s=0.3), "pho")

    assert result.status is RunStatus.FAILED
    failed = next(e.data for e in result.events if e.type == "node.failed")
    assert failed["code"] in ("timeout", "transient")
    assert "0.3 s" in failed["error"]
