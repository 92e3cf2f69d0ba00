"""Hostile input leaves every user served: the inputs a hostile tester sent, and variations, over
the REST API (Django's test client) and the WebSockets (Channels' ``WebsocketCommunicator``
against the whole ASGI app). Nothing may answer 5xx or close a socket with 1011, and every
refusal must come within ``REFUSE_S`` of the request (``time.perf_counter``, around the request
only: building a 21 MB body is not the server's time).

The limits are ``webapp.graphstore.limits`` (specs), ``webapp.api.parsers`` (bodies) and
``webapp.ws`` (sockets); their unit tests are ``tests/unit/webapp/test_input_limits.py``.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from graphs.events import EventDraft, EventType
from tests.integration.webapp.conftest import MODEL, simple_spec, template_graph
from tests.integration.webapp.test_daphne_stack import daphne  # noqa: F401 (a fixture)
from webapp.accounts.models import Team
from webapp.accounts.services import token_issue
from webapp.api.limits import MAX_ID
from webapp.asgi import application
from webapp.graphstore.models import Graph
from webapp.runs.models import Run
from workers.event_stream import shared_stream

REFUSE_S = 1.0
ORIGIN = (b"origin", b"http://localhost")
JSON = "application/json"


def nested_list(levels: int) -> str:
    return "[" * levels + "0" + "]" * levels


def nested_object(levels: int) -> str:
    return '{"a":' * levels + "0" + "}" * levels


def many_nodes(count: int) -> str:
    """A spec of ``count`` nodes holding only an id (17 bytes each)."""
    return json.dumps({"nodes": [{"id": f"n{i}"} for i in range(count)], "edges": []})


def node(index: int) -> dict[str, Any]:
    """A full model node, as the canvas saves it (about 215 bytes)."""
    return {
        "id": f"node-{index}",
        "kind": "model",
        "label": f"Model {index}",
        "position": {"x": index * 10.5, "y": index * 3.25},
        "config": {"model": MODEL, "system": "You are a helpful assistant. Answer briefly."},
    }


def timed(call: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    response = call()
    return response, time.perf_counter() - started


def refused(call: Callable[[], Any], status: int, code: str) -> dict[str, Any]:
    """Make the request; assert it was refused with ``status`` and ``code`` within ``REFUSE_S``;
    the body."""
    response, elapsed = timed(call)
    assert (response.status_code, response.json()["code"]) == (status, code), response.content[:500]
    assert elapsed < REFUSE_S, f"refused after {elapsed:.2f} s"
    body: dict[str, Any] = response.json()
    assert body["message"]
    return body


# --- graph create, version save, import, fork, template, restore -------------------------------


@pytest.fixture
def create(as_editor: APIClient, team: Team) -> Callable[[str], Callable[[], Any]]:
    """A request creating a graph in ``team`` from ``spec_json`` (raw JSON text)."""

    def request(spec_json: str) -> Callable[[], Any]:
        body = f'{{"team": {team.pk}, "name": "hostile", "spec": {spec_json}}}'
        return lambda: as_editor.post("/api/graphs/", body, content_type=JSON)

    return request


@pytest.mark.django_db
@pytest.mark.parametrize(
    "spec_json",
    [
        nested_list(500),
        nested_object(500),
        nested_list(10_000),
        nested_object(10_000),
        '{"nodes": [], "meta": ' + nested_list(10_000) + "}",
        '{"nodes": [{"id": "q", "kind": "input", "config": ' + nested_object(500) + "}]}",
    ],
    ids=["list-500", "object-500", "list-10000", "object-10000", "meta-10000", "config-500"],
)
def test_deep_nesting_is_refused_before_anything_recurses(
    create: Callable[[str], Callable[[], Any]], spec_json: str
) -> None:
    body = refused(create(spec_json), 400, "json_too_deep")
    assert "64 levels" in body["message"]


@pytest.mark.django_db
def test_a_spec_deeper_than_the_spec_limit_names_the_limit_and_the_depth(
    create: Callable[[str], Callable[[], Any]],
) -> None:
    spec = '{"nodes": [], "meta": {"x": ' + nested_list(40) + "}}"
    body = refused(create(spec), 400, "spec_too_deep")
    # The spec object, "meta", then 40 lists.
    assert (body["limit"], body["actual"], body["field"]) == (32, 42, "spec")
    assert body["message"] == (
        "the spec is nested 42 levels deep; the limit is 32 levels of objects and lists"
    )


@pytest.mark.django_db
def test_a_100000_node_spec_is_refused_naming_the_node_limit(
    create: Callable[[str], Callable[[], Any]],
) -> None:
    nodes = many_nodes(100_000)
    assert len(nodes) < 2_000_000  # small enough to reach the service
    body = refused(create(nodes), 400, "too_many_nodes")
    assert body["message"] == "the graph has 100,000 nodes; the limit is 2,000"
    assert (body["limit"], body["actual"]) == (2_000, 100_000)


@pytest.mark.django_db
def test_too_many_edges_are_refused_naming_the_edge_limit(
    create: Callable[[str], Callable[[], Any]],
) -> None:
    edges = [{"id": f"e{i}", "source": "a", "target": "b"} for i in range(10_001)]
    body = refused(create(json.dumps({"nodes": [], "edges": edges})), 400, "too_many_edges")
    assert (body["limit"], body["actual"]) == (10_000, 10_001)


@pytest.mark.django_db
def test_a_spec_over_the_byte_limit_is_refused_naming_it(
    create: Callable[[str], Callable[[], Any]],
) -> None:
    spec = json.dumps({"nodes": [], "meta": {"notes": "x" * 2_500_000}})
    body = refused(create(spec), 400, "spec_too_large")
    assert body["limit"] == 2_000_000
    assert body["actual"] > 2_000_000


@pytest.mark.django_db
def test_the_full_100000_node_spec_of_21_mb_is_refused_before_it_is_read(
    create: Callable[[str], Callable[[], Any]],
) -> None:
    spec = json.dumps({"nodes": [node(i) for i in range(100_000)], "edges": []})
    assert len(spec) > 21_000_000
    body = refused(create(spec), 413, "request_too_large")
    assert body["message"].startswith("the request body is larger than 4,065,536 bytes")


@pytest.mark.django_db
def test_a_10_mb_body_of_anything_is_refused_before_it_is_read(
    as_editor: APIClient, team: Team, graph: Graph
) -> None:
    filler = json.dumps({"team": team.pk, "name": "x", "description": "d" * 10_000_000})
    refused(
        lambda: as_editor.post("/api/graphs/", filler, content_type=JSON), 413, "request_too_large"
    )
    save = json.dumps({"expected_version": 1, "spec": {"nodes": []}, "message": "m" * 10_000_000})
    refused(
        lambda: as_editor.post(f"/api/graphs/{graph.pk}/versions/", save, content_type=JSON),
        413,
        "request_too_large",
    )


@pytest.mark.django_db
def test_other_endpoints_read_a_10_mb_body_quickly_and_refuse_it(as_editor: APIClient) -> None:
    body = json.dumps({"name": "t" * 10_000_000})
    refused(lambda: as_editor.post("/api/teams/", body, content_type=JSON), 400, "invalid_input")
    deep = '{"name": ' + nested_list(10_000) + "}"
    refused(lambda: as_editor.post("/api/teams/", deep, content_type=JSON), 400, "json_too_deep")


@pytest.mark.django_db
def test_saving_a_version_checks_the_same_limits(as_editor: APIClient, graph: Graph) -> None:
    url = f"/api/graphs/{graph.pk}/versions/"

    def save(spec_json: str) -> Callable[[], Any]:
        body = f'{{"expected_version": 1, "spec": {spec_json}}}'
        return lambda: as_editor.post(url, body, content_type=JSON)

    refused(save(nested_list(10_000)), 400, "json_too_deep")
    refused(save('{"meta": ' + nested_list(40) + "}"), 400, "spec_too_deep")
    refused(save(many_nodes(100_000)), 400, "too_many_nodes")
    full = json.dumps({"nodes": [node(i) for i in range(100_000)]})
    refused(save(full), 413, "request_too_large")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (nested_list(10_000).encode(), 400, "json_too_deep"),
        (nested_object(500).encode(), 400, "json_too_deep"),
        (json.dumps({"meta": json.loads(nested_list(40))}).encode(), 400, "spec_too_deep"),
        (many_nodes(100_000).encode(), 400, "too_many_nodes"),
        (b"\xff\xfe not json", 400, "bad_json"),
    ],
    ids=["list-10000", "object-500", "depth-42", "nodes-100000", "binary"],
)  # fmt: skip
def test_an_imported_file_checks_the_same_limits(
    as_editor: APIClient, team: Team, content: bytes, status: int, code: str
) -> None:
    upload = SimpleUploadedFile("hostile.json", content, content_type=JSON)
    refused(
        lambda: as_editor.post("/api/graphs/import/", {"team": team.pk, "file": upload}),
        status,
        code,
    )


@pytest.mark.django_db
def test_an_imported_21_mb_file_is_refused_before_it_is_read(
    as_editor: APIClient, team: Team
) -> None:
    content = json.dumps({"nodes": [node(i) for i in range(100_000)]}).encode()
    upload = SimpleUploadedFile("huge.json", content, content_type=JSON)
    refused(
        lambda: as_editor.post("/api/graphs/import/", {"team": team.pk, "file": upload}),
        413,
        "request_too_large",
    )


@pytest.mark.django_db
def test_forks_templates_and_restores_check_the_limits_in_force(
    as_editor: APIClient, team: Team, graph: Graph, settings: Any
) -> None:
    """Specs that are already stored (or built in) pass through the same check: the limits
    may have been lowered since."""
    settings.OCTOGRAPH_GRAPH_LIMITS = {"nodes": 2}
    body = refused(
        lambda: as_editor.post(f"/api/graphs/{graph.pk}/fork/", {"team": team.pk}, format="json"),
        400,
        "too_many_nodes",
    )
    assert body["message"] == "the graph has 3 nodes; the limit is 2"
    refused(
        lambda: as_editor.post(
            "/api/graphs/", {"team": team.pk, "template": "moa-lite"}, format="json"
        ),
        400,
        "too_many_nodes",
    )
    refused(
        lambda: as_editor.post(
            f"/api/graphs/{graph.pk}/versions/1/restore/", {"expected_version": 1}, format="json"
        ),
        400,
        "too_many_nodes",
    )


WRONG_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    1.5,
    2**64,
    10**400,  # a number no column holds
    "",
    "x" * 300,
    "\x00",
    "²",
    [],
    [1, "a", None],
    {},
    {"nodes": {"id": "q"}},
    json.loads(nested_list(60)),
]
CREATE_FIELDS = ["team", "name", "slug", "description", "message", "spec", "template"]


@pytest.mark.django_db
def test_wrong_json_types_in_every_field_of_graph_create_are_refused_fast(
    as_editor: APIClient, team: Team
) -> None:
    answers: set[tuple[str, int]] = set()
    for field, value in itertools.product(CREATE_FIELDS, WRONG_VALUES):
        body = {"team": team.pk, "name": "typed", "spec": simple_spec(), field: value}
        if field == "template":
            del body["spec"]
        raw = json.dumps(body)
        response, elapsed = timed(
            lambda raw=raw: as_editor.post("/api/graphs/", raw, content_type=JSON)  # type: ignore[misc]
        )
        assert response.status_code < 500, (field, value, response.content[:300])
        assert elapsed < REFUSE_S, (field, value, elapsed)
        answers.add((field, response.status_code))
    # Every field refuses something (201s are the values that happen to be valid).
    assert {field for field, status in answers if status == 400} == set(CREATE_FIELDS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "raw",
    [b"", b"null", b"[]", b'"spec"', b"1e999999", b"NaN", b"{", b"\xff\xfe\x00", b'{"team": NaN}'],
)
def test_bodies_that_are_not_json_objects_are_refused(as_editor: APIClient, raw: bytes) -> None:
    response, elapsed = timed(lambda: as_editor.post("/api/graphs/", raw, content_type=JSON))
    assert response.status_code == 400, response.content
    assert elapsed < REFUSE_S


@pytest.mark.django_db
@pytest.mark.parametrize(
    "spec",
    [
        {"nodes": [1, "a", None, [], {"id": []}, {"id": "x", "kind": {}}]},
        {"nodes": [{"id": "q", "kind": "model", "config": [], "position": "here"}]},
        {"nodes": [{"id": "q", "kind": "model", "config": {"model": [], "system": {}}}]},
        {"nodes": [], "edges": [1, {"id": "e", "source": [], "target": {}, "data": []}]},
        {"nodes": [], "edges": {"e": 1}, "meta": [], "spec": [2]},
        {"nodes": [{"id": "q", "kind": "router", "config": {"mode": 10**400}}]},
        {"nodes": [{"id": "a\x00", "kind": "input"}], "meta": {"\x00": "\x00"}},
    ],
)
def test_wrong_json_types_inside_a_spec_are_problems_not_errors(
    as_editor: APIClient, team: Team, spec: dict[str, Any]
) -> None:
    raw = json.dumps({"team": team.pk, "spec": spec})
    response, elapsed = timed(lambda: as_editor.post("/api/graphs/", raw, content_type=JSON))
    assert (response.status_code, response.json()["code"]) == (400, "invalid_graph")
    assert elapsed < REFUSE_S


# --- WebSockets ---------------------------------------------------------------------------------


@pytest.fixture
def quiet_run(member: User) -> Run:
    """A run row with no Celery behind it: the test publishes its events itself."""
    graph = template_graph(member, "moa-lite")
    return Run.objects.create(graph=graph, version=graph.versions.get(), input="hi")


def _socket(path: str, token: str | None = None) -> WebsocketCommunicator:
    separator = "&" if "?" in path else "?"
    return WebsocketCommunicator(
        application, path + (f"{separator}token={token}" if token else ""), headers=[ORIGIN]
    )


async def _refused_within(socket: WebsocketCommunicator) -> int:
    """The close code of a refusal, asserting it came within ``REFUSE_S`` of connecting (the
    consumer's own clean-up after the client leaves is not the client's wait)."""
    started = time.perf_counter()
    accepted, _ = await socket.connect(5)
    assert accepted  # so that browsers see the code
    close = await socket.receive_output(5)
    assert time.perf_counter() - started < REFUSE_S
    await socket.disconnect()
    assert close["type"] == "websocket.close", close
    code: int = close["code"]
    return code


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "after",
    [
        "%C2%B2",  # '²': str.isdigit() is True, int() raises
        "-1",
        "",
        "abc",
        "1.0",
        "%EF%BC%91",  # fullwidth 1
        "2147483648",
        "9" * 10_000,
        "1&after=2",
        "%00",
    ],
)
async def test_malformed_after_values_close_with_4400(
    member: User, quiet_run: Run, after: str
) -> None:
    token = (await sync_to_async(token_issue)(user=member)).key
    socket = _socket(f"/ws/runs/{quiet_run.pk}/?after={after}", token)
    assert await _refused_within(socket) == 4400


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "path",
    ["/ws/runs/{}/", "/ws/graphs/{}/", "/ws/trainings/{}/", "/ws/experiments/{}/"],
)
async def test_ids_no_object_can_have_close_with_4404_and_strangers_with_4401(
    member: User, path: str
) -> None:
    token = (await sync_to_async(token_issue)(user=member)).key
    for object_id in (MAX_ID + 1, 10**30, 0):
        assert await _refused_within(_socket(path.format(object_id), token)) == 4404
    assert await _refused_within(_socket(path.format(1))) == 4401
    assert await _refused_within(_socket(path.format(1), "not-a-token")) == 4401


HOSTILE_FRAMES: list[dict[str, Any]] = [
    {"bytes": b"\x00\xff\xfe binary"},
    {"bytes": b""},
    {"bytes": b"x" * 10_000_000},
    {"text": "x" * 10_000_000},
    {"text": "not json"},
    {"text": ""},
    {"text": "\x00"},
    {"text": nested_list(10_000)},
    {"text": nested_object(500)},
    {"text": "null"},
    {"text": "[1, 2]"},
    {"text": '"heartbeat"'},
    {"text": "1e999999"},
    {"text": "NaN"},
    {"text": '{"type": ["mode"], "mode": {"editing": true}}'},
    {"text": '{"type": "mode", "mode": ["editing"]}'},
    {"text": '{"type": null}'},
]


@pytest.mark.django_db(transaction=True)
async def test_no_client_frame_breaks_a_run_socket(member: User, quiet_run: Run) -> None:
    token = (await sync_to_async(token_issue)(user=member)).key
    socket = _socket(f"/ws/runs/{quiet_run.pk}/", token)
    assert (await socket.connect(5))[0]
    for frame in HOSTILE_FRAMES:
        started = time.perf_counter()
        await socket.send_input({"type": "websocket.receive", **frame})
        assert await socket.receive_nothing(0.05), frame.keys()  # ignored: no answer, no close
        assert time.perf_counter() - started < REFUSE_S
    # Still following the run.
    await sync_to_async(shared_stream().publish)(
        str(quiet_run.pk), [EventDraft(EventType.RUN_STARTED)]
    )
    assert (await socket.receive_json_from(5))["type"] == "run.started"
    await socket.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_no_client_frame_breaks_the_presence_socket(graph: Graph, editor: User) -> None:
    token = (await sync_to_async(token_issue)(user=editor)).key
    socket = _socket(f"/ws/graphs/{graph.pk}/", token)
    assert (await socket.connect(5))[0]
    assert (await socket.receive_json_from(5))["event"] == "joined"
    for frame in HOSTILE_FRAMES:
        started = time.perf_counter()
        await socket.send_input({"type": "websocket.receive", **frame})
        answer = await socket.receive_json_from(5)
        assert (answer["type"], answer["code"]) == ("error", "invalid"), frame.keys()
        assert time.perf_counter() - started < REFUSE_S
    # Still present, and still listening.
    await socket.send_json_to({"type": "heartbeat"})
    await socket.send_json_to({"type": "mode", "mode": "editing"})
    changed = await socket.receive_json_from(5)
    assert changed["present"] == [{"user": "eddie", "role": "editor", "mode": "editing"}]
    await socket.disconnect()


# --- the real server ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_over_daphne_junk_frames_are_ignored_and_a_10_mb_frame_ends_only_its_connection(
    daphne: str,  # noqa: F811 (the fixture imported above)
    quiet_run: Run,
    member: User,
) -> None:
    """Daphne (Autobahn) drops a connection whose message passes 1 MiB (close code 1009) before
    any consumer reads it; smaller junk is ignored and the socket keeps following the run."""
    origin = f"http://{daphne}"
    url = f"ws://{daphne}/ws/runs/{quiet_run.pk}/?token={token_issue(user=member).key}"
    with connect(url, origin=origin, open_timeout=10) as ws:
        for frame in (b"\x00\xff binary", "not json", nested_list(10_000), "x" * 500_000):
            ws.send(frame)
        shared_stream().publish(str(quiet_run.pk), [EventDraft(EventType.RUN_STARTED)])
        assert json.loads(ws.recv(timeout=10))["type"] == "run.started"
        started = time.perf_counter()
        with pytest.raises(ConnectionClosed):  # while sending, or at the next read
            _send_and_read(ws, "x" * 10_000_000)
        assert time.perf_counter() - started < REFUSE_S
    # Autobahn sends 1009 and drops the connection: a client still sending sees the drop (1006).
    assert ws.close_code in (1009, 1006)
    with connect(url, origin=origin, open_timeout=10) as again:  # the server serves on
        assert json.loads(again.recv(timeout=10))["type"] == "run.started"


def _send_and_read(ws: Any, frame: str) -> Any:
    ws.send(frame)
    return ws.recv(timeout=10)


@pytest.mark.django_db
def test_deep_bodies_to_runs_datasets_and_the_openai_api_are_refused(
    as_editor: APIClient, graph: Graph, editor: User
) -> None:
    deep = '{"input": ' + nested_list(10_000) + "}"
    for url in (f"/api/graphs/{graph.pk}/runs/", "/api/datasets/"):
        refused(lambda url=url: as_editor.post(url, deep, content_type=JSON), 400, "json_too_deep")
    token = token_issue(user=editor).key
    response, elapsed = timed(
        lambda: APIClient().post(
            "/v1/chat/completions", deep, content_type=JSON, HTTP_AUTHORIZATION=f"Bearer {token}"
        )
    )
    assert response.status_code == 400, response.content[:300]
    assert response.json()["error"]["code"] == "json_too_deep"
    assert elapsed < REFUSE_S
