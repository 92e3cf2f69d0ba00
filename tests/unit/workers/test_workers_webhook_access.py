"""What the server's environment lets webhook tools use (``workers.settings.webhook_access``)."""

from __future__ import annotations

import pytest

from workers import settings
from workers.env import SettingsError


def test_private_hosts_are_refused_unless_the_server_allows_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OCTOGRAPH_WEBHOOK_ALLOW_PRIVATE", raising=False)
    assert settings.webhook_access().allow_private is False
    monkeypatch.setenv("OCTOGRAPH_WEBHOOK_ALLOW_PRIVATE", "true")
    assert settings.webhook_access().allow_private is True


def test_a_misspelt_private_switch_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCTOGRAPH_WEBHOOK_ALLOW_PRIVATE", "sure")
    with pytest.raises(SettingsError, match="OCTOGRAPH_WEBHOOK_ALLOW_PRIVATE"):
        settings.webhook_access()


def test_secrets_are_read_at_each_call_and_only_from_tool_secret_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    secret = settings.webhook_access().secret
    monkeypatch.setenv("OCTOGRAPH_TOOL_SECRET_SHOP", "Bearer sk-shop")
    monkeypatch.setenv("SECRET_KEY", "django-key")
    assert secret("OCTOGRAPH_TOOL_SECRET_SHOP") == "Bearer sk-shop"
    assert secret("OCTOGRAPH_TOOL_SECRET_UNSET") is None
    assert secret("SECRET_KEY") is None
