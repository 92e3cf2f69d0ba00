"""GET /api/graphs/{id}/diff/?from=a&to=b: nodes and edges added, removed, changed, moved."""

from __future__ import annotations

from rest_framework.test import APIClient

from tests.integration.webapp.conftest import MODEL, simple_spec
from webapp.graphstore.models import Graph


def test_diff_between_two_versions_names_changed_fields(
    as_editor: APIClient, as_viewer: APIClient, graph: Graph
) -> None:
    spec = simple_spec()
    spec["nodes"][1]["config"]["system"] = "Be terse."
    spec["nodes"][1]["config"]["temperature"] = 0.3
    spec["nodes"][0]["position"] = {"x": -50, "y": 20}
    spec["nodes"].insert(2, {"id": "w", "kind": "model", "config": {"model": MODEL}})
    spec["edges"] = [
        {"id": "e1", "source": "q", "target": "m"},
        {"id": "e3", "source": "q", "target": "w"},
        {"id": "e4", "source": "m", "target": "out"},
        {"id": "e5", "source": "w", "target": "out"},
    ]
    saved = as_editor.post(
        f"/api/graphs/{graph.pk}/versions/", {"spec": spec, "expected_version": 1}, format="json"
    )
    assert saved.status_code == 201, saved.json()

    response = as_viewer.get(f"/api/graphs/{graph.pk}/diff/?from=1&to=2")
    assert response.status_code == 200
    diff = response.json()
    assert (diff["from"], diff["to"]) == (1, 2)
    assert diff["nodes"]["added"] == ["w"]
    assert diff["nodes"]["removed"] == []
    assert diff["nodes"]["changed"] == [
        {
            "id": "m",
            "fields": {
                "config.system": {"from": "You are helpful.", "to": "Be terse."},
                "config.temperature": {"from": None, "to": 0.3},
            },
        }
    ]
    assert diff["nodes"]["moved"] == [
        {"id": "q", "from": {"x": 0.0, "y": 0.0}, "to": {"x": -50.0, "y": 20.0}}
    ]
    assert diff["edges"] == {"added": ["e3", "e4", "e5"], "removed": ["e2"], "changed": []}


def test_diff_backwards_swaps_added_and_removed(as_editor: APIClient, graph: Graph) -> None:
    spec = simple_spec()
    spec["edges"][1]["id"] = "e2b"
    as_editor.post(
        f"/api/graphs/{graph.pk}/versions/", {"spec": spec, "expected_version": 1}, format="json"
    )
    diff = as_editor.get(f"/api/graphs/{graph.pk}/diff/?from=2&to=1").json()
    assert (diff["edges"]["added"], diff["edges"]["removed"]) == (["e2"], ["e2b"])


def test_diff_with_a_missing_version_is_404(as_viewer: APIClient, graph: Graph) -> None:
    response = as_viewer.get(f"/api/graphs/{graph.pk}/diff/?from=1&to=9")
    assert response.status_code == 404


def test_diff_without_both_versions_is_400_naming_the_parameter(
    as_viewer: APIClient, graph: Graph
) -> None:
    response = as_viewer.get(f"/api/graphs/{graph.pk}/diff/?from=1")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["to"]
