"""Shipped router adapters are read from their ``functional_tokens.json``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphs.runtime import BackendError
from workers.routing.shipped import ShippedRouterAdapter, shipped_router_adapters


def _router(folder: Path, name: str, training: dict[str, object]) -> None:
    (folder / name).mkdir(parents=True)
    meta = {"base_model": "tiny", "targets": [{"token": 0}, {"token": 1}], "training": training}
    (folder / name / "functional_tokens.json").write_text(json.dumps(meta))


def test_the_packaged_mmlu_router_reports_its_validation_figures() -> None:
    (mmlu,) = shipped_router_adapters()
    assert (mmlu.name, mmlu.targets, mmlu.validation_examples) == ("router-mmlu17", 17, 283)
    assert mmlu.val_accuracy == pytest.approx(0.8445, abs=1e-4)


def test_router_adapters_are_read_by_name_and_plain_lora_adapters_left_out(tmp_path: Path) -> None:
    _router(tmp_path, "b", {"train_examples": 10, "validation_examples": 2, "val_accuracy": 0.5})
    _router(tmp_path, "a", {"train_examples": 8, "validation_examples": 2})
    (tmp_path / "lora").mkdir()
    (tmp_path / "lora" / "adapter_config.json").write_text("{}")
    assert shipped_router_adapters(tmp_path) == [
        ShippedRouterAdapter("a", "tiny", 2, None, 8, 2),
        ShippedRouterAdapter("b", "tiny", 2, 0.5, 10, 2),
    ]


def test_unreadable_metadata_names_the_file(tmp_path: Path) -> None:
    _router(tmp_path, "broken", {"validation_examples": 2})
    with pytest.raises(BackendError, match=r"broken/functional_tokens\.json"):
        shipped_router_adapters(tmp_path)
