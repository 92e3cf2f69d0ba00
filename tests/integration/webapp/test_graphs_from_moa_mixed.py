"""Creating a graph from moa-mixed: its proposers are chosen at creation among the team's chat
models, by default the built-in model plus every endpoint of the team."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from graphs.templates.builder import DEFAULT_MODEL
from webapp.accounts.models import Team


def add_endpoint(client: APIClient, team: Team, key: str) -> None:
    body = {"team": team.pk, "key": key, "base_url": "http://localhost:11434/v1"}
    response = client.post("/api/models/endpoints/", {**body, "model_name": "llama3.2"})
    assert response.status_code == 201, response.json()


def create(client: APIClient, team: Team, **extra: Any) -> Any:
    return client.post(
        "/api/graphs/", {"team": team.pk, "template": "moa-mixed", **extra}, format="json"
    )


def proposers(graph: dict[str, Any]) -> list[str]:
    nodes = graph["latest"]["spec"]["nodes"]
    return [n["config"]["model"] for n in nodes if n["label"].startswith("Proposer")]


def test_moa_mixed_proposers_default_to_the_builtin_model_and_every_team_endpoint(
    as_editor: APIClient, team: Team
) -> None:
    add_endpoint(as_editor, team, "ollama-llama")
    add_endpoint(as_editor, team, "another")
    response = create(as_editor, team)
    assert response.status_code == 201, response.json()
    assert proposers(response.json()) == [DEFAULT_MODEL, "another", "ollama-llama"]
    assert response.json()["name"] == "Mixture-of-Agents, mixed models"


def test_moa_mixed_takes_the_chosen_proposers(as_editor: APIClient, team: Team) -> None:
    add_endpoint(as_editor, team, "ollama-llama")
    response = create(as_editor, team, template_options={"proposers": ["ollama-llama"]})
    assert response.status_code == 201, response.json()
    assert proposers(response.json()) == ["ollama-llama"]


def test_a_proposer_outside_the_teams_catalog_is_400_naming_the_field(
    as_editor: APIClient, team: Team
) -> None:
    response = create(as_editor, team, template_options={"proposers": [DEFAULT_MODEL, "nope"]})
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["field"]) == ("unknown_model", "template_options.proposers")
    assert "nope" in body["message"]


def test_repeated_proposers_are_400_naming_the_field(as_editor: APIClient, team: Team) -> None:
    options = {"proposers": [DEFAULT_MODEL, DEFAULT_MODEL]}
    body = create(as_editor, team, template_options=options).json()
    assert (body["code"], body["field"]) == (
        "invalid_template_option",
        "template_options.proposers",
    )


def test_options_a_template_does_not_take_are_400(as_editor: APIClient, team: Team) -> None:
    response = as_editor.post(
        "/api/graphs/",
        {"team": team.pk, "template": "moa-lite", "template_options": {"proposers": []}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "template_options.proposers"


def test_templates_list_the_options_they_take(as_viewer: APIClient) -> None:
    options = {t["name"]: t["options"] for t in as_viewer.get("/api/templates/").json()}
    assert options["moa-mixed"] == ["proposers"]
    assert options["moa-lite"] == []
