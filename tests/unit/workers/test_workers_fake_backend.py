"""FakeBackend: deterministic replies, streaming, scores, failures, hangs and latency."""

from __future__ import annotations

import asyncio
import time

import pytest

from graphs.runtime import (
    BackendError,
    GenerateRequest,
    GenerationParams,
    Message,
    ScoreRequest,
    TransientBackendError,
    UnknownModelError,
)
from workers.backends.fake import FakeBackend

ASK = [Message("system", "Be brief."), Message("user", "Name three primary colors please now")]


async def text_of(backend: FakeBackend, request: GenerateRequest) -> tuple[list[str], object]:
    chunks = [c async for c in backend.generate(request)]
    return [c.text for c in chunks[:-1]], chunks[-1]


@pytest.mark.asyncio
async def test_default_reply_names_the_model_and_streams_word_by_word() -> None:
    deltas, last = await text_of(FakeBackend(), GenerateRequest("m1", ASK))

    assert "".join(deltas) == "m1: Name three primary colors please now"
    assert deltas[:2] == ["m1:", " Name"]
    assert (last.done, last.tokens_in, last.tokens_out) == (True, 8, 7)


@pytest.mark.asyncio
async def test_reply_is_deterministic_and_honours_adapter_stop_and_max_tokens() -> None:
    backend = FakeBackend()
    request = GenerateRequest(
        "m1", ASK, GenerationParams(max_tokens=3, stop=("colors",)), adapter="math"
    )

    first, _ = await text_of(backend, request)
    second, _ = await text_of(backend, request)

    assert first == second == ["m1/math:", " Name", " three"]


@pytest.mark.asyncio
async def test_custom_reply_function() -> None:
    backend = FakeBackend(reply=lambda request: "fixed answer")

    deltas, _ = await text_of(backend, GenerateRequest("m1", ASK))

    assert "".join(deltas) == "fixed answer"


@pytest.mark.asyncio
async def test_scores_prefer_the_candidate_named_in_the_message() -> None:
    backend = FakeBackend()
    request = ScoreRequest("m1", [Message("user", "Answer with the letter B")], ["A", "B", "C"])

    probs = await backend.score(request)

    assert probs == pytest.approx([0.05, 0.9, 0.05])
    uniform = await backend.score(ScoreRequest("m1", ASK, ["x", "y"]))
    assert uniform == pytest.approx([0.5, 0.5])


@pytest.mark.asyncio
async def test_configured_scores_are_renormalised() -> None:
    backend = FakeBackend(scores={"router": [3, 1]})

    assert await backend.score(ScoreRequest("router", ASK, ["a", "b"])) == [0.75, 0.25]
    with pytest.raises(BackendError, match="do not fit 3 candidates"):
        await backend.score(ScoreRequest("router", ASK, ["a", "b", "c"]))


@pytest.mark.asyncio
async def test_fails_n_times_then_succeeds() -> None:
    backend = FakeBackend(fail_times=2)
    request = GenerateRequest("m1", ASK)

    for _ in range(2):
        with pytest.raises(TransientBackendError):
            await text_of(backend, request)
    deltas, _ = await text_of(backend, request)

    assert deltas
    assert len(backend.calls) == 3


@pytest.mark.asyncio
async def test_hanging_model_never_answers() -> None:
    backend = FakeBackend(hang={"slow"})

    with pytest.raises(TimeoutError):
        await asyncio.wait_for(text_of(backend, GenerateRequest("slow", ASK)), timeout=0.05)
    assert backend.in_flight == 0
    await text_of(backend, GenerateRequest("fast", ASK))


@pytest.mark.asyncio
async def test_per_model_latency_runs_concurrently() -> None:
    backend = FakeBackend(latency={"a": 0.1, "b": 0.1})

    started = time.perf_counter()
    await asyncio.gather(*(text_of(backend, GenerateRequest(k, ASK)) for k in "ab"))

    assert time.perf_counter() - started < 0.18
    assert backend.max_in_flight == 2


@pytest.mark.asyncio
async def test_unknown_model_when_models_are_listed() -> None:
    with pytest.raises(UnknownModelError, match="'other'"):
        await text_of(FakeBackend(models={"m1"}), GenerateRequest("other", ASK))


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (GenerationParams(), "eos"),
        (GenerationParams(max_tokens=2), "length"),
        (GenerationParams(stop=("three",)), "stop"),
    ],
)
async def test_the_last_chunk_says_why_the_reply_ended(
    params: GenerationParams, expected: str
) -> None:
    backend = FakeBackend(reply=lambda request: "one two three four")

    _, last = await text_of(backend, GenerateRequest("m", ASK, params))

    assert last.finish_reason == expected
