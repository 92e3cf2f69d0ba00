"""Shared fixtures: users with each role in one shared team, API clients, a saved graph.

Users are made through the sign-up service, so each also has a personal team, as in real use.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from webapp.accounts import services as accounts
from webapp.accounts.models import Role, Team
from webapp.graphstore import services as graphstore
from webapp.graphstore.models import Graph

MODEL = "smollm2-135m-instruct"
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fresh_run_streams(redis_test_url: str | None) -> Iterator[None]:
    """Forget run event streams after each test: rolled-back tests reuse run ids, and a stream
    left closed by one test would silence the next test's run of the same id. Only ever in the
    session's private Redis database."""
    yield
    if redis_test_url is None:
        return
    client = redis.Redis.from_url(redis_test_url)
    keys = list(client.scan_iter("octograph:run:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Real hashers are slow by design; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def simple_spec(system: str = "You are helpful.") -> dict[str, Any]:
    """A valid input -> model -> output graph on a built-in model."""
    return {
        "spec": 1,
        "nodes": [
            {"id": "q", "kind": "input", "position": {"x": 0, "y": 0}, "config": {}},
            {
                "id": "m",
                "kind": "model",
                "position": {"x": 200, "y": 0},
                "config": {"model": MODEL, "system": system},
            },
            {"id": "out", "kind": "output", "position": {"x": 400, "y": 0}, "config": {}},
        ],
        "edges": [
            {"id": "e1", "source": "q", "target": "m"},
            {"id": "e2", "source": "m", "target": "out"},
        ],
    }


@pytest.fixture
def spec() -> dict[str, Any]:
    return copy.deepcopy(simple_spec())


@pytest.fixture
def make_user(db: None) -> Callable[[str], User]:
    def make(username: str) -> User:
        return accounts.user_signup(username=username, password=PASSWORD)

    return make


@pytest.fixture
def owner(make_user: Callable[[str], User]) -> User:
    return make_user("olivia")


@pytest.fixture
def editor(make_user: Callable[[str], User]) -> User:
    return make_user("eddie")


@pytest.fixture
def viewer(make_user: Callable[[str], User]) -> User:
    return make_user("vera")


@pytest.fixture
def outsider(make_user: Callable[[str], User]) -> User:
    return make_user("oscar")


@pytest.fixture
def bystander(make_user: Callable[[str], User]) -> User:
    """A second viewer of the team: a target for member management by others."""
    return make_user("bea")


@pytest.fixture
def team(owner: User, editor: User, viewer: User, bystander: User) -> Team:
    team = accounts.team_create(name="Research", actor=owner)
    for user, role in ((editor, Role.EDITOR), (viewer, Role.VIEWER), (bystander, Role.VIEWER)):
        accounts.membership_add(team=team, actor=owner, username=user.username, role=role)
    return team


@pytest.fixture
def graph(team: Team, owner: User, spec: dict[str, Any]) -> Graph:
    return graphstore.graph_create(team=team, actor=owner, name="Helper", spec=spec)


@pytest.fixture
def client_for() -> Callable[[User | None], APIClient]:
    """An API client authenticated as ``user`` (anonymous for None)."""

    def make(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def as_owner(client_for: Callable[[User | None], APIClient], owner: User) -> APIClient:
    return client_for(owner)


@pytest.fixture
def as_editor(client_for: Callable[[User | None], APIClient], editor: User) -> APIClient:
    return client_for(editor)


@pytest.fixture
def as_viewer(client_for: Callable[[User | None], APIClient], viewer: User) -> APIClient:
    return client_for(viewer)


@pytest.fixture
def as_outsider(client_for: Callable[[User | None], APIClient], outsider: User) -> APIClient:
    return client_for(outsider)
