"""OpenAIBackend against a scripted local server: streaming, errors, keys, logprob scoring."""

from __future__ import annotations

import json
import socket

import pytest

from graphs.runtime import (
    BackendError,
    Chunk,
    GenerateRequest,
    GenerationParams,
    Message,
    ScoreRequest,
    TransientBackendError,
)
from workers.backends.openai_backend import FLOOR_PROBABILITY, OpenAIBackend, finish_reason_of
from workers.catalog import Catalog, ModelEntry

KEY_VAR = "OCTOGRAPH_TEST_OPENAI_KEY"
QUESTION = [Message("user", "Which letter?")]


def backend_for(url: str, api_key_env: str | None = KEY_VAR) -> OpenAIBackend:
    entry = ModelEntry(
        key="remote",
        display_name="Remote",
        family="test",
        kind="openai",
        base_url=url,
        model_name="served-model",
        api_key_env=api_key_env,
    )
    return OpenAIBackend(Catalog([entry]), timeout_s=5)


async def collect(backend: OpenAIBackend, **params: object) -> list[Chunk]:
    request = GenerateRequest("remote", QUESTION, GenerationParams(**params))  # type: ignore[arg-type]
    return [chunk async for chunk in backend.generate(request)]


@pytest.fixture(autouse=True)
def api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_VAR, "sk-test")


@pytest.mark.asyncio
async def test_generate_streams_sse_deltas_and_usage(openai_server) -> None:
    openai_server.script = lambda body: (
        200,
        openai_server.sse(
            "Red", ", blue", " and yellow.", usage={"prompt_tokens": 7, "completion_tokens": 5}
        ),
    )

    chunks = await collect(
        backend_for(openai_server.url), temperature=0, max_tokens=9, stop=("X",), seed=3
    )

    assert [c.text for c in chunks[:-1]] == ["Red", ", blue", " and yellow."]
    assert chunks[-1] == Chunk(done=True, tokens_in=7, tokens_out=5)
    sent = openai_server.requests[0]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["headers"]["Authorization"] == "Bearer sk-test"
    assert sent["body"]["model"] == "served-model"
    assert sent["body"]["stream"] is True
    assert sent["body"]["messages"] == [{"role": "user", "content": "Which letter?"}]
    assert (sent["body"]["temperature"], sent["body"]["max_tokens"]) == (0, 9)
    assert (sent["body"]["stop"], sent["body"]["seed"]) == (["X"], 3)


@pytest.mark.asyncio
async def test_generate_without_usage_counts_deltas(openai_server) -> None:
    openai_server.script = lambda body: (200, openai_server.sse("a", "b"))

    chunks = await collect(backend_for(openai_server.url))

    assert chunks[-1] == Chunk(done=True, tokens_in=0, tokens_out=2)


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [429, 500, 503])
async def test_rate_limit_and_server_errors_are_transient(openai_server, status: int) -> None:
    openai_server.script = lambda body: (status, {"error": {"message": "slow down"}})

    with pytest.raises(TransientBackendError, match=rf"HTTP {status}: slow down"):
        await collect(backend_for(openai_server.url))


@pytest.mark.asyncio
async def test_client_error_carries_the_server_message(openai_server) -> None:
    openai_server.script = lambda body: (400, {"error": {"message": "max_tokens is too large"}})

    with pytest.raises(BackendError, match="max_tokens is too large") as raised:
        await collect(backend_for(openai_server.url))
    assert not isinstance(raised.value, TransientBackendError)


@pytest.mark.asyncio
async def test_error_inside_the_stream_is_raised(openai_server) -> None:
    openai_server.script = lambda body: (200, ['{"error": {"message": "model crashed"}}'])

    with pytest.raises(BackendError, match="model crashed"):
        await collect(backend_for(openai_server.url))


@pytest.mark.asyncio
async def test_unreachable_server_is_transient() -> None:
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    with pytest.raises(TransientBackendError, match="cannot reach"):
        await collect(backend_for(f"http://127.0.0.1:{port}/v1"))


@pytest.mark.asyncio
async def test_missing_api_key_variable_is_named(openai_server, monkeypatch) -> None:
    monkeypatch.delenv(KEY_VAR)

    with pytest.raises(BackendError, match=KEY_VAR):
        await collect(backend_for(openai_server.url))
    assert openai_server.requests == []


@pytest.mark.asyncio
async def test_entry_without_api_key_env_sends_no_authorization(openai_server) -> None:
    openai_server.script = lambda body: (200, openai_server.sse("ok"))

    await collect(backend_for(openai_server.url, api_key_env=None))

    assert "Authorization" not in openai_server.requests[0]["headers"]


def logprobs_reply(top: dict[str, float]) -> dict[str, object]:
    entries = [{"token": t, "logprob": lp} for t, lp in top.items()]
    return {"choices": [{"logprobs": {"content": [{**entries[0], "top_logprobs": entries}]}}]}


@pytest.mark.asyncio
async def test_score_renormalises_top_logprobs_over_candidates(openai_server) -> None:
    openai_server.script = lambda body: (200, logprobs_reply({"A": -0.2, " B": -2.0, "C": -3.0}))

    probs = await backend_for(openai_server.url).score(ScoreRequest("remote", QUESTION, ["A", "B"]))

    expected_a = 2.718281828**-0.2 / (2.718281828**-0.2 + 2.718281828**-2.0)
    assert probs == pytest.approx([expected_a, 1 - expected_a])
    body = openai_server.requests[0]["body"]
    assert (body["logprobs"], body["top_logprobs"], body["max_tokens"]) == (True, 20, 1)


@pytest.mark.asyncio
async def test_score_gives_absent_candidates_a_floor(openai_server) -> None:
    openai_server.script = lambda body: (200, logprobs_reply({"A": 0.0}))

    probs = await backend_for(openai_server.url).score(ScoreRequest("remote", QUESTION, ["A", "Z"]))

    assert sum(probs) == pytest.approx(1)
    assert probs[1] == pytest.approx(FLOOR_PROBABILITY, rel=1e-3)


@pytest.mark.asyncio
async def test_score_without_logprobs_support_says_so(openai_server) -> None:
    openai_server.script = lambda body: (200, {"choices": [{"message": {"content": "A"}}]})

    with pytest.raises(BackendError, match="supports logprobs"):
        await backend_for(openai_server.url).score(ScoreRequest("remote", QUESTION, ["A", "B"]))


@pytest.mark.asyncio
async def test_adapters_are_refused_for_http_models(openai_server) -> None:
    request = GenerateRequest("remote", QUESTION, adapter="math")

    with pytest.raises(BackendError, match="cannot apply adapter 'math'"):
        [c async for c in backend_for(openai_server.url).generate(request)]


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ({"finish_reason": "length"}, "length"),
        ({"finish_reason": "stop"}, "eos"),
        ({"finish_reason": "stop", "stop_reason": "X"}, "stop"),
        ({"finish_reason": "stop", "stop_reason": 2}, "eos"),  # vLLM: a stop token id
        ({"finish_reason": "content_filter"}, None),
        ({"finish_reason": None}, None),
    ],
)
def test_finish_reason_is_read_in_our_terms(choice: dict[str, object], expected: str) -> None:
    assert finish_reason_of(choice) == expected


@pytest.mark.asyncio
async def test_generate_reports_the_streamed_finish_reason(openai_server) -> None:
    final = {"choices": [{"index": 0, "delta": {}, "finish_reason": "length"}]}
    openai_server.script = lambda body: (
        200,
        [*openai_server.sse("Red")[:-1], json.dumps(final), "[DONE]"],
    )

    chunks = await collect(backend_for(openai_server.url), max_tokens=1)

    assert chunks[-1] == Chunk(done=True, tokens_in=0, tokens_out=1, finish_reason="length")
