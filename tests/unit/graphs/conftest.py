"""Fixtures for the graph layer's tests."""

from __future__ import annotations

import pytest
from scripted_client import ScriptedClient


@pytest.fixture
def client() -> ScriptedClient:
    return ScriptedClient()
