"""``GET /api/node-kinds/`` serves the registry's description of every kind, documented in the
OpenAPI schema, to anyone (a shared graph's public page draws its nodes with it)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from graphs.nodes.describe import describe_kinds
from tests.integration.webapp.conftest import api_client

pytestmark = pytest.mark.django_db


def test_node_kinds_are_served_as_the_registry_describes_them(owner: User) -> None:
    response = api_client(owner).get("/api/node-kinds/")
    assert response.status_code == 200
    assert response.json() == describe_kinds()


def test_node_kinds_are_public() -> None:
    assert api_client(None).get("/api/node-kinds/").json() == describe_kinds()


def test_node_kinds_are_in_the_openapi_schema(owner: User) -> None:
    schema = api_client(owner).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/node-kinds/"]["get"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"]["items"] == {
        "$ref": "#/components/schemas/NodeKindOutput"
    }
    properties = schema["components"]["schemas"]["NodeKindOutput"]["properties"]
    assert {"name", "summary", "ports", "defaults", "new_config", "facts", "config_schema"} <= set(
        properties
    )
