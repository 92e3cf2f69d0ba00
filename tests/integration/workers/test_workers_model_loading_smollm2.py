"""The transformers backend reports the first load of the real SmolLM2 (graphs.model_loading)
before its first token, and nothing once it is loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphs import model_loading
from graphs.model_loading import LoadReport
from graphs.runtime import GenerateRequest, GenerationParams, Message
from workers.backends.transformers_backend import TransformersBackend
from workers.catalog import default_catalog
from workers.model_cache import ModelCache
from workers.model_store import ModelStore

pytestmark = pytest.mark.slow

SMOLLM2 = "smollm2-135m-instruct"


async def test_a_first_generation_reports_the_load_before_its_tokens(
    smollm2_folder: Path, weights_cache: Path
) -> None:
    backend = TransformersBackend(default_catalog(), ModelCache(ModelStore(weights_cache)))
    request = GenerateRequest(
        SMOLLM2, [Message("user", "Hi")], GenerationParams(temperature=0, max_tokens=4)
    )
    heard: list[LoadReport | str] = []

    with model_loading.reporting(heard.append):
        async for chunk in backend.generate(request):
            heard.append("token" if chunk.text else "done")
        first = list(heard)
        heard.clear()
        async for _ in backend.generate(request):
            pass

    reports = [r for r in first if isinstance(r, LoadReport)]
    # Converted in fixture setup, so this process only loads it.
    assert [r.stage for r in reports] == ["loading", "loaded"]
    assert first[: len(reports)] == reports
    assert first[len(reports)] == "token"
    assert reports[-1].seconds is not None
    assert reports[-1].seconds > 0
    assert not any(isinstance(r, LoadReport) for r in heard)
