"""Named API tokens (``/api/auth/tokens/``): made in the studio and shown once, listed with their
last use, revoked; each works on the REST API, the OpenAI-compatible endpoint and the run
WebSocket until it is revoked. The legacy token of ``POST /api/auth/token/`` keeps working."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import httpx
import openai
import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from graphs.events import EventDraft, EventType
from tests.integration.webapp.conftest import PASSWORD, simple_spec
from tests.integration.webapp.sockets import refusal
from webapp.accounts import services as accounts
from webapp.accounts.models import ApiToken
from webapp.accounts.tokens import digest_of, user_for_key
from webapp.asgi import application
from webapp.graphstore import services as graphstore
from webapp.runs.models import Run
from workers.event_stream import shared_stream

TOKENS = "/api/auth/tokens/"


def _create(client: APIClient, name: str) -> dict[str, Any]:
    response = client.post(TOKENS, {"name": name}, format="json")
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


def _with_key(key: str, scheme: str = "Token") -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"{scheme} {key}")


def test_a_new_token_shows_its_key_once_and_stores_only_its_digest(
    as_owner: APIClient, owner: User
) -> None:
    created = _create(as_owner, "CI pipeline")

    key = created["key"]
    assert key.startswith("octo_")
    assert created["name"] == "CI pipeline"
    assert created["prefix"] == key[:13]
    assert created["last_used_at"] is None
    listed = as_owner.get(TOKENS).json()
    assert listed == [{k: v for k, v in created.items() if k != "key"}]
    row = ApiToken.objects.get(user=owner)
    assert row.digest == digest_of(key)
    assert key not in {row.name, row.prefix, row.digest}


def test_tokens_are_listed_newest_first_and_only_to_their_owner(
    as_owner: APIClient, client_for: Callable[[User | None], APIClient], outsider: User
) -> None:
    _create(as_owner, "laptop")
    _create(as_owner, "server")
    _create(client_for(outsider), "laptop")  # names are unique per user only

    assert [t["name"] for t in as_owner.get(TOKENS).json()] == ["server", "laptop"]
    assert [t["name"] for t in client_for(outsider).get(TOKENS).json()] == ["laptop"]


def test_a_token_needs_a_name_not_already_used_by_the_user(as_owner: APIClient) -> None:
    missing = as_owner.post(TOKENS, {"name": "  "}, format="json")
    assert missing.status_code == 400
    assert missing.json()["code"] == "invalid_input"
    assert "name" in missing.json()["fields"]

    _create(as_owner, "laptop")
    again = as_owner.post(TOKENS, {"name": "laptop"}, format="json")
    assert again.status_code == 409
    assert again.json()["code"] == "token_name_taken"
    assert again.json()["field"] == "name"
    assert "laptop" in again.json()["message"]


@pytest.mark.parametrize("scheme", ["Token", "Bearer"])
def test_a_named_token_authenticates_the_api(as_owner: APIClient, owner: User, scheme: str) -> None:
    key = _create(as_owner, "script")["key"]

    response = _with_key(key, scheme).get("/api/auth/me/")

    assert response.status_code == 200
    assert response.json()["username"] == owner.username


def test_last_use_is_recorded_at_most_once_a_minute(as_owner: APIClient) -> None:
    created = _create(as_owner, "script")
    client = _with_key(created["key"])

    client.get("/api/auth/me/")
    first = ApiToken.objects.get(pk=created["id"]).last_used_at
    assert first is not None
    assert as_owner.get(TOKENS).json()[0]["last_used_at"] is not None
    client.get("/api/auth/me/")
    assert ApiToken.objects.get(pk=created["id"]).last_used_at == first  # no write

    ApiToken.objects.filter(pk=created["id"]).update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/auth/me/")
    assert ApiToken.objects.get(pk=created["id"]).last_used_at > first  # type: ignore[operator]


def test_a_revoked_token_gets_401(as_owner: APIClient) -> None:
    created = _create(as_owner, "script")

    assert as_owner.delete(f"{TOKENS}{created['id']}/").status_code == 204

    response = _with_key(created["key"]).get("/api/auth/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Token"
    assert as_owner.get(TOKENS).json() == []


def test_another_users_token_answers_404_and_keeps_working(
    as_owner: APIClient, as_outsider: APIClient
) -> None:
    created = _create(as_owner, "script")

    response = as_outsider.delete(f"{TOKENS}{created['id']}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert _with_key(created["key"]).get("/api/auth/me/").status_code == 200


def test_the_legacy_token_still_authenticates_until_revoked(owner: User) -> None:
    issued = APIClient().post(
        "/api/auth/token/", {"username": owner.username, "password": PASSWORD}, format="json"
    )
    key = issued.json()["token"]

    assert _with_key(key).get("/api/auth/me/").status_code == 200
    assert _with_key(key, "Bearer").delete("/api/auth/token/").status_code == 204
    assert _with_key(key).get("/api/auth/me/").status_code == 401


@pytest.mark.parametrize(
    ("key", "queries"),
    [
        ("octo_" + "0" * 40, 1),
        ("0" * 40, 1),
        # Malformed: never looked up (PostgreSQL could not even compare a NUL).
        ("", 0),
        ("not-a-token", 0),
        ("octo_" + "g" * 40, 0),
        ("\x00" * 40, 0),
    ],
)
def test_a_string_that_is_no_ones_key_finds_no_user(
    key: str, queries: int, owner: User, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(queries):
        assert user_for_key(key) is None


def test_an_inactive_users_token_finds_no_user(owner: User) -> None:
    _, key = accounts.api_token_create(user=owner, name="script")
    User.objects.filter(pk=owner.pk).update(is_active=False)

    assert user_for_key(key) is None


@pytest.fixture
async def openai_client() -> AsyncIterator[Callable[[str], openai.AsyncOpenAI]]:
    """``openai_client(key)``: an OpenAI client with that API key, talking to the ASGI app."""
    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as http:
        yield lambda key: openai.AsyncOpenAI(
            api_key=key, base_url="http://localhost/v1", http_client=http, max_retries=0
        )


@pytest.mark.django_db(transaction=True)
async def test_the_openai_endpoint_takes_a_named_token_until_it_is_revoked(
    owner: User, openai_client: Callable[[str], openai.AsyncOpenAI]
) -> None:
    token, key = await sync_to_async(accounts.api_token_create)(user=owner, name="openai")
    client = openai_client(key)

    assert [model.id async for model in client.models.list()] == []
    await sync_to_async(accounts.api_token_revoke)(user=owner, token_id=token.pk)

    with pytest.raises(openai.AuthenticationError) as refused:
        await client.models.list()
    assert refused.value.code == "invalid_api_key"


def _run_of(user: User) -> Run:
    """A finished run (its one event, ``run.cancelled``, published) in the user's own team."""
    graph = graphstore.graph_create(
        team=user.personal_team, actor=user, name="Helper", spec=simple_spec()
    )
    run = Run.objects.create(graph=graph, version=graph.versions.get(), input="hi")
    shared_stream().publish(str(run.pk), [EventDraft(EventType.RUN_CANCELLED, data={})])
    return run


def _socket(run: Run, key: str) -> WebsocketCommunicator:
    return WebsocketCommunicator(
        application, f"/ws/runs/{run.pk}/?token={key}", headers=[(b"origin", b"http://localhost")]
    )


@pytest.mark.django_db(transaction=True)
async def test_the_run_websocket_takes_a_named_token_until_it_is_revoked(owner: User) -> None:
    token, key = await sync_to_async(accounts.api_token_create)(user=owner, name="socket")
    run = await sync_to_async(_run_of)(owner)

    socket = _socket(run, key)
    assert (await socket.connect(5))[0]
    assert (await socket.receive_json_from(5))["type"] == "run.cancelled"
    await socket.disconnect()

    await sync_to_async(accounts.api_token_revoke)(user=owner, token_id=token.pk)
    assert await refusal(_socket(run, key)) == (True, 4401)
