"""The typed environment readers fail loudly, naming the variable, and apply defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from workers.env import (
    SettingsError,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_path,
    env_secret,
    env_str,
    load_dotenv,
)


def test_bad_boolean_spelling_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCTO_FLAG", "maybe")
    with pytest.raises(SettingsError, match="OCTO_FLAG must be one of true/false"):
        env_bool("OCTO_FLAG", False)


@pytest.mark.parametrize(("raw", "expected"), [("Yes", True), ("ON", True), ("0", False)])
def test_boolean_spellings_parse_in_any_case(
    raw: str, expected: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OCTO_FLAG", raw)
    assert env_bool("OCTO_FLAG", not expected) is expected


def test_bad_integer_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCTO_N", "ten")
    with pytest.raises(SettingsError, match="OCTO_N must be an integer"):
        env_int("OCTO_N", 1)


@pytest.mark.parametrize(
    ("raw", "bounds", "message"),
    [
        ("0", {"low": 1}, "OCTO_N must be at least 1, got 0"),
        ("9", {"high": 8}, "OCTO_N must be at most 8, got 9"),
        ("9", {"low": 1, "high": 8}, "OCTO_N must be between 1 and 8, got 9"),
    ],
)
def test_integer_outside_its_bounds_names_the_variable_and_bound(
    raw: str, bounds: dict[str, int], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OCTO_N", raw)
    with pytest.raises(SettingsError, match=message):
        env_int("OCTO_N", 1, **bounds)


def test_floats_parse_and_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCTO_S", "0.25")
    assert env_float("OCTO_S", 1.0, low=0, high=60) == 0.25
    monkeypatch.setenv("OCTO_S", "soon")
    with pytest.raises(SettingsError, match="OCTO_S must be a number"):
        env_float("OCTO_S", 1.0)
    monkeypatch.setenv("OCTO_S", "61")
    with pytest.raises(SettingsError, match="OCTO_S must be between 0 and 60"):
        env_float("OCTO_S", 1.0, low=0, high=60)


def test_missing_required_string_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OCTO_SECRET", raising=False)
    with pytest.raises(SettingsError, match="OCTO_SECRET must be set"):
        env_str("OCTO_SECRET")


def test_unset_or_blank_variables_take_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCTO_EMPTY", "  ")
    monkeypatch.delenv("OCTO_UNSET", raising=False)
    assert env_int("OCTO_EMPTY", 7, low=10) == 7
    assert env_float("OCTO_UNSET", 0.5) == 0.5
    assert env_bool("OCTO_EMPTY", True) is True
    assert env_str("OCTO_EMPTY", "fallback") == "fallback"
    assert env_list("OCTO_UNSET", ["x"]) == ["x"]
    assert env_path("OCTO_EMPTY") is None
    assert env_secret("OCTO_UNSET") is None


def test_lists_drop_blank_items_and_paths_expand_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCTO_LIST", "a, b,,c ")
    monkeypatch.setenv("OCTO_DIR", "~/adapters")
    assert env_list("OCTO_LIST", []) == ["a", "b", "c"]
    assert env_path("OCTO_DIR") == Path.home() / "adapters"


def test_secrets_are_passed_on_unstripped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCTO_KEY", " Bearer sk ")
    assert env_secret("OCTO_KEY") == " Bearer sk "


def test_dotenv_file_fills_unset_variables_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OCTO_SET", "from-env")
    monkeypatch.delenv("OCTO_UNSET", raising=False)
    dotenv = tmp_path / ".env"
    dotenv.write_text("# comment\nOCTO_SET=from-file\nOCTO_UNSET='quoted'\n")
    load_dotenv(dotenv)
    assert (env_str("OCTO_SET"), env_str("OCTO_UNSET")) == ("from-env", "quoted")


def test_malformed_dotenv_line_names_the_line(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("OK=1\nnot a setting\n")
    with pytest.raises(SettingsError, match=r"\.env:2"):
        load_dotenv(dotenv)
