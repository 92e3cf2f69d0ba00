"""The real stack for browser tests and the canvas benchmark: Daphne (HTTP and the graph
WebSockets, channel layer on the session's Redis) on a free port with a fresh SQLite database,
the built front end collected as static files, and Chromium from Debian.

Used by ``tests/e2e/conftest.py`` and ``bench/canvas_load.py``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "correct-horse-battery-staple"
START_TIMEOUT_S = 60
DAPHNE = str(Path(sys.executable).with_name("daphne"))


class StackError(RuntimeError):
    """The stack cannot start; the message says what to do."""


@dataclass(frozen=True)
class LiveStack:
    url: str

    def signup(self, username: str) -> httpx.Client:
        """A new user (with their personal team), and an API client logged in as them."""
        client = httpx.Client(base_url=self.url, timeout=30)
        client.post(
            "/api/auth/signup/", json={"username": username, "password": PASSWORD}
        ).raise_for_status()
        token = client.post(
            "/api/auth/token/", json={"username": username, "password": PASSWORD}
        ).json()["token"]
        client.headers["Authorization"] = f"Token {token}"
        return client

    @staticmethod
    def personal_team(client: httpx.Client) -> int:
        teams: list[dict[str, Any]] = client.get("/api/auth/me/").json()["teams"]
        return int(teams[0]["id"])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


@contextmanager
def live_stack() -> Iterator[LiveStack]:
    """Start the stack; raises ``StackError`` when the front end is not built or Chromium is
    missing (``make test`` builds and installs both)."""
    if not (ROOT / "frontend" / "dist" / "index.html").is_file():
        raise StackError("the front end is not built: run `make frontend`")
    if not Path(CHROMIUM).is_file():
        raise StackError(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with tempfile.TemporaryDirectory(prefix="octograph-e2e-") as tmp:
        port = _free_port()
        env = {
            **os.environ,
            "SECRET_KEY": "e2e-only-secret-key",
            "DEBUG": "false",
            # Plain http on localhost: secure cookies would never be sent back.
            "SECURE_COOKIES": "false",
            "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
            "STATIC_ROOT": f"{tmp}/static",
            "LOG_LEVEL": "WARNING",
        }
        _manage(env, "migrate", "--noinput")
        _manage(env, "collectstatic", "--noinput")
        log = open(f"{tmp}/server.log", "w+")  # noqa: SIM115 - closed below, after the server
        server = subprocess.Popen(
            [DAPHNE, "-b", "127.0.0.1", "-p", str(port), "webapp.asgi:application"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_up(url, server, log)
            yield LiveStack(url=url)
        finally:
            server.terminate()
            server.wait(timeout=10)
            log.close()


def _wait_until_up(url: str, server: subprocess.Popen[bytes], log: Any) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            raise StackError(f"the server exited with {server.returncode}:\n{log.read()}")
        try:
            if httpx.get(f"{url}/api/auth/csrf/", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise StackError(f"the server did not answer within {START_TIMEOUT_S} s")
