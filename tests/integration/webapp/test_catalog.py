"""Catalog: built-in models from the workers' catalog plus team endpoints whose API keys are
stored encrypted and never returned."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from rest_framework.response import Response
from rest_framework.test import APIClient

from webapp.accounts.models import Team
from webapp.catalog.models import Endpoint
from webapp.catalog.selectors import endpoint_api_key
from workers.catalog import default_catalog

SECRET = "sk-test-very-secret-0123456789"


def post_endpoint(client: APIClient, team: Team, **extra: str) -> Response:
    """``POST /api/models/endpoints/``: endpoint "my-gpt" of ``team``, as ``extra`` changes it."""
    return client.post(
        "/api/models/endpoints/",
        {
            "team": team.pk,
            "key": "my-gpt",
            "base_url": "https://api.example.com/v1",
            "model_name": "gpt-4o-mini",
            "api_key": SECRET,
            **extra,
        },
        format="json",
    )


def register(client: APIClient, team: Team, **extra: str) -> dict[str, object]:
    """``post_endpoint``, which must succeed; the endpoint as the API shows it."""
    response = post_endpoint(client, team, **extra)
    assert response.status_code == 201, response.json()
    return response.json()


def test_models_list_has_every_builtin_model(as_viewer: APIClient) -> None:
    keys = [row["key"] for row in as_viewer.get("/api/models/").json()]
    assert keys == default_catalog().keys()


def test_registered_endpoint_is_listed_for_its_team_only(
    as_editor: APIClient, as_outsider: APIClient, team: Team
) -> None:
    endpoint = register(as_editor, team)
    rows = as_editor.get(f"/api/models/?team={team.pk}").json()
    assert {"key": "my-gpt", "team": team.pk, "endpoint": endpoint["id"]}.items() <= rows[
        -1
    ].items()
    assert "my-gpt" not in [row["key"] for row in as_outsider.get("/api/models/").json()]


def test_api_key_is_write_only_and_encrypted_at_rest(
    as_editor: APIClient, as_owner: APIClient, team: Team, graph: object
) -> None:
    created = register(as_editor, team)
    assert created["has_api_key"] is True
    responses = [
        as_owner.get("/api/models/endpoints/"),
        as_owner.get(f"/api/models/endpoints/{created['id']}/"),
        as_owner.get("/api/models/"),
        as_owner.patch(
            f"/api/models/endpoints/{created['id']}/", {"display_name": "GPT"}, format="json"
        ),
        as_owner.get("/api/schema/"),
    ]
    for response in responses:
        assert SECRET not in response.content.decode()
        assert "api_key_encrypted" not in response.content.decode()
    stored = Endpoint.objects.get(pk=created["id"])
    assert SECRET not in stored.api_key_encrypted
    assert endpoint_api_key(stored) == SECRET


def test_api_key_can_be_replaced_and_removed(as_editor: APIClient, team: Team) -> None:
    created = register(as_editor, team)
    url = f"/api/models/endpoints/{created['id']}/"
    assert as_editor.patch(url, {"api_key": "sk-new"}, format="json").json()["has_api_key"]
    assert endpoint_api_key(Endpoint.objects.get(pk=created["id"])) == "sk-new"
    assert not as_editor.patch(url, {"api_key": ""}, format="json").json()["has_api_key"]


def test_endpoint_key_cannot_shadow_a_builtin_model(as_editor: APIClient, team: Team) -> None:
    response = as_editor.post(
        "/api/models/endpoints/",
        {
            "team": team.pk,
            "key": default_catalog().keys()[0],
            "base_url": "https://api.example.com/v1",
            "model_name": "m",
        },
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "key_taken"


def test_endpoint_keys_are_unique_per_team(as_editor: APIClient, team: Team) -> None:
    register(as_editor, team)
    response = post_endpoint(as_editor, team, base_url="http://localhost:8000/v1", model_name="m")
    assert response.status_code == 409


def test_invalid_endpoint_key_is_400_naming_the_field(as_editor: APIClient, team: Team) -> None:
    response = post_endpoint(as_editor, team, key="bad key!", base_url="http://localhost:8000/v1")
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("invalid_endpoint", "key")


def test_same_key_may_exist_in_two_teams(as_editor: APIClient, team: Team, editor: User) -> None:
    register(as_editor, team)
    register(as_editor, editor.personal_team)
    listed = as_editor.get("/api/models/endpoints/").json()
    assert sorted((e["key"], e["team"]) for e in listed) == sorted(
        [("my-gpt", team.pk), ("my-gpt", editor.personal_team.pk)]
    )


def test_an_endpoint_price_is_optional_shown_and_changeable(
    as_editor: APIClient, as_viewer: APIClient, team: Team
) -> None:
    created = register(as_editor, team)
    assert created["price_per_million_tokens"] is None
    url = f"/api/models/endpoints/{created['id']}/"
    changed = as_editor.patch(url, {"price_per_million_tokens": 0.6}, format="json").json()
    assert changed["price_per_million_tokens"] == 0.6
    assert (
        as_editor.patch(url, {"display_name": "GPT"}, format="json").json()[
            "price_per_million_tokens"
        ]
        == 0.6
    )  # kept when left out
    listed = {row["key"]: row for row in as_viewer.get(f"/api/models/?team={team.pk}").json()}
    assert listed["my-gpt"]["price_per_million_tokens"] == 0.6
    assert listed["smollm2-135m-instruct"]["price_per_million_tokens"] is None
    cleared = as_editor.patch(url, {"price_per_million_tokens": None}, format="json").json()
    assert cleared["price_per_million_tokens"] is None


def test_an_endpoint_registered_with_a_price(as_editor: APIClient, team: Team) -> None:
    created = register(as_editor, team, price_per_million_tokens=2.5)  # type: ignore[arg-type]
    assert created["price_per_million_tokens"] == 2.5
    assert Endpoint.objects.get(pk=created["id"]).price_per_million_tokens == 2.5


def test_a_negative_price_is_400_naming_the_field(as_editor: APIClient, team: Team) -> None:
    created = register(as_editor, team)
    response = as_editor.patch(
        f"/api/models/endpoints/{created['id']}/",
        {"price_per_million_tokens": -1},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_input"
    assert "price_per_million_tokens" in body["fields"]


def test_a_models_file_price_is_shown_in_the_model_list(
    as_viewer: APIClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    models = tmp_path / "models.json"
    models.write_text(
        json.dumps(
            [
                {
                    "key": "priced",
                    "display_name": "Priced",
                    "family": "gpt",
                    "kind": "openai",
                    "base_url": "https://api.example.com/v1",
                    "model_name": "gpt",
                    "price_per_million_tokens": 0.15,
                }
            ]
        )
    )
    monkeypatch.setenv("OCTOGRAPH_MODELS_FILE", str(models))
    listed = {row["key"]: row for row in as_viewer.get("/api/models/").json()}
    assert listed["priced"]["price_per_million_tokens"] == 0.15


def test_shipped_router_adapters_are_listed_as_builtin_with_their_validation_figures(
    as_viewer: APIClient, team: Team
) -> None:
    rows = as_viewer.get(f"/api/models/adapters/?team={team.pk}").json()
    builtin = [row for row in rows if row["builtin"]]
    assert [row["name"] for row in builtin] == ["router-mmlu17"]
    mmlu = builtin[0]
    assert mmlu["team"] is None
    assert mmlu["base_model"] == "smollm2-135m-instruct"
    assert mmlu["targets"] == 17
    assert mmlu["val_accuracy"] == pytest.approx(0.8445, abs=1e-4)
    assert (mmlu["train_examples"], mmlu["validation_examples"]) == (2749, 283)


def test_model_list_says_whether_a_worker_serves_each_queue_and_what_waits_there(
    as_editor: APIClient, team: Team
) -> None:
    import redis as redis_client

    from workers import presence, settings

    key = default_catalog().keys()[0]
    register(as_editor, team)
    r = redis_client.Redis.from_url(settings.redis_url())
    r.delete(f"model.{key}", "endpoints")
    presence.announce("test-worker@host", [f"model.{key}"], r=r)
    r.lpush(f"model.{key}", "{}", "{}")
    try:
        rows = {row["key"]: row for row in as_editor.get("/api/models/").json()}
    finally:
        presence.withdraw("test-worker@host", [f"model.{key}"], r=r)
        r.delete(f"model.{key}")
    assert rows[key].items() >= {"queue": f"model.{key}", "served": True, "waiting": 2}.items()
    assert rows["my-gpt"].items() >= {"queue": "endpoints", "served": False, "waiting": 0}.items()


def test_model_list_reports_unknown_queue_status_when_redis_is_down(
    as_viewer: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import redis as redis_client

    from webapp.catalog import queue_status

    down = redis_client.Redis.from_url(
        "redis://127.0.0.1:1/0", socket_timeout=0.5, socket_connect_timeout=0.5
    )
    monkeypatch.setattr(queue_status, "_client", lambda: down)
    response = as_viewer.get("/api/models/")
    assert response.status_code == 200
    assert {(row["served"], row["waiting"]) for row in response.json()} == {(None, None)}
