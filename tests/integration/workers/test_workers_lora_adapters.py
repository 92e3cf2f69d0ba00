"""LoRA adapters attached to the shared SmolLM2 base: mixed batches, effect, missing folders."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from graphs.runtime import BackendError, GenerateRequest, GenerationParams, Message, ScoreRequest
from workers.backends.transformers_backend import TransformersBackend
from workers.catalog import default_catalog
from workers.model_cache import BASE_ADAPTER, ModelCache
from workers.model_store import ModelStore

pytestmark = pytest.mark.slow

SMOLLM2 = "smollm2-135m-instruct"

PROMPT = [Message("user", "Name three primary colors.")]
GREEDY = GenerationParams(temperature=0, max_tokens=16)


@pytest.fixture(scope="module")
def random_adapter(smollm2_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny LoRA (r=4 on q_proj/v_proj) with random, non-zero weights, so it changes outputs."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    base = AutoModelForCausalLM.from_pretrained(smollm2_folder)
    config = LoraConfig(r=4, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    folder = tmp_path_factory.mktemp("adapters") / "random-lora"
    get_peft_model(base, config).save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def backend(weights_cache: Path, smollm2_folder: Path) -> TransformersBackend:
    """A backend with its own base copy, so attaching adapters leaves other tests' base alone."""
    return TransformersBackend(default_catalog(), ModelCache(ModelStore(weights_cache)))


async def text_of(backend: TransformersBackend, adapter: str | None) -> str:
    request = GenerateRequest(SMOLLM2, PROMPT, GREEDY, adapter=adapter)
    return "".join([c.text async for c in backend.generate(request)])


@pytest.mark.asyncio
async def test_mixed_batch_of_adapter_and_base_rows(backend, random_adapter) -> None:
    base_alone = await text_of(backend, None)
    before = backend.stats(SMOLLM2)

    with_adapter, base_in_batch, base_named = await asyncio.gather(
        text_of(backend, str(random_adapter)),
        text_of(backend, None),
        text_of(backend, BASE_ADAPTER),
    )

    assert backend.stats(SMOLLM2).recent_batch_sizes[-1] == 3
    assert backend.stats(SMOLLM2).batches == before.batches + 1
    assert with_adapter != base_in_batch
    assert base_in_batch == base_named
    assert base_in_batch[:20] == base_alone[:20]  # bf16 batching may differ late, not at once


@pytest.mark.asyncio
async def test_adapter_changes_the_scores(backend, random_adapter) -> None:
    def request(adapter: str | None) -> ScoreRequest:
        return ScoreRequest(SMOLLM2, PROMPT, ["Red", "Blue", "The"], adapter=adapter)

    base = await backend.score(request(None))
    adapted = await backend.score(request(str(random_adapter)))

    assert adapted != pytest.approx(base, abs=1e-3)


@pytest.mark.asyncio
async def test_adapter_by_name_from_the_adapters_dir(backend, random_adapter, monkeypatch) -> None:
    monkeypatch.setenv("OCTOGRAPH_ADAPTERS_DIR", str(random_adapter.parent))

    by_name = await text_of(backend, random_adapter.name)

    assert by_name == await text_of(backend, str(random_adapter))


@pytest.mark.asyncio
async def test_missing_adapter_folder_is_named(backend, tmp_path) -> None:
    missing = tmp_path / "no-such-adapter"

    with pytest.raises(BackendError, match=rf"adapter '{missing}' not found: .*{missing}"):
        await text_of(backend, str(missing))
