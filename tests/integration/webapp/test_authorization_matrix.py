"""Authorization matrix: every endpoint and method that touches a team's objects, for each kind
of user. Outsiders get 404 (never 403: no existence leak), viewers read but cannot write,
editors write but cannot manage members or delete, owners may do everything.

``test_matrix_covers_every_scoped_operation`` fails when an endpoint is added without a row.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from graphs.templates import get_template
from tests.image_files import encoded
from tests.integration.webapp.conftest import simple_spec
from webapp.accounts.models import Membership, Team
from webapp.catalog import services as catalog
from webapp.chat import services as chats
from webapp.evaluation import services as evaluation
from webapp.graphstore import services as graphstore
from webapp.graphstore.models import Graph
from webapp.runs import services as runs
from webapp.runs.uploads import ImageUpload
from webapp.training import services as training
from workers.routing.job import TrainingOptions

READ, EDIT, MANAGE = "read", "edit", "manage"
ALLOWED = {"owner": {READ, EDIT, MANAGE}, "editor": {READ, EDIT}, "viewer": {READ}}

Body = Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class Op:
    method: str
    path: str  # as in the OpenAPI schema, filled from the context's ids
    needs: str
    body: Body = field(default=lambda ctx: None)
    query: str = ""
    multipart: bool = False
    ids: dict[str, str] = field(default_factory=dict)
    """Path parameters filled from another context key, e.g. ``{"graph_id": "router_graph_id"}``."""

    def __str__(self) -> str:
        return f"{self.method} {self.path}{self.query}"


SUMS = b'{"input": "What is 2 + 2?", "expected": "4"}\n'


def _dataset_body(ctx: dict[str, Any]) -> dict[str, Any]:
    upload = io.BytesIO(SUMS)
    upload.name = "sums.jsonl"
    return {"team": ctx["team_id"], "file": upload}


def _import_body(ctx: dict[str, Any]) -> dict[str, Any]:
    upload = io.BytesIO(json.dumps(simple_spec()).encode())
    upload.name = "spec.json"
    return {"team": ctx["team_id"], "file": upload}


OPS = [
    # teams and members
    Op("GET", "/api/teams/{team_id}/", READ),
    Op("PATCH", "/api/teams/{team_id}/", MANAGE, lambda ctx: {"name": "Renamed"}),
    Op("DELETE", "/api/teams/{team_id}/", MANAGE),
    Op("GET", "/api/teams/{team_id}/members/", READ),
    Op(
        "POST",
        "/api/teams/{team_id}/members/",
        MANAGE,
        lambda ctx: {"username": ctx["newcomer"], "role": "viewer"},
    ),
    Op("PATCH", "/api/teams/{team_id}/members/{user_id}/", MANAGE, lambda ctx: {"role": "editor"}),
    Op("DELETE", "/api/teams/{team_id}/members/{user_id}/", MANAGE),
    # graphs (the team is named in the body or query)
    Op("GET", "/api/graphs/", READ, query="?team={team_id}"),
    Op(
        "POST",
        "/api/graphs/",
        EDIT,
        lambda ctx: {"team": ctx["team_id"], "name": "New", "template": "moa-lite"},
    ),
    Op("POST", "/api/graphs/import/", EDIT, _import_body, multipart=True),
    Op("GET", "/api/graphs/{graph_id}/", READ),
    Op("PATCH", "/api/graphs/{graph_id}/", EDIT, lambda ctx: {"description": "Changed"}),
    Op("DELETE", "/api/graphs/{graph_id}/", MANAGE),
    Op("GET", "/api/graphs/{graph_id}/versions/", READ),
    Op(
        "POST",
        "/api/graphs/{graph_id}/versions/",
        EDIT,
        lambda ctx: {"spec": simple_spec("Changed."), "expected_version": 1},
    ),
    Op("GET", "/api/graphs/{graph_id}/versions/{number}/", READ),
    Op("GET", "/api/graphs/{graph_id}/versions/{number}/export/", READ),
    Op(
        "POST",
        "/api/graphs/{graph_id}/versions/{number}/restore/",
        EDIT,
        lambda ctx: {"expected_version": 1},
    ),
    Op("GET", "/api/graphs/{graph_id}/diff/", READ, query="?from=1&to=1"),
    # Forking needs read access to the source; the target is the actor's personal team.
    Op("POST", "/api/graphs/{graph_id}/fork/", READ, lambda ctx: {"team": ctx["personal_team"]}),
    Op("GET", "/api/graphs/{graph_id}/share-links/", READ),
    Op("POST", "/api/graphs/{graph_id}/share-links/", EDIT, lambda ctx: {"version": 1}),
    Op("DELETE", "/api/graphs/{graph_id}/share-links/{link_id}/", EDIT),
    # catalog
    Op("GET", "/api/models/", READ, query="?team={team_id}"),
    Op(
        "POST",
        "/api/models/endpoints/",
        EDIT,
        lambda ctx: {
            "team": ctx["team_id"],
            "key": "new-endpoint",
            "base_url": "http://localhost:8000/v1",
            "model_name": "m",
        },
    ),
    Op("GET", "/api/models/adapters/", READ, query="?team={team_id}"),
    Op("GET", "/api/models/endpoints/{endpoint_id}/", READ),
    Op("PATCH", "/api/models/endpoints/{endpoint_id}/", EDIT, lambda ctx: {"model_name": "n"}),
    Op("DELETE", "/api/models/endpoints/{endpoint_id}/", EDIT),
    # Any member may test a saved endpoint as it is (nothing listens there: the report says so).
    Op("POST", "/api/models/endpoints/{endpoint_id}/test/", READ, lambda ctx: {}),
    # runs: viewers may run and read; cancelling another member's run needs an editor
    Op("GET", "/api/graphs/{graph_id}/runs/", READ),
    Op("POST", "/api/graphs/{graph_id}/runs/", READ, lambda ctx: {"input": "Hello"}),
    Op("GET", "/api/runs/{run_id}/", READ),
    Op("GET", "/api/runs/{run_id}/events/", READ, query="?after=0"),
    Op("GET", "/api/runs/{run_id}/images/{number}/", READ),
    Op("POST", "/api/runs/{run_id}/cancel/", EDIT),
    # router trainings: editors start and cancel, viewers follow
    Op("GET", "/api/graphs/{graph_id}/trainings/", READ),
    Op(
        "POST",
        "/api/graphs/{graph_id}/trainings/",
        EDIT,
        lambda ctx: {"router": "router", "epochs": 1},
        ids={"graph_id": "router_graph_id"},
    ),
    Op("GET", "/api/trainings/{training_id}/", READ),
    Op("POST", "/api/trainings/{training_id}/cancel/", EDIT),
    # chats: whoever may run may chat; a session is its user's own (the ctx gives each member
    # one of theirs, and outsiders the owner's)
    Op("GET", "/api/graphs/{graph_id}/chats/", READ),
    Op("POST", "/api/graphs/{graph_id}/chats/", READ, lambda ctx: {"title": "Questions"}),
    Op("GET", "/api/chats/{chat_id}/messages/", READ),
    Op("POST", "/api/chats/{chat_id}/messages/", READ, lambda ctx: {"content": "Hello"}),
    # evaluation: editors make and delete datasets; whoever may run the graph may start an
    # experiment; cancelling another member's experiment needs an editor
    Op("GET", "/api/datasets/", READ, query="?team={team_id}"),
    Op("POST", "/api/datasets/", EDIT, _dataset_body, multipart=True),
    Op("GET", "/api/datasets/{dataset_id}/", READ),
    Op("DELETE", "/api/datasets/{dataset_id}/", EDIT),
    Op("GET", "/api/datasets/{dataset_id}/rows/", READ),
    Op("GET", "/api/datasets/{dataset_id}/pareto/", READ),
    Op("GET", "/api/graphs/{graph_id}/experiments/", READ),
    Op(
        "POST",
        "/api/graphs/{graph_id}/experiments/",
        READ,
        lambda ctx: {"dataset": ctx["dataset_id"]},
    ),
    Op("GET", "/api/experiments/{experiment_id}/", READ),
    Op("POST", "/api/experiments/{experiment_id}/cancel/", EDIT),
    Op("GET", "/api/experiments/{experiment_id}/rows/", READ),
    Op(
        "GET", "/api/experiments/compare/", READ, query="?ids={experiment_id},{other_experiment_id}"
    ),
]

# Operations whose target is named in the body or query rather than in the path.
BODY_SCOPED = {("GET", "/api/graphs/"), ("POST", "/api/graphs/"), ("POST", "/api/graphs/import/")}
BODY_SCOPED |= {("GET", "/api/models/"), ("POST", "/api/models/endpoints/")}
BODY_SCOPED |= {("GET", "/api/models/adapters/")}
BODY_SCOPED |= {("GET", "/api/datasets/"), ("POST", "/api/datasets/")}
BODY_SCOPED |= {("GET", "/api/experiments/compare/")}

# A user's own objects, in no team: every other user gets 404 (test_api_tokens.py).
USER_OWNED = {("DELETE", "/api/auth/tokens/{token_id}/")}


@pytest.fixture
def ctx(team: Team, graph: Graph, owner: User, bystander: User, make_user: Any) -> Any:
    """Ids of the objects under test; ``personal_team`` is filled in per actor."""
    endpoint = catalog.endpoint_create(
        team=team, actor=owner, key="ep", base_url="http://localhost:8000/v1", model_name="m"
    )
    link = graphstore.share_link_create(version=graph.versions.get(number=1), actor=owner)
    newcomer = make_user("nina")
    image = ImageUpload(encoded("GIF", (8, 8)), "image/gif", "dot.gif")
    checked = runs.images_check([image])
    run = runs.run_create(graph=graph, actor=owner, text="What is 2 + 2?", images=checked)
    router_graph = graphstore.graph_create(
        team=team, actor=owner, name="Routed", spec=get_template("router-basic").spec()
    )
    # A finished training, so that starting another for the same router is allowed.
    trained = training.training_start(
        graph=router_graph, actor=owner, router="router", options=TrainingOptions(epochs=1)
    )
    training.training_cancel(training=trained, actor=owner)
    # A dataset with two finished experiments on it (so that it may be deleted).
    dataset = evaluation.dataset_upload(
        team=team, actor=owner, file=SimpleUploadedFile("sums.jsonl", SUMS)
    )
    experiments = [
        evaluation.experiment_start(graph=graph, actor=owner, dataset=dataset) for _ in range(2)
    ]
    for experiment in experiments:
        evaluation.experiment_cancel(experiment=experiment, actor=owner)

    def for_actor(actor: User) -> dict[str, Any]:
        member = Membership.objects.filter(team=team, user=actor).exists()
        chat = chats.chat_create(graph=graph, actor=actor if member else owner)
        return {
            "team_id": team.pk,
            "graph_id": graph.pk,
            "number": 1,
            "user_id": bystander.pk,
            "link_id": link.pk,
            "endpoint_id": endpoint.pk,
            "run_id": run.pk,
            "router_graph_id": router_graph.pk,
            "training_id": trained.pk,
            "chat_id": chat.pk,
            "dataset_id": dataset.pk,
            "experiment_id": experiments[0].pk,
            "other_experiment_id": experiments[1].pk,
            "newcomer": newcomer.username,
            "personal_team": actor.personal_team.pk,
        }

    return for_actor


def send(client: APIClient, op: Op, ctx: dict[str, Any]) -> Any:
    ids = {**ctx, **{name: ctx[key] for name, key in op.ids.items()}}
    url = op.path.format(**ids) + op.query.format(**ctx)
    body = op.body(ctx)
    method = getattr(client, op.method.lower())
    if op.multipart:
        return method(url, body, format="multipart")
    return method(url, body, format="json") if body is not None else method(url)


@pytest.mark.parametrize("op", OPS, ids=str)
def test_outsider_gets_404_everywhere(op: Op, ctx: Any, outsider: User, client_for: Any) -> None:
    response = send(client_for(outsider), op, ctx(outsider))
    assert response.status_code == 404, response.content
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("role", ["viewer", "editor", "owner"])
@pytest.mark.parametrize("op", OPS, ids=str)
def test_member_may_do_what_the_role_allows(
    op: Op, role: str, ctx: Any, client_for: Any, request: pytest.FixtureRequest
) -> None:
    actor = request.getfixturevalue(role)
    response = send(client_for(actor), op, ctx(actor))
    if op.needs in ALLOWED[role]:
        assert response.status_code < 300, response.content
    else:
        assert response.status_code == 403, response.content
        assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize("op", OPS, ids=str)
def test_anonymous_gets_401(op: Op, ctx: Any, owner: User, client_for: Any) -> None:
    response = send(client_for(None), op, ctx(owner))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_matrix_covers_every_scoped_operation(db: None) -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    scoped = {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if ("{" in path and not path.startswith("/api/share/"))
        or (method.upper(), path) in BODY_SCOPED
    }
    assert scoped - USER_OWNED == {(op.method, op.path) for op in OPS}
