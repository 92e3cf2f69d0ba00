"""The demo account of a local start: a user whose personal team holds one graph per template."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from graphs.templates import TEMPLATES
from webapp.accounts.services import user_signup
from webapp.graphstore.models import Graph
from webapp.graphstore.services import graph_create


@dataclass(frozen=True)
class DemoAccount:
    user: User
    created_graphs: list[Graph]


@transaction.atomic
def demo_seed(*, username: str, password: str) -> DemoAccount:
    """Make sure ``username`` exists and its personal team has a graph for every template.

    Idempotent: an existing user keeps their password, and templates whose graph (matched by
    slug = template name) exists already are left alone, edits included.
    """
    user = User.objects.filter(username=username).first()
    if user is None:
        user = user_signup(username=username, password=password)
    team = user.personal_team
    created = []
    for name, template in TEMPLATES.items():
        if Graph.objects.filter(team=team, slug=name).exists():
            continue
        graph = graph_create(
            team=team,
            actor=user,
            name=template.title,
            slug=name,
            description=template.description,
            spec=template.spec(),
            message=f"created from the {name} template",
        )
        created.append(graph)
    return DemoAccount(user=user, created_graphs=created)
