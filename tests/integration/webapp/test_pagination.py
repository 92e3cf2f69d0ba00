"""Lists of graphs, versions, runs and datasets come a page at a time, with the page links in
the body (webapp/api/pagination.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from tests.integration.webapp.conftest import simple_spec
from webapp.accounts.models import Team
from webapp.graphstore import services as graphstore
from webapp.graphstore.models import Graph
from webapp.runs import services as runs


def _graphs(team: Team, owner: User, names: list[str]) -> list[Graph]:
    return [
        graphstore.graph_create(team=team, actor=owner, name=name, spec=simple_spec())
        for name in names
    ]


def test_graphs_come_a_page_at_a_time_with_links_to_the_neighbours(
    as_viewer: APIClient, team: Team, owner: User
) -> None:
    made = _graphs(team, owner, ["a", "b", "c", "d", "e"])
    newest_first = [graph.pk for graph in reversed(made)]

    first = as_viewer.get("/api/graphs/?page_size=2").json()
    second = APIClient.get(as_viewer, first["next"]).json()
    last = APIClient.get(as_viewer, second["next"]).json()

    assert first["count"] == second["count"] == last["count"] == 5
    assert [g["id"] for g in first["results"] + second["results"] + last["results"]] == (
        newest_first
    )
    assert first["previous"] is None
    assert last["next"] is None
    assert first["next"].startswith("http://testserver/api/graphs/?")
    assert "page=" not in second["previous"]  # the first page's own URL
    assert APIClient.get(as_viewer, last["previous"]).json() == second


def test_graphs_can_be_searched_by_name(as_viewer: APIClient, team: Team, owner: User) -> None:
    _graphs(team, owner, ["Support router", "Code helper", "support MoA"])

    found = as_viewer.get("/api/graphs/?search=SUPPORT").json()

    assert sorted(g["name"] for g in found["results"]) == ["Support router", "support MoA"]
    assert found["count"] == 2


def test_versions_and_runs_are_paginated(as_editor: APIClient, graph: Graph, owner: User) -> None:
    for text in ("one", "two", "three"):
        runs.run_create(graph=graph, actor=owner, text=text)

    versions = as_editor.get(f"/api/graphs/{graph.pk}/versions/?page_size=1").json()
    page = as_editor.get(f"/api/graphs/{graph.pk}/runs/?page=2&page_size=2").json()

    assert (versions["count"], [v["number"] for v in versions["results"]]) == (1, [1])
    assert (page["count"], [run["input"] for run in page["results"]]) == (3, ["one"])
    assert page["next"] is None
    assert page["previous"] is not None


def test_datasets_are_paginated(as_editor: APIClient, team: Team) -> None:
    for name in ("first", "second"):
        response = as_editor.post(
            "/api/datasets/",
            {"team": team.pk, "builtin": "mt-bench-80", "name": name},
            format="json",
        )
        assert response.status_code == 201, response.content

    page = as_editor.get(f"/api/datasets/?team={team.pk}&page_size=1").json()

    assert page["count"] == 2
    assert [d["name"] for d in page["results"]] == ["second"]


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("page=3", 404, "page 3 does not exist: there are 1 page(s) of 50"),
        ("page=0", 400, "page"),
        ("page=x", 400, "page"),
        ("page_size=501", 400, "page_size"),
    ],
)
def test_a_bad_page_is_refused_naming_it(
    as_viewer: APIClient, graph: Graph, query: str, status: int, says: str
) -> None:
    response = as_viewer.get(f"/api/graphs/?{query}")

    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    assert says in (body["message"] if status == 404 else str(body["fields"]))
