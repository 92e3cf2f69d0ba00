"""The real server: Daphne serving ``webapp.asgi`` on a port, a real WebSocket client
(``websockets``) and a real HTTP OpenAI client, with the session's Celery workers.

What the in-process tests cannot show: a refusal reaches a real client as its close code (the
handshake is accepted first, as browsers report nothing else), the origin check's HTTP 403, and
server-sent events arriving over a real connection.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import openai
import pytest
from django.contrib.auth.models import User
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from graphs.templates import get_template
from tests.integration.webapp.conftest import ROOT, database_url
from webapp.accounts.models import Team
from webapp.accounts.services import token_issue
from webapp.graphstore import services as graphstore
from webapp.runs import services as runs

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def daphne(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """``127.0.0.1:<port>`` of a Daphne process on the test database (stopped at the end)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with django_db_blocker.unblock():
        env = {**os.environ, "DATABASE_URL": database_url()}
    log = tmp_path_factory.mktemp("daphne") / "daphne.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
         "webapp.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
        assert server.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "Daphne did not start"
        time.sleep(0.1)
    yield f"127.0.0.1:{port}"
    server.terminate()
    server.wait(10)


def test_a_run_streams_over_a_real_websocket_and_strangers_are_refused(
    workers: dict[str, Any], daphne: str, team: Team, owner: User, outsider: User
) -> None:
    graph = graphstore.graph_create(
        team=team, actor=owner, name="Panel", spec=get_template("moa-lite").spec()
    )
    run = runs.run_create(graph=graph, actor=owner, text="Hi")  # queued on commit
    origin = f"http://{daphne}"
    url = f"ws://{daphne}/ws/runs/{run.pk}/?token={token_issue(user=owner).key}"

    with connect(url, origin=origin, open_timeout=10) as ws:
        events = [json.loads(frame) for frame in ws]  # until the server closes

    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert events[-1]["type"] == "run.completed"
    stranger = f"ws://{daphne}/ws/runs/{run.pk}/?token={token_issue(user=outsider).key}"
    with connect(stranger, origin=origin, open_timeout=10) as ws, pytest.raises(ConnectionClosed):
        ws.recv(timeout=10)
    assert ws.close_code == 4404  # Daphne does not pass the close reason on
    bad_after = f"{url}&after=%C2%B2"
    with connect(bad_after, origin=origin, open_timeout=10) as ws, pytest.raises(ConnectionClosed):
        ws.recv(timeout=10)
    assert ws.close_code == 4400
    with pytest.raises(InvalidStatus):  # another site's page, even with a token
        connect(url, origin="https://evil.example", open_timeout=10)


def test_an_openai_client_streams_a_completion_over_http(
    workers: dict[str, Any], daphne: str, team: Team, owner: User
) -> None:
    graphstore.graph_create(
        team=team, actor=owner, name="Panel", spec=get_template("moa-lite").spec()
    )
    client = openai.OpenAI(
        api_key=token_issue(user=owner).key, base_url=f"http://{daphne}/v1", max_retries=0
    )

    stream = client.chat.completions.create(
        model="panel", messages=[{"role": "user", "content": "Name a colour."}], stream=True
    )
    texts = [c.choices[0].delta.content or "" for c in stream if c.choices]

    assert len([t for t in texts if t]) > 1
    assert "".join(texts).startswith("smollm2-135m-instruct")
