"""``/ws/graphs/<id>/``: presence (who is viewing or editing) and "version saved" notices, over
Channels' ``WebsocketCommunicator`` against the whole ASGI app and the real Redis."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User

from tests.integration.webapp.conftest import simple_spec
from tests.integration.webapp.sockets import refusal
from webapp.accounts.services import token_issue
from webapp.asgi import application
from webapp.graphstore import services as graphstore
from webapp.graphstore.models import Graph

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://localhost")


async def _open(graph: Graph, user: User) -> Any:
    token = (await sync_to_async(token_issue)(user=user)).key
    socket = WebsocketCommunicator(
        application, f"/ws/graphs/{graph.pk}/?token={token}", headers=[ORIGIN]
    )
    connected, code = await socket.connect(5)
    assert connected, code
    return socket


async def test_members_see_each_other_arrive_switch_to_editing_and_leave(
    graph: Graph, editor: User, viewer: User
) -> None:
    eddie = await _open(graph, editor)
    assert await eddie.receive_json_from(5) == {
        "type": "presence",
        "event": "joined",
        "user": "eddie",
        "present": [{"user": "eddie", "role": "editor", "mode": "viewing"}],
    }
    vera = await _open(graph, viewer)
    joined = await eddie.receive_json_from(5)
    assert (joined["event"], joined["user"]) == ("joined", "vera")
    assert [p["user"] for p in joined["present"]] == ["eddie", "vera"]
    assert (await vera.receive_json_from(5))["present"] == joined["present"]

    await eddie.send_json_to({"type": "mode", "mode": "editing"})
    changed = await vera.receive_json_from(5)
    assert changed["event"] == "changed"
    assert changed["present"][0] == {"user": "eddie", "role": "editor", "mode": "editing"}
    await eddie.receive_json_from(5)

    # A viewer cannot claim to edit.
    await vera.send_json_to({"type": "mode", "mode": "editing"})
    assert (await vera.receive_json_from(5))["code"] == "permission_denied"

    await vera.disconnect()
    left = await eddie.receive_json_from(5)
    assert (left["event"], left["user"]) == ("left", "vera")
    assert [p["user"] for p in left["present"]] == ["eddie"]
    await eddie.disconnect()


async def test_a_saved_version_is_announced_to_everyone_on_the_graph(
    graph: Graph, editor: User, viewer: User
) -> None:
    vera = await _open(graph, viewer)
    await vera.receive_json_from(5)  # own join

    await sync_to_async(graphstore.graph_save)(
        graph=graph,
        spec=simple_spec("Be brief."),
        actor=editor,
        expected_version=1,
        message="shorter answers",
    )

    notice = await vera.receive_json_from(5)
    assert {k: notice[k] for k in ("type", "graph", "version", "author", "message")} == {
        "type": "version.saved",
        "graph": graph.pk,
        "version": 2,
        "author": "eddie",
        "message": "shorter answers",
    }
    await vera.disconnect()


async def test_another_teams_user_cannot_open_the_graph_socket(
    graph: Graph, outsider: User
) -> None:
    token = (await sync_to_async(token_issue)(user=outsider)).key
    socket = WebsocketCommunicator(
        application, f"/ws/graphs/{graph.pk}/?token={token}", headers=[ORIGIN]
    )
    assert await refusal(socket) == (True, 4404)
