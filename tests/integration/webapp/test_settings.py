"""Settings helpers fail loudly, naming the variable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

import webapp.settings as settings_module
from webapp.settings import env_bool, env_int, env_list, env_str, load_dotenv


def test_bad_boolean_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCTO_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="OCTO_FLAG"):
        env_bool("OCTO_FLAG", False)


def test_bad_integer_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCTO_N", "ten")
    with pytest.raises(ImproperlyConfigured, match="OCTO_N must be an integer"):
        env_int("OCTO_N", 1)


def test_missing_required_string_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OCTO_SECRET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="OCTO_SECRET must be set"):
        env_str("OCTO_SECRET")


def test_values_parse_and_defaults_apply(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCTO_FLAG", "Yes")
    monkeypatch.setenv("OCTO_LIST", "a, b,,c ")
    monkeypatch.setenv("OCTO_EMPTY", "  ")
    assert env_bool("OCTO_FLAG", False) is True
    assert env_list("OCTO_LIST", []) == ["a", "b", "c"]
    assert env_int("OCTO_EMPTY", 7) == 7


def test_env_example_lists_every_variable_the_settings_read() -> None:
    source = Path(settings_module.__file__).read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z_]+)"', source))
    example = (Path(settings_module.BASE_DIR) / ".env.example").read_text()
    listed = set(re.findall(r"^#?\s*([A-Z_]+)=", example, flags=re.MULTILINE))
    assert read <= listed, read - listed


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
    with pytest.raises(ImproperlyConfigured, match=r"\.env:2"):
        load_dotenv(dotenv)
