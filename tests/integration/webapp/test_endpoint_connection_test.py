"""Test connection of an OpenAI-compatible endpoint, against a real HTTP server started here:
each failure is named (DNS, refused, 401, timeout, not OpenAI-compatible), before saving
(editors of the team) and after (the stored key is used)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.openai_compatible_server import DEFAULT_REPLY, OpenAICompatibleServer, silent_port
from webapp.accounts.models import Team
from webapp.catalog.connection_check import check_connection

KEY = "sk-test-key"
MODEL = "tiny-chat"


@pytest.fixture
def server() -> Iterator[OpenAICompatibleServer]:
    with OpenAICompatibleServer(model=MODEL, api_key=KEY) as running:
        yield running


def draft_test(client: APIClient, team: Team, base_url: str, **extra: Any) -> Any:
    response = client.post(
        "/api/models/endpoints/test/",
        {"team": team.pk, "base_url": base_url, "model_name": MODEL, **extra},
        format="json",
    )
    assert response.status_code == 200, response.json()
    return response.json()


def test_connection_test_lists_models_and_chats(
    as_editor: APIClient, team: Team, server: OpenAICompatibleServer
) -> None:
    report = draft_test(as_editor, team, server.base_url, api_key=KEY)
    assert report["ok"] is True, report
    assert report["models"] == [MODEL]
    assert report["model_listed"] is True
    assert report["reply"] == DEFAULT_REPLY
    assert (report["code"], report["stage"]) == (None, None)
    assert [r["path"] for r in server.requests] == ["/v1/models", "/v1/chat/completions"]


def test_connection_test_with_a_wrong_key_names_the_401_and_the_servers_message(
    as_editor: APIClient, team: Team, server: OpenAICompatibleServer
) -> None:
    report = draft_test(as_editor, team, server.base_url, api_key="sk-wrong")
    assert (report["ok"], report["code"], report["stage"]) == (False, "unauthorized", "models")
    assert "HTTP 401" in report["message"]
    assert "Incorrect API key provided." in report["message"]


def test_connection_test_names_a_refused_port(as_editor: APIClient, team: Team) -> None:
    with silent_port() as port:
        pass  # closed again: nothing listens there now
    report = draft_test(as_editor, team, f"http://127.0.0.1:{port}/v1")
    assert (report["ok"], report["code"]) == (False, "refused")
    assert f"127.0.0.1:{port} refused the connection" in report["message"]


def test_connection_test_names_a_host_that_does_not_resolve(
    as_editor: APIClient, team: Team
) -> None:
    report = draft_test(as_editor, team, "http://no-such-host.invalid/v1")
    assert (report["ok"], report["code"]) == (False, "dns")
    assert "'no-such-host.invalid' does not resolve" in report["message"]


def test_connection_test_names_a_timeout() -> None:
    with silent_port() as port:
        report = check_connection(
            base_url=f"http://127.0.0.1:{port}/v1", model_name=MODEL, api_key=None, timeout_s=0.5
        )
    assert (report.ok, report.code, report.stage) == (False, "timeout", "models")
    assert "no answer within 0.5 s" in report.message


def test_connection_test_says_an_html_server_is_not_openai_compatible(
    as_editor: APIClient, team: Team
) -> None:
    with OpenAICompatibleServer(html=True) as html:
        report = draft_test(as_editor, team, html.base_url)
    assert (report["ok"], report["code"]) == (False, "not_openai_compatible")
    assert "text/html" in report["message"]
    assert "not JSON" in report["message"]


def test_connection_test_reports_an_unknown_model_from_the_chat(
    as_editor: APIClient, team: Team, server: OpenAICompatibleServer
) -> None:
    response = as_editor.post(
        "/api/models/endpoints/test/",
        {"team": team.pk, "base_url": server.base_url, "model_name": "other", "api_key": KEY},
        format="json",
    )
    report = response.json()
    assert (report["ok"], report["code"], report["stage"]) == (False, "http_error", "chat")
    assert report["models"] == [MODEL]
    assert report["model_listed"] is False
    assert "The model 'other' does not exist" in report["message"]


def test_testing_before_saving_needs_the_editor_role(
    as_viewer: APIClient, as_outsider: APIClient, team: Team, server: OpenAICompatibleServer
) -> None:
    body = {"team": team.pk, "base_url": server.base_url, "model_name": MODEL}
    assert as_viewer.post("/api/models/endpoints/test/", body, format="json").status_code == 403
    assert as_outsider.post("/api/models/endpoints/test/", body, format="json").status_code == 404
    assert server.requests == []


def test_a_saved_endpoint_is_tested_with_its_stored_key(
    as_editor: APIClient, as_viewer: APIClient, team: Team, server: OpenAICompatibleServer
) -> None:
    created = as_editor.post(
        "/api/models/endpoints/",
        {
            "team": team.pk,
            "key": "tiny",
            "base_url": server.base_url,
            "model_name": MODEL,
            "api_key": KEY,
        },
        format="json",
    ).json()
    url = f"/api/models/endpoints/{created['id']}/test/"
    assert as_viewer.post(url, {}, format="json").json()["ok"] is True
    # Trying a changed key before saving it is for editors.
    assert as_viewer.post(url, {"api_key": "sk-wrong"}, format="json").status_code == 403
    report = as_editor.post(url, {"api_key": "sk-wrong"}, format="json").json()
    assert report["code"] == "unauthorized"
    assert as_editor.post(url, {}, format="json").json()["ok"] is True  # nothing was saved


@pytest.mark.parametrize("key", ["sk-\u00e9t\u00e9", "sk-\nline", "sk-\u2603"])
def test_a_key_that_cannot_travel_in_a_header_is_refused_naming_it(
    as_editor: APIClient, team: Team, key: str
) -> None:
    body = {"team": team.pk, "base_url": "http://127.0.0.1:9/v1", "model_name": "m"}
    for url in ("/api/models/endpoints/test/", "/api/models/endpoints/"):
        response = as_editor.post(url, body | {"api_key": key, "key": "k"}, format="json")

        assert response.status_code == 400, response.content
        assert "printable ASCII" in str(response.json()["fields"]["api_key"])
