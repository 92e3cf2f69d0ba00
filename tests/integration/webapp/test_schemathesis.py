"""Property-based API run: Schemathesis generates requests for every operation of
``/api/schema/`` and calls the Django app in-process (WSGI); no input may cause a 5xx, and
every error answers ``{"code", "message", ...}``.

Requests are authenticated with the API token of a team owner who has a graph, a share link
and an endpoint. For each example Hypothesis also draws whether the path's ids are replaced by
those real ids, so that generated bodies reach the services and not only the 404 of a random id.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from webapp.accounts.models import Team
from webapp.accounts.services import token_issue
from webapp.catalog import services as catalog
from webapp.graphstore import services as graphstore
from webapp.graphstore.models import Graph
from webapp.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def in_test_transaction() -> Iterator[None]:
    """Keep the WSGI app from closing the DB connection after each request: that would end
    the test's transaction (Django's own test client does the same)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def real_ids(team: Team, graph: Graph, owner: User, bystander: User) -> dict[str, Any]:
    endpoint = catalog.endpoint_create(
        team=team, actor=owner, key="ep", base_url="http://localhost:8000/v1", model_name="m"
    )
    link = graphstore.share_link_create(version=graph.versions.get(number=1), actor=owner)
    return {
        "team_id": team.pk,
        "graph_id": graph.pk,
        "number": 1,
        "user_id": bystander.pk,
        "endpoint_id": endpoint.pk,
        "link_id": link.pk,
        "token": link.token,
    }


@pytest.mark.django_db
@schema.given(use_real_ids=st.booleans())
@schema.parametrize()
@settings(
    max_examples=15,
    database=None,  # no example database written into the work tree
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the DB state may evolve across examples
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_no_generated_request_causes_a_server_error(
    case: Any,
    use_real_ids: bool,
    real_ids: dict[str, Any],
    owner: User,
    in_test_transaction: None,
) -> None:
    if use_real_ids and case.path_parameters:
        case.path_parameters = {
            name: real_ids.get(name, value) for name, value in case.path_parameters.items()
        }
    response = case.call(headers={"Authorization": f"Token {token_issue(user=owner).key}"})
    where = (case.method, case.formatted_path, response.text[:2000])
    assert response.status_code < 500, where
    if response.status_code >= 400:
        assert {"code", "message"} <= set(response.json()), where
