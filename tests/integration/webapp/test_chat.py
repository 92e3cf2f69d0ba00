"""Chat sessions: turns become runs on the session's real Celery workers (fake model backend),
the history is cached in the real Redis, and the database keeps the durable copy."""

from __future__ import annotations

import base64
from typing import Any

import pytest
import redis
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.image_files import encoded
from tests.integration.webapp.conftest import HANGING_MODEL, simple_spec, wait_for_run
from webapp.accounts.models import Team
from webapp.chat import history
from webapp.graphstore import services as graphstore
from webapp.graphstore.models import Graph
from webapp.runs.models import Run

pytestmark = pytest.mark.django_db(transaction=True)


def _say(client: APIClient, chat_id: int, content: str) -> dict[str, Any]:
    response = client.post(f"/api/chats/{chat_id}/messages/", {"content": content}, format="json")
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


def test_a_conversation_carries_earlier_turns_into_the_next_run(
    workers: dict[str, Any], graph: Graph, as_viewer: APIClient, redis_test_url: str
) -> None:
    chat = as_viewer.post(f"/api/graphs/{graph.pk}/chats/", {"title": "Colours"}, format="json")
    assert chat.status_code == 201, chat.content
    chat_id = chat.json()["id"]

    first = _say(as_viewer, chat_id, "Name three primary colors.")
    answer = wait_for_run(first["run"]).output
    second = _say(as_viewer, chat_id, "And secondary ones?")

    run = Run.objects.get(pk=second["run"])
    assert run.input == (
        "Conversation so far:\n"
        "User: Name three primary colors.\n"
        f"Assistant: {answer}\n\n"
        "Latest message:\nAnd secondary ones?"
    )
    wait_for_run(run.pk)
    messages = as_viewer.get(f"/api/chats/{chat_id}/messages/").json()
    assert [(m["role"], m["run"]) for m in messages] == [
        ("user", first["run"]),
        ("assistant", first["run"]),
        ("user", run.pk),
        ("assistant", run.pk),
    ]
    turns = [{"role": m["role"], "content": m["content"]} for m in messages]
    assert history.cached(chat_id) == turns

    # The cache is only a cache: without it the next turn is built from the database.
    redis.Redis.from_url(redis_test_url).delete(f"octograph:chat:{chat_id}:messages")
    third = _say(as_viewer, chat_id, "Thanks!")
    assert Run.objects.get(pk=third["run"]).input.startswith(
        "Conversation so far:\nUser: Name three primary colors."
    )
    assert history.cached(chat_id) == [*turns, {"role": "user", "content": "Thanks!"}]
    wait_for_run(third["run"])


def test_one_turn_at_a_time_and_chats_are_private(
    workers: dict[str, Any], team: Team, owner: User, as_viewer: APIClient, as_editor: APIClient
) -> None:
    stuck = graphstore.graph_create(team=team, actor=owner, name="Stuck", spec=_on(HANGING_MODEL))
    chat_id = as_viewer.post(f"/api/graphs/{stuck.pk}/chats/", {}, format="json").json()["id"]
    first = _say(as_viewer, chat_id, "Will this ever end?")

    again = as_viewer.post(f"/api/chats/{chat_id}/messages/", {"content": "?"}, format="json")

    assert again.status_code == 409
    assert again.json()["code"] == "turn_in_progress"
    assert as_editor.get(f"/api/chats/{chat_id}/messages/").status_code == 404
    assert as_editor.get(f"/api/graphs/{stuck.pk}/chats/").json() == []
    assert as_viewer.post(f"/api/runs/{first['run']}/cancel/").status_code == 200


def _on(model: str) -> dict[str, Any]:
    spec = simple_spec()
    spec["nodes"][1]["config"]["model"] = model
    return spec


def test_a_message_with_an_image_starts_its_run_with_it(
    workers: dict[str, Any], graph: Graph, as_viewer: APIClient
) -> None:
    chat_id = as_viewer.post(f"/api/graphs/{graph.pk}/chats/", {}, format="json").json()["id"]
    photo = base64.b64encode(encoded("PNG", (1200, 600))).decode()

    said = as_viewer.post(
        f"/api/chats/{chat_id}/messages/",
        {"content": "What is this?", "images": [f"data:image/png;base64,{photo}"]},
        format="json",
    )
    refused = as_viewer.post(
        f"/api/chats/{chat_id}/messages/",
        {"content": "And this?", "images": [{"data": "bm90IGFuIGltYWdl", "name": "x.png"}]},
        format="json",
    )

    assert said.status_code == 201, said.content
    run = wait_for_run(said.json()["run"])
    (image,) = as_viewer.get(f"/api/runs/{run.pk}/").json()["images"]
    assert (image["original_type"], image["width"], image["height"]) == ("image/png", 1024, 512)
    assert (refused.status_code, refused.json()["code"], refused.json()["image"]) == (
        400,
        "not_an_image",
        1,
    )
    assert refused.json()["message"] == "image 1 (x.png) is not a PNG, JPEG, WebP or GIF image"
