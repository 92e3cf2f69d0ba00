"""Every model of the web app is in the Django admin, and its pages load."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client

from webapp.graphstore.models import Graph

WEBAPP_MODELS = [model for model in apps.get_models() if model.__module__.startswith("webapp.")]


def test_every_webapp_model_is_registered() -> None:
    assert WEBAPP_MODELS
    assert [m for m in WEBAPP_MODELS if not admin.site.is_registered(m)] == []


@pytest.mark.parametrize("model", WEBAPP_MODELS, ids=lambda m: m._meta.label)
def test_admin_list_and_detail_pages_load(model: type, graph: Graph) -> None:
    superuser = User.objects.create_superuser("root", password="pw")
    client = Client()
    client.force_login(superuser)
    meta = model._meta
    assert client.get(f"/admin/{meta.app_label}/{meta.model_name}/").status_code == 200
    obj = model.objects.first()
    if obj is not None:
        page = client.get(f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/change/")
        assert page.status_code == 200
