"""Optimistic concurrency: a save based on a stale version is refused with 409 and the latest
version; two concurrent saves from the same version give one success and one 409."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from rest_framework.test import APIClient

from tests.integration.webapp.conftest import simple_spec
from webapp.graphstore import services
from webapp.graphstore.models import Graph, GraphVersion


def test_saving_from_a_stale_version_is_409_with_the_latest_version(
    as_editor: APIClient, as_owner: APIClient, graph: Graph
) -> None:
    url = f"/api/graphs/{graph.pk}/versions/"
    mine = as_owner.post(url, {"spec": simple_spec("mine"), "expected_version": 1}, format="json")
    theirs = as_editor.post(
        url, {"spec": simple_spec("theirs"), "expected_version": 1}, format="json"
    )
    assert mine.status_code == 201
    assert theirs.status_code == 409
    body = theirs.json()
    assert body["code"] == "version_conflict"
    assert body["latest"]["number"] == 2
    assert body["latest"]["spec"]["nodes"][1]["config"]["system"] == "mine"
    assert "version 2" in body["message"]
    assert GraphVersion.objects.filter(graph=graph).count() == 2


def test_saving_with_a_future_version_is_409(as_editor: APIClient, graph: Graph) -> None:
    response = as_editor.post(
        f"/api/graphs/{graph.pk}/versions/",
        {"spec": simple_spec(), "expected_version": 5},
        format="json",
    )
    assert response.status_code == 409


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="needs row locks across connections: runs on PostgreSQL (make test-postgres)",
)
def test_two_concurrent_saves_from_one_version_give_one_success_and_one_conflict(
    graph: Graph, owner: User, editor: User
) -> None:
    barrier = threading.Barrier(2)
    outcomes: list[Any] = []

    def save(actor: User, text: str) -> None:
        try:
            barrier.wait()
            outcomes.append(
                services.graph_save(
                    graph=Graph.objects.get(pk=graph.pk),
                    spec=simple_spec(text),
                    actor=actor,
                    expected_version=1,
                )
            )
        except services.VersionConflict as conflict:
            outcomes.append(conflict)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(owner, "a")),
        threading.Thread(target=save, args=(editor, "b")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    saved = [o for o in outcomes if isinstance(o, GraphVersion)]
    conflicts = [o for o in outcomes if isinstance(o, services.VersionConflict)]
    assert (len(saved), len(conflicts)) == (1, 1), outcomes
    assert conflicts[0].latest.number == saved[0].number == 2
    assert Graph.objects.get(pk=graph.pk).latest_version == 2
