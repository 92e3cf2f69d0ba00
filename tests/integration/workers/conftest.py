"""Fixtures of the real-model tests: SmolLM2 converted once into a shared weights cache.

The cache lives in ``OCTOGRAPH_CACHE_DIR`` when it is set (so CI and developers convert once and
reuse it across runs), otherwise in a temporary folder for this test session.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workers.backends.transformers_backend import TransformersBackend
from workers.catalog import default_catalog
from workers.model_cache import ModelCache
from workers.model_store import ModelStore

SMOLLM2 = "smollm2-135m-instruct"


@pytest.fixture(scope="session")
def weights_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("OCTOGRAPH_CACHE_DIR")
    return Path(configured) if configured else tmp_path_factory.mktemp("octograph-models")


@pytest.fixture(scope="session")
def smollm2_folder(weights_cache: Path) -> Path:
    """The bf16 safetensors folder of SmolLM2 (converted from the packaged GGUF if needed)."""
    entry = default_catalog().get(SMOLLM2)
    return Path(ModelStore(weights_cache).resolve(entry).location)


@pytest.fixture(scope="session")
def smollm2_backend(smollm2_folder: Path, weights_cache: Path) -> TransformersBackend:
    """One backend (one loaded SmolLM2, one torch thread) shared by the session's tests.

    Depends on ``smollm2_folder`` so the slow conversion happens in fixture setup, not inside
    the first (timed) test.
    """
    return TransformersBackend(default_catalog(), ModelCache(ModelStore(weights_cache)))
