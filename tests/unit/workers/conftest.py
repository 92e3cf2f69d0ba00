"""Fixtures of the workers unit tests: a scripted OpenAI-compatible server on 127.0.0.1, and
catalog entries of local model folders."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from workers.catalog import LocalFolder, ModelEntry

# A reply: (HTTP status, JSON body) or (200, list of SSE "data:" payloads) for streams.
Reply = tuple[int, Any]
Script = Callable[[dict[str, Any]], Reply]


@dataclass
class FakeOpenAIServer:
    """Answers POST /v1/chat/completions with ``script(body)``; records every request."""

    url: str = ""
    script: Script = lambda body: (500, {"error": {"message": "no script"}})
    requests: list[dict[str, Any]] = field(default_factory=list)

    @staticmethod
    def sse(*texts: str, usage: dict[str, int] | None = None) -> list[str]:
        """SSE payloads of a streamed completion of ``texts``, then usage and [DONE]."""
        payloads = [json.dumps({"choices": [{"index": 0, "delta": {"content": t}}]}) for t in texts]
        if usage is not None:
            payloads.append(json.dumps({"choices": [], "usage": usage}))
        return [*payloads, "[DONE]"]


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAIServer]:
    server_state = FakeOpenAIServer()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # close after each reply: no chunked encoding needed

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            server_state.requests.append(
                {"path": self.path, "headers": dict(self.headers), "body": body}
            )
            status, reply = server_state.script(body)
            self.send_response(status)
            if isinstance(reply, list):
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for payload in reply:
                    self.wfile.write(f"data: {payload}\n\n".encode())
                    self.wfile.flush()
            else:
                data = json.dumps(reply).encode()
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    server_state.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    yield server_state
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def folder_entry(tmp_path: Path) -> Callable[[str], ModelEntry]:
    """Makes ``ModelEntry``s of kind transformers whose source is a folder ``tmp_path / key``
    holding an empty ``config.json`` (so the entry counts as available)."""

    def make(key: str) -> ModelEntry:
        folder = tmp_path / key
        folder.mkdir()
        (folder / "config.json").write_text("{}")
        return ModelEntry(key, key, "stub", "transformers", source=LocalFolder(str(folder)))

    return make
