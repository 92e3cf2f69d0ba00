"""A run on the real SmolLM2 through the whole stack: the API, the ``runs`` Celery worker, a
model host loading the packaged weights, Redis, and the run's WebSocket.

The session's fake model host (``workers`` fixture) serves SmolLM2's queue too; it is told to
stop consuming it (Celery remote control) while a real host does, and to resume afterwards.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from graphs.events import STRUCTURAL_TYPES
from tests.integration.webapp.conftest import MODEL, finished_run, simple_spec, start_worker
from webapp.accounts.models import Team
from webapp.accounts.services import token_issue
from webapp.asgi import application
from webapp.graphstore import services as graphstore
from workers.celery_app import app, node_queue

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

QUEUE = node_queue(MODEL)
# Loading torch and the weights in a fresh process, on a busy machine, then 8 tokens.
RUN_TIMEOUT_S = 240


@pytest.fixture
def real_smollm2_host(workers: dict[str, Any], tmp_path: Path) -> Iterator[None]:
    fake = [f"models-{os.getpid()}@{socket.gethostname()}"]
    # The fake host may still be starting: ask until it confirms.
    deadline = time.monotonic() + 60
    while not app.control.cancel_consumer(QUEUE, destination=fake, reply=True, timeout=2):
        assert time.monotonic() < deadline, f"{fake[0]} never confirmed it stopped on {QUEUE}"
    host = start_worker(
        "workers.celery_app", QUEUE, "smollm2", tmp_path / "smollm2.log", "--pool=threads"
    )
    try:
        yield
    finally:
        host.terminate()
        host.wait(30)
        app.control.add_consumer(QUEUE, destination=fake, reply=True, timeout=10)


async def test_a_run_on_smollm2_streams_its_tokens_over_the_socket(
    real_smollm2_host: None, team: Team, owner: User
) -> None:
    spec = simple_spec("Answer in one short sentence.")
    spec["nodes"][1]["config"].update(max_tokens=8, temperature=0)
    graph = await sync_to_async(graphstore.graph_create)(
        team=team, actor=owner, name="Tiny", spec=spec
    )
    client = APIClient()
    client.force_authenticate(owner)
    response = await sync_to_async(client.post)(
        f"/api/graphs/{graph.pk}/runs/", {"input": "What color is the sky?"}, format="json"
    )
    run_id = response.json()["id"]
    token = (await sync_to_async(token_issue)(user=owner)).key

    socket_ = WebsocketCommunicator(
        application, f"/ws/runs/{run_id}/?token={token}", headers=[(b"origin", b"http://localhost")]
    )
    assert (await socket_.connect(10))[0]
    events = []
    while True:
        message = await socket_.receive_output(RUN_TIMEOUT_S)
        if message["type"] == "websocket.close":
            break
        events.append(json.loads(message["text"]))
    await socket_.disconnect()

    assert events[-1]["type"] == "run.completed", events[-1]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    deltas = [e["data"]["text"] for e in events if e["type"] == "node.delta"]
    assert len(deltas) >= 2
    run = await finished_run(run_id)
    assert run.output.strip()
    assert not run.output.startswith(MODEL)  # the fake's answers start with the model's key
    assert "".join(deltas).strip() == run.output.strip()
    assert 0 < events[-1]["data"]["tokens_out"] <= 8
    trace = await sync_to_async(client.get)(f"/api/runs/{run_id}/events/")
    structural = {str(t) for t in STRUCTURAL_TYPES}
    assert trace.json() == [e for e in events if e["type"] in structural]
