"""The demo account: a user with one valid graph per template, created once."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from graphs.templates import TEMPLATES
from webapp.graphstore.demo import demo_seed
from webapp.graphstore.models import Graph

pytestmark = pytest.mark.django_db


def test_demo_user_gets_a_graph_per_template() -> None:
    account = demo_seed(username="demo", password="octograph-demo")
    assert account.user.check_password("octograph-demo")
    slugs = set(
        Graph.objects.filter(team=account.user.personal_team).values_list("slug", flat=True)
    )
    assert slugs == set(TEMPLATES)


def test_seeding_again_changes_nothing() -> None:
    call_command("seed_demo")
    again = demo_seed(username="demo", password="another-password")
    assert again.created_graphs == []
    assert again.user.check_password("octograph-demo")
    assert Graph.objects.count() == len(TEMPLATES)
