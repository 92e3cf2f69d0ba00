"""Graphs: create, validate, version, restore, fork, import/export and templates."""

from __future__ import annotations

import copy
import io
import json
from typing import Any

from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.integration.webapp.conftest import MODEL, simple_spec
from webapp.accounts.models import Team
from webapp.catalog import services as catalog
from webapp.graphstore.models import Graph, GraphVersion


def save(client: APIClient, graph: Graph, spec: Any, expected: int, message: str = "") -> Any:
    return client.post(
        f"/api/graphs/{graph.pk}/versions/",
        {"spec": spec, "expected_version": expected, "message": message},
        format="json",
    )


def test_creating_a_graph_stores_version_1(as_editor: APIClient, team: Team) -> None:
    response = as_editor.post(
        "/api/graphs/",
        {"team": team.pk, "name": "My Graph", "spec": simple_spec()},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["name"], body["slug"], body["latest_version"]) == ("My Graph", "my-graph", 1)
    assert body["latest"]["number"] == 1
    assert body["latest"]["spec"]["nodes"][1]["config"]["model"] == MODEL
    assert body["role"] == "editor"


def test_slugs_are_unique_within_a_team(as_owner: APIClient, team: Team, graph: Graph) -> None:
    response = as_owner.post(
        "/api/graphs/", {"team": team.pk, "name": graph.name, "spec": simple_spec()}, format="json"
    )
    assert response.json()["slug"] == f"{graph.slug}-2"
    explicit = as_owner.post(
        "/api/graphs/",
        {"team": team.pk, "name": "x", "slug": graph.slug, "spec": simple_spec()},
        format="json",
    )
    assert explicit.status_code == 409
    assert explicit.json()["code"] == "slug_taken"


def test_invalid_spec_is_400_with_problems_naming_node_and_edge_ids(
    as_editor: APIClient, graph: Graph
) -> None:
    spec = simple_spec()
    spec["nodes"][1]["config"]["temperature"] = "hot"
    spec["edges"].append({"id": "e9", "source": "m", "target": "nowhere"})
    response = save(as_editor, graph, spec, expected=1)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_graph"
    problems = {(p["code"], p.get("node"), p.get("edge"), p.get("field")) for p in body["problems"]}
    assert ("bad_config", "m", None, "config.temperature") in problems
    assert any(code == "dangling_edge" and edge == "e9" for code, _, edge, _ in problems)
    assert GraphVersion.objects.filter(graph=graph).count() == 1


def test_text_with_nul_characters_is_refused_on_every_database(
    as_editor: APIClient, graph: Graph
) -> None:
    body = save(as_editor, graph, simple_spec("a\x00b"), expected=1).json()
    assert body["code"] == "invalid_graph"
    assert body["problems"][0]["field"] == "nodes[1].config.system"


def test_unknown_model_is_a_problem(as_editor: APIClient, graph: Graph) -> None:
    spec = simple_spec()
    spec["nodes"][1]["config"]["model"] = "no-such-model"
    body = save(as_editor, graph, spec, expected=1).json()
    assert [(p["code"], p["node"]) for p in body["problems"]] == [("unknown_model", "m")]


def test_a_team_endpoint_key_is_a_known_model(
    as_editor: APIClient, graph: Graph, team: Team, owner: User
) -> None:
    catalog.endpoint_create(
        team=team, actor=owner, key="my-vllm", base_url="http://gpu:8000/v1", model_name="llama"
    )
    spec = simple_spec()
    spec["nodes"][1]["config"]["model"] = "my-vllm"
    assert save(as_editor, graph, spec, expected=1).status_code == 201


def test_another_teams_endpoint_is_not_a_known_model(
    as_editor: APIClient, graph: Graph, outsider: User
) -> None:
    catalog.endpoint_create(
        team=outsider.personal_team,
        actor=outsider,
        key="their-vllm",
        base_url="http://gpu:8000/v1",
        model_name="llama",
    )
    spec = simple_spec()
    spec["nodes"][1]["config"]["model"] = "their-vllm"
    assert save(as_editor, graph, spec, expected=1).status_code == 400


def test_each_save_creates_the_next_numbered_version(as_editor: APIClient, graph: Graph) -> None:
    first = save(as_editor, graph, simple_spec("v2"), expected=1, message="tune prompt")
    second = save(as_editor, graph, simple_spec("v3"), expected=2)
    assert (first.status_code, first.json()["number"]) == (201, 2)
    assert second.json()["number"] == 3
    listing = as_editor.get(f"/api/graphs/{graph.pk}/versions/").json()["results"]
    assert [(v["number"], v["message"], v["author"]) for v in listing] == [
        (3, "", "eddie"),
        (2, "tune prompt", "eddie"),
        (1, "", "olivia"),
    ]
    assert "spec" not in listing[0]
    v2 = as_editor.get(f"/api/graphs/{graph.pk}/versions/2/").json()
    assert v2["spec"]["nodes"][1]["config"]["system"] == "v2"


def test_missing_version_is_404(as_viewer: APIClient, graph: Graph) -> None:
    response = as_viewer.get(f"/api/graphs/{graph.pk}/versions/7/")
    assert response.status_code == 404
    assert response.json()["latest_version"] == 1


def test_restoring_an_old_version_saves_it_as_a_new_one(as_editor: APIClient, graph: Graph) -> None:
    save(as_editor, graph, simple_spec("changed"), expected=1)
    response = as_editor.post(
        f"/api/graphs/{graph.pk}/versions/1/restore/", {"expected_version": 2}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["number"] == 3
    assert response.json()["message"] == "Restore version 1"
    assert response.json()["spec"] == GraphVersion.objects.get(graph=graph, number=1).spec


def test_restoring_from_a_stale_version_is_409(as_editor: APIClient, graph: Graph) -> None:
    save(as_editor, graph, simple_spec("changed"), expected=1)
    response = as_editor.post(
        f"/api/graphs/{graph.pk}/versions/1/restore/", {"expected_version": 1}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["latest"]["number"] == 2


def test_versions_are_never_updated_in_place(as_editor: APIClient, graph: Graph) -> None:
    before = copy.deepcopy(GraphVersion.objects.get(graph=graph, number=1).spec)
    save(as_editor, graph, simple_spec("new"), expected=1)
    as_editor.post(f"/api/graphs/{graph.pk}/versions/1/restore/", {"expected_version": 2})
    assert GraphVersion.objects.get(graph=graph, number=1).spec == before
    for method in ("put", "patch", "delete"):
        assert getattr(as_editor, method)(f"/api/graphs/{graph.pk}/versions/1/").status_code == 405


def test_forking_copies_a_version_into_another_team(
    client_for: Any, viewer: User, graph: Graph
) -> None:
    client = client_for(viewer)
    target = viewer.personal_team
    response = client.post(
        f"/api/graphs/{graph.pk}/fork/", {"team": target.pk, "name": "Mine"}, format="json"
    )
    assert response.status_code == 201, response.json()
    fork = response.json()
    assert (fork["team"], fork["name"], fork["latest_version"]) == (target.pk, "Mine", 1)
    assert fork["forked_from"] == {"graph": graph.pk, "version": 1}
    assert fork["latest"]["spec"] == GraphVersion.objects.get(graph=graph, number=1).spec


def test_forking_into_a_team_you_only_view_is_403(
    as_viewer: APIClient, graph: Graph, team: Team
) -> None:
    # the viewer may read the graph but not create graphs in its team
    response = as_viewer.post(f"/api/graphs/{graph.pk}/fork/", {"team": team.pk}, format="json")
    assert response.status_code == 403


def test_export_then_import_round_trips_the_spec(
    as_editor: APIClient, graph: Graph, editor: User
) -> None:
    exported = as_editor.get(f"/api/graphs/{graph.pk}/versions/1/export/")
    assert exported.status_code == 200
    assert exported["Content-Disposition"] == 'attachment; filename="helper-v1.json"'
    upload = io.BytesIO(exported.content)
    upload.name = "helper-v1.json"
    response = as_editor.post(
        "/api/graphs/import/",
        {"team": editor.personal_team.pk, "file": upload, "name": "Imported"},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["latest"]["spec"] == json.loads(exported.content)
    assert response.json()["latest"]["message"] == "Imported from helper-v1.json"


def test_importing_a_file_that_is_not_json_is_400(as_editor: APIClient, editor: User) -> None:
    upload = io.BytesIO(b"{not json")
    upload.name = "broken.json"
    response = as_editor.post(
        "/api/graphs/import/",
        {"team": editor.personal_team.pk, "file": upload},
        format="multipart",
    )
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == ("bad_json", "file")


def test_every_template_can_be_instantiated(as_editor: APIClient, team: Team) -> None:
    templates = as_editor.get("/api/templates/").json()
    assert {t["name"] for t in templates} >= {"moa-lite", "router-basic"}
    for template in templates:
        response = as_editor.post(
            "/api/graphs/", {"team": team.pk, "template": template["name"]}, format="json"
        )
        assert response.status_code == 201, (template["name"], response.json())
        assert response.json()["name"] == template["title"]


def test_unknown_template_is_400_naming_the_known_ones(as_editor: APIClient, team: Team) -> None:
    response = as_editor.post("/api/graphs/", {"team": team.pk, "template": "nope"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_template"
    assert "moa-lite" in response.json()["message"]


def test_creating_needs_exactly_one_of_spec_and_template(as_editor: APIClient, team: Team) -> None:
    response = as_editor.post("/api/graphs/", {"team": team.pk, "name": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    assert "non_field" in response.json()["fields"]


def test_graph_list_shows_only_the_users_teams(
    as_outsider: APIClient, as_viewer: APIClient, graph: Graph
) -> None:
    assert [g["id"] for g in as_viewer.get("/api/graphs/").json()["results"]] == [graph.pk]
    assert as_outsider.get("/api/graphs/").json()["results"] == []


def test_owner_can_delete_a_graph(as_owner: APIClient, graph: Graph) -> None:
    assert as_owner.delete(f"/api/graphs/{graph.pk}/").status_code == 204
    assert not Graph.objects.filter(pk=graph.pk).exists()
    assert not GraphVersion.objects.filter(graph_id=graph.pk).exists()
