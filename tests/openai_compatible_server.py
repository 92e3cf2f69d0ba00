"""A small OpenAI-compatible HTTP server for tests, run in a thread of the test process.

``OpenAICompatibleServer`` answers ``GET /v1/models`` and ``POST /v1/chat/completions`` (plain
JSON, or with ``"stream": true`` server-sent event chunks ending in ``data: [DONE]``), checks
``Authorization: Bearer <api_key>`` when an ``api_key`` is configured (401 with an OpenAI error
body otherwise) and records each request's path and JSON body in ``requests``. With
``html=True`` it answers every request with an HTML page (a server that is not OpenAI-compatible).
``silent_port()`` gives a port that accepts connections and never answers (timeouts).

    with OpenAICompatibleServer(api_key="sk-test", model="tiny-chat") as server:
        register(base_url=server.base_url, ...)

Run it alone with ``python -m tests.openai_compatible_server --port 8011 --api-key sk-test``.
"""

from __future__ import annotations

import argparse
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEFAULT_REPLY = "Hello from the test server."


class OpenAICompatibleServer:
    """Serves on ``127.0.0.1:port`` (0: a free port) from ``start()`` (or ``with``) until
    ``stop()``. ``reply`` is what every chat answers; streamed, it comes one word a chunk."""

    def __init__(
        self,
        *,
        model: str = "tiny-chat",
        api_key: str | None = None,
        reply: str = DEFAULT_REPLY,
        html: bool = False,
        port: int = 0,
    ) -> None:
        self.model = model
        self.api_key = api_key
        self.reply = reply
        self.html = html
        self.requests: list[dict[str, Any]] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """What to register as the endpoint's base URL."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> OpenAICompatibleServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> OpenAICompatibleServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _handler_for(server: OpenAICompatibleServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            pass

        def do_GET(self) -> None:
            self._serve(None)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                self._json(400, _error("the body is not JSON", "invalid_request_error"))
                return
            self._serve(body)

        def _serve(self, body: Any) -> None:
            server.requests.append({"method": self.command, "path": self.path, "body": body})
            if server.html:
                self._send(200, "text/html; charset=utf-8", b"<html><body>Hello</body></html>")
            elif server.api_key and self.headers.get("Authorization") != (
                f"Bearer {server.api_key}"
            ):
                self._json(401, _error("Incorrect API key provided.", "invalid_api_key"))
            elif self.command == "GET" and self.path == "/v1/models":
                self._json(200, {"object": "list", "data": [_model(server.model)]})
            elif self.command == "POST" and self.path == "/v1/chat/completions":
                self._chat(body if isinstance(body, dict) else {})
            else:
                self._json(404, _error(f"no route {self.command} {self.path}", "not_found"))

        def _chat(self, body: dict[str, Any]) -> None:
            if body.get("model") != server.model:
                message = f"The model '{body.get('model')}' does not exist"
                self._json(404, _error(message, "model_not_found"))
            elif body.get("stream"):
                self._stream(server.reply)
            else:
                self._json(200, _completion(server.model, server.reply))

        def _stream(self, text: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            words = text.split(" ")
            pieces = [w if i == 0 else " " + w for i, w in enumerate(words)]
            for piece in pieces:
                self._event(_chunk(server.model, {"content": piece}, None))
            self._event(_chunk(server.model, {}, "stop"))
            usage = {"prompt_tokens": 5, "completion_tokens": len(pieces)}
            self._event({**_chunk(server.model, {}, None), "choices": [], "usage": usage})
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            self.close_connection = True

        def _event(self, payload: dict[str, Any]) -> None:
            self.wfile.write(f"data: {json.dumps(payload)}\n\n".encode())
            self.wfile.flush()

        def _json(self, status: int, payload: dict[str, Any]) -> None:
            self._send(status, "application/json", json.dumps(payload).encode())

        def _send(self, status: int, content_type: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _error(message: str, code: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": "invalid_request_error", "code": code}}


def _model(name: str) -> dict[str, Any]:
    return {"id": name, "object": "model", "created": 0, "owned_by": "tests"}


def _completion(model: str, text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 5, "completion_tokens": len(text.split())},
    }


def _chunk(model: str, delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


@contextmanager
def silent_port() -> Iterator[int]:
    """A local port whose listener accepts connections (the kernel's backlog) and never
    answers: a request to it times out."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield int(listener.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8011)
    parser.add_argument("--model", default="tiny-chat")
    parser.add_argument("--api-key", default=None)
    parser.add_argument("--reply", default=DEFAULT_REPLY)
    args = parser.parse_args()
    server = OpenAICompatibleServer(
        model=args.model, api_key=args.api_key, reply=args.reply, port=args.port
    )
    print(f"serving {server.base_url}", flush=True)
    server.start()
    threading.Event().wait()  # until interrupted


if __name__ == "__main__":
    main()
