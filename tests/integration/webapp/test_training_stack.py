"""Router trainings through a real Celery worker on the ``training`` queue (the fake trainer:
``OCTOGRAPH_FAKE_TRAINER``), followed over ``/ws/trainings/<id>/``; cancelling one under way;
who may follow.

The client is Channels' ``WebsocketCommunicator`` against the whole ASGI app.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User

from graphs.templates import get_template
from tests.integration.webapp.conftest import (
    api_client,
    database_url,
    follow_until_closed,
    start_worker,
)
from tests.integration.webapp.sockets import refusal
from webapp.accounts import services as accounts
from webapp.accounts.services import token_issue
from webapp.asgi import application
from webapp.graphstore import services as graphstore
from webapp.graphstore.models import Graph
from webapp.training.models import Training

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://localhost")
SOCKET_TIMEOUT_S = 30
STEP_S = 0.1
"""The fake trainer's pause per step: long enough for several progress frames."""


@pytest.fixture(scope="module")
def training_worker(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """A worker of the ``training`` queue on the test database with the fake trainer; the
    adapters folder it saves into."""
    folder = tmp_path_factory.mktemp("training")
    with django_db_blocker.unblock():
        url = database_url()
    process = start_worker(
        "webapp.celery_app",
        "training",
        "training",
        folder / "worker.log",
        "--pool=threads",
        "--concurrency=2",
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="webapp.settings",
        OCTOGRAPH_FAKE_TRAINER=str(STEP_S),
        OCTOGRAPH_ADAPTERS_DIR=str(folder / "adapters"),
    )
    yield folder / "adapters"
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


def _editor_and_graph() -> tuple[User, Graph]:
    editor = accounts.user_signup(username="trainer", password="correct horse battery staple")
    spec = get_template("router-basic").spec()
    graph = graphstore.graph_create(
        team=editor.personal_team, actor=editor, name="Routed", spec=spec
    )
    return editor, graph


def _socket(training_id: int, token: str | None) -> Any:
    query = f"?token={token}" if token else ""
    path = f"/ws/trainings/{training_id}/{query}"
    return WebsocketCommunicator(application, path, headers=[ORIGIN])


async def _start(editor: User, graph: Graph, **options: Any) -> int:
    response = await sync_to_async(api_client(editor).post)(
        f"/api/graphs/{graph.pk}/trainings/", {"router": "router", **options}, format="json"
    )
    assert response.status_code == 201, response.content
    training_id: int = response.json()["id"]
    return training_id


async def test_a_training_streams_its_progress_until_it_completes_with_an_adapter(
    training_worker: Path,
) -> None:
    editor, graph = await sync_to_async(_editor_and_graph)()
    token = (await sync_to_async(token_issue)(user=editor)).key
    training_id = await _start(editor, graph, epochs=3, examples_per_edge=8)

    frames, code = await follow_until_closed(_socket(training_id, token), SOCKET_TIMEOUT_S)

    assert code == 1000
    revisions = [f["revision"] for f in frames]
    assert revisions == sorted(set(revisions))
    under_way = [f for f in frames if f["status"] == "running" and f["progress"] is not None]
    assert under_way, frames
    steps = [f["progress"]["step"] for f in under_way]
    assert steps == sorted(steps)
    last = frames[-1]
    assert last["status"] == "completed"
    assert last["progress"]["step"] == last["progress"]["total_steps"] == 9
    assert last["adapter"]["name"] == f"routed-router-t{training_id}"
    assert (training_worker / last["adapter"]["name"] / "adapter_config.json").is_file()

    # Connecting again after the end: the final state, then the socket closes.
    replayed, code = await follow_until_closed(_socket(training_id, token), SOCKET_TIMEOUT_S)
    assert (replayed, code) == ([last], 1000)


async def test_cancelling_a_training_under_way_stops_it_and_the_stream_says_so(
    training_worker: Path,
) -> None:
    editor, graph = await sync_to_async(_editor_and_graph)()
    token = (await sync_to_async(token_issue)(user=editor)).key
    training_id = await _start(editor, graph, epochs=50, examples_per_edge=8)
    cancelled: list[int] = []

    async def cancel_once_under_way(frame: dict[str, Any]) -> None:
        if frame["progress"] is not None and not cancelled:
            response = await sync_to_async(api_client(editor).post)(
                f"/api/trainings/{training_id}/cancel/"
            )
            cancelled.append(response.status_code)

    socket = _socket(training_id, token)
    frames, _code = await follow_until_closed(socket, SOCKET_TIMEOUT_S, cancel_once_under_way)

    assert cancelled == [200]
    assert (frames[-1]["status"], frames[-1]["error"]) == ("cancelled", "cancelled by trainer")
    assert frames[-1]["progress"]["step"] < frames[-1]["progress"]["total_steps"]
    assert frames[-1]["adapter"] is None
    assert not (training_worker / f"routed-router-t{training_id}").exists()


async def test_only_members_may_follow_a_training() -> None:
    _editor, graph = await sync_to_async(_editor_and_graph)()
    training = await Training.objects.acreate(
        graph=graph, version=await graph.versions.aget(number=1), router="router"
    )
    outsider = await sync_to_async(accounts.user_signup)(
        username="outsider", password="correct horse battery staple"
    )
    outsider_token = (await sync_to_async(token_issue)(user=outsider)).key
    for token, expected in ((outsider_token, 4404), (None, 4401)):
        assert await refusal(_socket(training.pk, token)) == (True, expected)
