"""``/ws/runs/<id>/``: replay then live events over a real WebSocket client, a real Redis and
real Celery worker processes (the workers of ``test_runs_celery``), and who may subscribe.

The client is Channels' ``WebsocketCommunicator`` against the whole ASGI app
(``webapp.asgi.application``: origin check, session and token authentication, routing).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import redis
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.models import User

from graphs.events import STRUCTURAL_TYPES, EventDraft, EventType
from tests.integration.webapp.conftest import (
    api_client,
    finished_run,
    start_run_via_api,
    template_graph,
)
from tests.integration.webapp.sockets import refusal
from webapp.accounts.services import token_issue
from webapp.asgi import application
from webapp.graphstore.models import Graph
from webapp.runs.consumers import RunEventsConsumer
from webapp.runs.models import Run, RunEvent
from workers.event_stream import EventStream, shared_stream

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://localhost")
SOCKET_TIMEOUT_S = 30


def _socket(run_id: int, *, after: int | None = None, token: str | None = None) -> Any:
    query = [f"after={after}"] if after is not None else []
    query += [f"token={token}"] if token else []
    path = f"/ws/runs/{run_id}/" + ("?" + "&".join(query) if query else "")
    return WebsocketCommunicator(application, path, headers=[ORIGIN])


async def _events_until_closed(socket: Any) -> tuple[list[dict[str, Any]], int]:
    """Every event received until the server closes the socket, and the close code."""
    events = []
    while True:
        message = await socket.receive_output(SOCKET_TIMEOUT_S)
        if message["type"] == "websocket.close":
            return events, message.get("code", 1000)
        events.append(json.loads(message["text"]))


async def _follow(run_id: int, token: str, after: int | None = None) -> list[dict[str, Any]]:
    socket = _socket(run_id, after=after, token=token)
    connected, code = await socket.connect(SOCKET_TIMEOUT_S)
    assert connected, code
    events, code = await _events_until_closed(socket)
    assert code == 1000
    await socket.disconnect()
    return events


async def test_a_moa_run_streams_every_event_in_order_and_a_reconnect_resumes_exactly(
    workers: dict[str, Any], member: User
) -> None:
    graph: Graph = await sync_to_async(template_graph)(member, "moa-lite")
    token = (await sync_to_async(token_issue)(user=member)).key
    run_id = await sync_to_async(start_run_via_api)(member, graph, "Name three primary colors.")

    # Connected while the run is queued or under way: replay, then live events.
    streamed = await _follow(run_id, token)

    seqs = [event["seq"] for event in streamed]
    assert seqs == list(range(1, len(streamed) + 1))
    assert streamed[0]["type"] == "run.started"
    assert streamed[-1]["type"] == "run.completed"
    assert any(event["type"] == "node.delta" for event in streamed)
    assert streamed == [e.to_json() for e in shared_stream().events_after(str(run_id))]
    run = await finished_run(run_id)
    assert run.status == "completed"
    trace = await sync_to_async(lambda: api_client(member).get(f"/api/runs/{run_id}/events/"))()
    structural = {str(t) for t in STRUCTURAL_TYPES}
    assert trace.json() == [e for e in streamed if e["type"] in structural]

    # A client that had received up to seq k gets exactly k+1..n, then the socket closes.
    k = len(streamed) // 2
    assert await _follow(run_id, token, after=k) == streamed[k:]
    assert await _follow(run_id, token, after=len(streamed)) == []


@pytest.fixture
def quiet_run(member: User) -> Run:
    """A run row with no Celery behind it: the test publishes its events itself."""
    graph = template_graph(member, "moa-lite")
    return Run.objects.create(graph=graph, version=graph.versions.get(), input="hi")


def _publish(run: Run, *drafts: EventDraft) -> list[int]:
    return [event.seq for event in shared_stream().publish(str(run.pk), list(drafts))]


def _delta(text: str) -> EventDraft:
    return EventDraft(EventType.NODE_DELTA, "m", {"text": text})


async def test_live_events_are_sent_once_in_order_even_when_the_group_repeats_or_skips(
    member: User, quiet_run: Run
) -> None:
    token = (await sync_to_async(token_issue)(user=member)).key
    await sync_to_async(_publish)(quiet_run, EventDraft(EventType.RUN_STARTED), _delta("a"))
    socket = _socket(quiet_run.pk, token=token)
    assert (await socket.connect(SOCKET_TIMEOUT_S))[0]
    assert [(await socket.receive_json_from(5))["seq"] for _ in range(2)] == [1, 2]

    # Relayed live: seq 3.
    await sync_to_async(_publish)(quiet_run, _delta("b"))
    assert (await socket.receive_json_from(5))["seq"] == 3
    # The group delivers seq 3 again, then seq 6 before 4 and 5 (dropped or late):
    # the repeat is skipped and the gap is filled from the run's stream.
    layer = get_channel_layer()
    group = f"run.{quiet_run.pk}"
    events = [e.to_json() for e in shared_stream().events_after(str(quiet_run.pk))]
    await layer.group_send(group, {"type": "run.event", "event": events[2]})
    unrelayed = EventStream(redis.Redis.from_url(settings.REDIS_URL))
    await sync_to_async(unrelayed.publish)(
        str(quiet_run.pk), [_delta("c"), _delta("d"), _delta("e")]
    )
    sixth = shared_stream().events_after(str(quiet_run.pk), 5)[0].to_json()
    await layer.group_send(group, {"type": "run.event", "event": sixth})
    assert [(await socket.receive_json_from(5))["seq"] for _ in range(3)] == [4, 5, 6]

    await sync_to_async(_publish)(quiet_run, EventDraft(EventType.RUN_COMPLETED, data={}))
    assert (await socket.receive_json_from(5))["type"] == "run.completed"
    assert (await socket.receive_output(5))["type"] == "websocket.close"


async def test_another_teams_user_cannot_subscribe_to_a_run(quiet_run: Run, make_user: Any) -> None:
    stranger = await sync_to_async(make_user)("stranger")
    token = (await sync_to_async(token_issue)(user=stranger)).key

    assert await refusal(_socket(quiet_run.pk, token=token)) == (True, 4404)


async def test_a_socket_without_credentials_or_with_a_bad_token_is_refused(
    quiet_run: Run,
) -> None:
    assert await refusal(_socket(quiet_run.pk)) == (True, 4401)
    assert await refusal(_socket(quiet_run.pk, token="not-a-token")) == (True, 4401)
    # Never looked up: PostgreSQL cannot even compare a NUL.
    assert await refusal(_socket(quiet_run.pk, token="%00")) == (True, 4401)


async def test_a_malformed_after_is_refused(member: User, quiet_run: Run) -> None:
    token = (await sync_to_async(token_issue)(user=member)).key
    socket = WebsocketCommunicator(
        application, f"/ws/runs/{quiet_run.pk}/?after=-1&token={token}", headers=[ORIGIN]
    )
    assert await refusal(socket) == (True, 4400)


async def test_the_session_of_a_logged_in_browser_authenticates_the_socket(
    member: User, quiet_run: Run
) -> None:
    await sync_to_async(_publish)(quiet_run, EventDraft(EventType.RUN_CANCELLED, data={}))
    client = api_client(member)
    await sync_to_async(client.force_login)(member)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    socket = WebsocketCommunicator(
        application, f"/ws/runs/{quiet_run.pk}/", headers=[ORIGIN, (b"cookie", cookie)]
    )
    assert (await socket.connect(5))[0]
    events, _ = await _events_until_closed(socket)
    assert [e["type"] for e in events] == ["run.cancelled"]


async def test_a_socket_from_another_sites_page_is_refused(member: User, quiet_run: Run) -> None:
    token = (await sync_to_async(token_issue)(user=member)).key
    socket = WebsocketCommunicator(
        application,
        f"/ws/runs/{quiet_run.pk}/?token={token}",
        headers=[(b"origin", b"https://evil.example")],
    )
    assert not (await refusal(socket))[0]  # the origin check fails the handshake itself


async def test_once_the_stream_has_expired_the_stored_trace_is_replayed(
    member: User, quiet_run: Run
) -> None:
    """Deltas are gone with the stream; the structural events keep their seqs."""
    stored = [(1, "run.started", None), (4, "node.started", "q"), (9, "run.completed", None)]
    for seq, kind, node in stored:
        await RunEvent.objects.acreate(
            run=quiet_run, seq=seq, ts="2026-01-01T00:00:00.000Z", type=kind, node=node, data={}
        )
    token = (await sync_to_async(token_issue)(user=member)).key

    socket = _socket(quiet_run.pk, after=1, token=token)
    assert (await socket.connect(5))[0]
    events, code = await _events_until_closed(socket)

    assert [(e["seq"], e["type"]) for e in events] == [(4, "node.started"), (9, "run.completed")]
    assert code == 1000


async def test_a_last_event_the_group_never_delivers_is_caught_up_from_the_stream(
    member: User, quiet_run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(RunEventsConsumer, "CATCH_UP_S", 0.2)
    token = (await sync_to_async(token_issue)(user=member)).key
    await sync_to_async(_publish)(quiet_run, EventDraft(EventType.RUN_STARTED))
    socket = _socket(quiet_run.pk, token=token)
    assert (await socket.connect(5))[0]
    assert (await socket.receive_json_from(5))["seq"] == 1

    unrelayed = EventStream(redis.Redis.from_url(settings.REDIS_URL))
    await sync_to_async(unrelayed.publish)(
        str(quiet_run.pk), [EventDraft(EventType.RUN_COMPLETED, data={})]
    )

    events, code = await _events_until_closed(socket)
    assert [(e["seq"], e["type"]) for e in events] == [(2, "run.completed")]
    assert code == 1000
