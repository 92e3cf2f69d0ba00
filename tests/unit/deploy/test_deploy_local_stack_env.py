"""The environment ``make run`` gives its children (``deploy.local_stack.stack_environment``):
debug pages off unless asked, a secret key kept in the state folder, cookies for plain http."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy import local_stack


@pytest.fixture(autouse=True)
def bare_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("DEBUG", "OCTOGRAPH_DEBUG", "SECRET_KEY", "SECURE_COOKIES", "STATIC_ROOT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(local_stack, "ROOT", tmp_path / "checkout")  # no .env there


def test_debug_pages_are_off_unless_asked(tmp_path: Path) -> None:
    assert "DEBUG" not in local_stack.stack_environment(tmp_path)  # settings default: off


@pytest.mark.parametrize(("name", "value"), [("OCTOGRAPH_DEBUG", "1"), ("DEBUG", "true")])
def test_octograph_debug_or_debug_turns_debug_pages_on(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)

    assert local_stack.stack_environment(tmp_path)["DEBUG"] == "true"


def test_a_generated_secret_key_is_kept_in_the_state_folder(tmp_path: Path) -> None:
    first = local_stack.stack_environment(tmp_path)

    assert len(first["SECRET_KEY"]) >= 50
    assert local_stack.stack_environment(tmp_path)["SECRET_KEY"] == first["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert first["SECURE_COOKIES"] == "false"
    assert first["STATIC_ROOT"] == str(tmp_path / "static")


def test_settings_from_dotenv_win_over_the_stacks_defaults(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    (checkout / ".env").write_text("# mine\nSECRET_KEY=from-dotenv\nSECURE_COOKIES=true\n")

    env = local_stack.stack_environment(tmp_path)

    assert "SECRET_KEY" not in env  # the settings read it from .env
    assert "SECURE_COOKIES" not in env
    assert not (tmp_path / "secret_key").exists()
