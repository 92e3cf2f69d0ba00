"""Concurrent first requests for SmolLM2 in one process load it once, and give what a lone
request gives (greedy), with finite probabilities: no race leaves a model half-built.

transformers' ``from_pretrained`` swaps ``torch.nn.init``'s functions and torch's default dtype
process-wide while it builds a model; ``workers.model_cache.BUILD_LOCK`` keeps two builds from
interleaving (which could leave the swapped functions in place for good)."""

from __future__ import annotations

import asyncio
import math
import threading
from pathlib import Path
from typing import Any

import pytest

from graphs.runtime import GenerateRequest, GenerationParams, Message, ScoreRequest
from workers.backends.transformers_backend import TransformersBackend
from workers.catalog import ModelEntry, default_catalog
from workers.model_cache import ModelCache, load_pretrained
from workers.model_store import ModelStore, ResolvedModel

pytestmark = pytest.mark.slow

SMOLLM2 = "smollm2-135m-instruct"
PROMPT = "Name three primary colors."
GREEDY = GenerationParams(temperature=0, max_tokens=16)
CONCURRENT = 4


class CountingLoader:
    def __init__(self) -> None:
        self.loads = 0
        self._lock = threading.Lock()

    def __call__(self, entry: ModelEntry, resolved: ResolvedModel) -> tuple[Any, Any]:
        with self._lock:
            self.loads += 1
        return load_pretrained(entry, resolved)


def fresh_backend(weights_cache: Path, loader: CountingLoader | None = None) -> TransformersBackend:
    """A backend with a cache of its own. Rows are decoded one at a time: a batch's padding
    changes bf16 results slightly (and greedy text with them), which is not what is tested."""
    cache = ModelCache(ModelStore(weights_cache), loader=loader or CountingLoader())
    return TransformersBackend(default_catalog(), cache, max_batch_size=1)


async def answer(backend: TransformersBackend) -> str:
    request = GenerateRequest(SMOLLM2, [Message("user", PROMPT)], GREEDY)
    return "".join([chunk.text async for chunk in backend.generate(request)])


async def letter_probabilities(backend: TransformersBackend) -> list[float]:
    question = [Message("user", "Answer with the letter A. Which letter do you answer?")]
    return await backend.score(ScoreRequest(SMOLLM2, question, ["A", "B"]))


@pytest.fixture(scope="module")
def reference(smollm2_folder: Path, weights_cache: Path) -> str:
    """What one request alone, on a model loaded for it alone, answers."""
    return asyncio.run(answer(fresh_backend(weights_cache)))


def test_concurrent_first_requests_load_once_and_answer_as_a_lone_one(
    reference: str, weights_cache: Path
) -> None:
    loader = CountingLoader()
    backend = fresh_backend(weights_cache, loader)

    async def together() -> list[str]:
        return await asyncio.gather(*(answer(backend) for _ in range(CONCURRENT)))

    answers = asyncio.run(together())

    assert loader.loads == 1
    assert answers == [reference] * CONCURRENT


def test_two_caches_loading_at_once_leave_torch_and_both_models_sound(
    reference: str, weights_cache: Path
) -> None:
    import torch

    before = (torch.nn.init.normal_, torch.nn.init.zeros_, torch.get_default_dtype())
    backends = [fresh_backend(weights_cache) for _ in range(2)]
    start = threading.Barrier(len(backends))
    results: dict[int, tuple[str, list[float]]] = {}

    def first_request(index: int) -> None:
        async def both() -> tuple[str, list[float]]:
            return await answer(backends[index]), await letter_probabilities(backends[index])

        start.wait()
        results[index] = asyncio.run(both())

    threads = [threading.Thread(target=first_request, args=(i,)) for i in range(len(backends))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)

    assert (torch.nn.init.normal_, torch.nn.init.zeros_, torch.get_default_dtype()) == before
    for text, probabilities in results.values():
        assert text == reference
        assert all(math.isfinite(p) for p in probabilities)
        assert sum(probabilities) == pytest.approx(1.0, abs=1e-5)
    assert len(results) == len(backends)
