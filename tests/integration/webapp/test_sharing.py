"""Public share links: read-only access to exactly one version, unguessable, revocable."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.integration.webapp.conftest import simple_spec
from webapp.graphstore.models import Graph


@pytest.fixture
def link(as_editor: APIClient, graph: Graph) -> dict[str, Any]:
    """A link to version 1, made after version 2 exists."""
    as_editor.post(
        f"/api/graphs/{graph.pk}/versions/",
        {"spec": simple_spec("v2"), "expected_version": 1},
        format="json",
    )
    response = as_editor.post(f"/api/graphs/{graph.pk}/share-links/", {"version": 1})
    assert response.status_code == 201
    return response.json()


def test_share_link_shows_exactly_its_version_to_anyone(link: dict[str, Any], graph: Graph) -> None:
    response = APIClient().get(link["url"])
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == graph.name
    assert body["version"]["number"] == 1
    assert body["version"]["spec"]["nodes"][1]["config"]["system"] == "You are helpful."
    # nothing that leads elsewhere: no team, no graph id, no other version
    assert set(body) == {"name", "description", "version"}


def test_share_tokens_are_long_and_distinct(
    link: dict[str, Any], as_editor: APIClient, graph: Graph
) -> None:
    other = as_editor.post(f"/api/graphs/{graph.pk}/share-links/", {"version": 1}).json()
    assert len(link["token"]) >= 43  # 32 random bytes, base64url
    assert other["token"] != link["token"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_share_link_is_read_only(link: dict[str, Any], method: str) -> None:
    response = getattr(APIClient(), method)(link["url"], {"spec": simple_spec("x")}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_share_token_grants_nothing_but_its_version(link: dict[str, Any], graph: Graph) -> None:
    client = APIClient(HTTP_AUTHORIZATION=f"Token {link['token']}")
    assert client.get(f"/api/graphs/{graph.pk}/").status_code == 401
    assert client.get(f"/api/graphs/{graph.pk}/versions/2/").status_code == 401


def test_revoked_share_link_is_404(
    link: dict[str, Any], as_editor: APIClient, graph: Graph
) -> None:
    revoked = as_editor.delete(f"/api/graphs/{graph.pk}/share-links/{link['id']}/")
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    response = APIClient().get(link["url"])
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_unknown_share_token_is_404(db: None) -> None:
    assert APIClient().get("/api/share/not-a-real-token/").status_code == 404
    malformed = APIClient().get("/api/share/bad%00token/")
    assert (malformed.status_code, malformed.json()["code"]) == (404, "not_found")


def test_members_see_the_graphs_links(
    link: dict[str, Any], as_viewer: APIClient, graph: Graph
) -> None:
    links = as_viewer.get(f"/api/graphs/{graph.pk}/share-links/").json()
    assert [(item["id"], item["version"]) for item in links] == [(link["id"], 1)]
