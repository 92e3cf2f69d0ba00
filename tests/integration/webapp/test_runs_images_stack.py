"""A run with an image through the whole stack: multipart upload to the API, the run advanced by
the ``runs`` Celery worker, its model node executed on the model host (which receives the image's
working copy inside the node job), every event followed over the run's WebSocket."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.image_files import encoded
from tests.integration.webapp.conftest import api_client, finished_run, simple_spec
from webapp.accounts.services import token_issue
from webapp.asgi import application
from webapp.graphstore import services as graphstore
from webapp.runs.models import RunUpload

pytestmark = pytest.mark.django_db(transaction=True)

SOCKET_TIMEOUT_S = 30


def _start_run_with_image(member: User, image: bytes) -> dict[str, Any]:
    owner = User.objects.get(username="owner")
    graph = graphstore.graph_create(
        team=member.team,  # type: ignore[attr-defined]
        actor=owner,
        name="Looker",
        spec=simple_spec(),
    )
    response = api_client(member).post(
        f"/api/graphs/{graph.pk}/runs/",
        {
            "input": "What is in the picture?",
            "images": [SimpleUploadedFile("photo.jpg", image, content_type="image/jpeg")],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


async def test_a_run_with_an_image_goes_through_celery_and_its_socket_shows_the_image(
    workers: dict[str, Any], member: User
) -> None:
    photo = encoded("JPEG", (2000, 1500), color=(20, 160, 60))
    token = (await sync_to_async(token_issue)(user=member)).key

    created = await sync_to_async(_start_run_with_image)(member, photo)
    socket = WebsocketCommunicator(
        application,
        f"/ws/runs/{created['id']}/?token={token}",
        headers=[(b"origin", b"http://localhost")],
    )
    connected, code = await socket.connect(SOCKET_TIMEOUT_S)
    assert connected, code
    events = []
    while (message := await socket.receive_output(SOCKET_TIMEOUT_S))["type"] != "websocket.close":
        events.append(json.loads(message["text"]))
    await socket.disconnect()

    logs = workers["logs"]
    assert events[-1]["type"] == "run.completed", (logs / "models.log").read_text()[-3000:]
    run = await finished_run(created["id"])
    upload = await RunUpload.objects.aget(run=run)
    summary = upload.working_copy().summary()
    assert events[0]["type"] == "run.started"
    assert events[0]["data"]["input"] == {"text": "What is in the picture?", "images": [summary]}
    assert (summary["width"], summary["height"]) == (1024, 768)
    assert [image["sha256"] for image in created["images"]] == [summary["sha256"]]
    served = await sync_to_async(api_client(member).get)(created["images"][0]["url"])
    assert (served.status_code, served.content) == (200, photo)
