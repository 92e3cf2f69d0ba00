"""The transformers backend on the real SmolLM2: streaming, batching, scoring, weights cache."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

from graphs.runtime import (
    BackendError,
    Chunk,
    GenerateRequest,
    GenerationParams,
    Message,
    ScoreRequest,
)
from workers.backends.transformers_backend import TransformersBackend
from workers.catalog import default_catalog
from workers.model_store import MARKER, ModelStore
from workers.settings import dtype_name

pytestmark = pytest.mark.slow

SMOLLM2 = "smollm2-135m-instruct"

GREEDY = GenerationParams(temperature=0, max_tokens=24)


def ask(text: str, params: GenerationParams = GREEDY) -> GenerateRequest:
    return GenerateRequest(SMOLLM2, [Message("user", text)], params)


async def collect(backend: TransformersBackend, request: GenerateRequest) -> list[Chunk]:
    return [chunk async for chunk in backend.generate(request)]


def test_converted_cache_is_reused(smollm2_folder, weights_cache) -> None:
    assert (smollm2_folder / "model.safetensors").is_file()
    assert json.loads((smollm2_folder / MARKER).read_text())["source"].startswith("package")

    started = time.perf_counter()
    again = ModelStore(weights_cache).resolve(default_catalog().get(SMOLLM2))

    assert again.location == str(smollm2_folder)
    assert time.perf_counter() - started < 1.0


@pytest.mark.asyncio
async def test_answer_streams_several_deltas_with_token_counts(smollm2_backend) -> None:
    chunks = await collect(smollm2_backend, ask("Name three primary colors."))

    deltas, last = chunks[:-1], chunks[-1]
    assert len(deltas) >= 3
    assert all(c.text and not c.done for c in deltas)
    assert "".join(c.text for c in chunks).strip()
    assert last.done
    assert last.tokens_in > 0
    assert 0 < last.tokens_out <= GREEDY.max_tokens


@pytest.mark.asyncio
async def test_greedy_generation_is_deterministic(smollm2_backend) -> None:
    request = ask("What is the capital of France?")

    first = await collect(smollm2_backend, request)
    second = await collect(smollm2_backend, request)

    assert first == second


@pytest.mark.asyncio
async def test_sampling_with_a_seed_is_reproducible(smollm2_backend) -> None:
    params = GenerationParams(temperature=0.9, top_p=0.9, max_tokens=12, seed=7)

    first = await collect(smollm2_backend, ask("Tell me a joke.", params))
    second = await collect(smollm2_backend, ask("Tell me a joke.", params))

    assert first == second


@pytest.mark.asyncio
async def test_stop_string_and_max_tokens_end_a_row(smollm2_backend) -> None:
    stopped = await collect(
        smollm2_backend,
        ask("Name three primary colors.", GenerationParams(temperature=0, stop=("e",))),
    )
    capped = await collect(
        smollm2_backend, ask("Write a long story.", GenerationParams(temperature=0, max_tokens=3))
    )

    assert "e" not in "".join(c.text for c in stopped)
    assert capped[-1].tokens_out == 3


@pytest.mark.asyncio
async def test_three_concurrent_generations_decode_in_one_batch(smollm2_backend) -> None:
    params = GenerationParams(temperature=0, max_tokens=32)
    prompts = [
        "Write a long story about a dragon.",
        "Write a poem about the sea.",
        "Explain gravity.",
    ]
    await collect(smollm2_backend, ask(prompts[0], params))  # warm up

    started = time.perf_counter()
    await collect(smollm2_backend, ask(prompts[0], params))
    single = time.perf_counter() - started
    before = smollm2_backend.stats(SMOLLM2)
    started = time.perf_counter()
    results = await asyncio.gather(*(collect(smollm2_backend, ask(p, params)) for p in prompts))
    concurrent = time.perf_counter() - started
    after = smollm2_backend.stats(SMOLLM2)

    assert after.batches == before.batches + 1
    assert after.recent_batch_sizes[-1] == 3
    assert all(r[-1].tokens_out > 0 for r in results)
    assert concurrent < 2.2 * single, f"3 concurrent took {concurrent:.2f}s, one {single:.2f}s"


@pytest.mark.asyncio
async def test_score_picks_the_obvious_letter(smollm2_backend) -> None:
    request = ScoreRequest(
        SMOLLM2,
        [Message("user", "Answer with the letter A. Which letter do you answer?")],
        ["A", "B"],
    )

    probs = await smollm2_backend.score(request)

    assert sum(probs) == pytest.approx(1.0, abs=1e-5)
    assert probs[0] > 0.8


@pytest.mark.asyncio
async def test_score_refuses_candidates_sharing_a_first_token(smollm2_backend) -> None:
    request = ScoreRequest(SMOLLM2, [Message("user", "Well?")], ["yes", "yes!"])

    with pytest.raises(BackendError, match="both start with token"):
        await smollm2_backend.score(request)


@pytest.mark.asyncio
async def test_concurrent_scores_share_one_forward_pass_and_match_single_ones(
    smollm2_backend,
) -> None:
    questions = [
        "Answer with the letter A. Which letter do you answer?",
        "Is the sky green? Answer yes or no.",
        "Pick B.",
    ]
    requests = [
        ScoreRequest(SMOLLM2, [Message("user", q)], candidates)
        for q, candidates in zip(
            questions, (["A", "B"], ["yes", "no"], ["A", "B", "C"]), strict=True
        )
    ]
    bad = ScoreRequest(SMOLLM2, [Message("user", "Well?")], ["yes", "yes!"])
    alone = [await smollm2_backend.score(r) for r in requests]
    before = smollm2_backend.stats(SMOLLM2)

    together = await asyncio.gather(
        *(smollm2_backend.score(r) for r in [*requests, bad]), return_exceptions=True
    )

    after = smollm2_backend.stats(SMOLLM2)
    assert after.scoring_batches == before.scoring_batches + 1
    assert after.scored == before.scored + 4
    # Left padding changes nothing but the order of float sums: noise of the dtype's precision.
    tolerance = 1e-4 if dtype_name() == "float32" else 0.06
    for single, batched in zip(alone, together[:3], strict=True):
        assert batched == pytest.approx(single, abs=tolerance)
    assert isinstance(together[3], BackendError)  # the bad job fails alone


@pytest.mark.asyncio
async def test_closing_a_stream_early_stops_decoding_its_row(smollm2_backend) -> None:
    before = smollm2_backend.stats(SMOLLM2).tokens_out
    long = GenerationParams(temperature=0, max_tokens=200)
    stream = smollm2_backend.generate(ask("Write a long story about a dragon.", long))

    await anext(stream)
    await stream.aclose()
    # Served after the abandoned batch ends, so the stats below already include it.
    after_close = await collect(smollm2_backend, ask("Name three primary colors."))

    assert after_close[-1].done
    assert smollm2_backend.stats(SMOLLM2).tokens_out - before - after_close[-1].tokens_out < 20
