"""ModelRuntime: dispatch on the entry's kind, unknown keys, early close, lazy backends."""

from __future__ import annotations

import pytest

from graphs.runtime import GenerateRequest, Message, ScoreRequest, UnknownModelError
from workers.backends.fake import FakeBackend
from workers.backends.openai_backend import OpenAIBackend
from workers.catalog import Catalog, LocalFolder, ModelEntry
from workers.runtime import ModelRuntime

ASK = [Message("user", "hello there")]
LOCAL = ModelEntry("local", "Local", "llama", "transformers", source=LocalFolder("/nowhere"))
REMOTE = ModelEntry(
    "remote", "Remote", "gpt", "openai", base_url="http://127.0.0.1:9/v1", model_name="x"
)


def runtime_with_fakes() -> tuple[ModelRuntime, FakeBackend, FakeBackend]:
    local, remote = FakeBackend(reply=lambda r: "local says hi"), FakeBackend()
    runtime = ModelRuntime(
        Catalog([LOCAL, REMOTE]), backends={"transformers": local, "openai": remote}
    )
    return runtime, local, remote


@pytest.mark.asyncio
async def test_requests_go_to_the_backend_of_their_kind() -> None:
    runtime, local, remote = runtime_with_fakes()

    chunks = [c async for c in runtime.generate(GenerateRequest("local", ASK))]
    await runtime.score(ScoreRequest("remote", ASK, ["a", "b"]))

    assert "".join(c.text for c in chunks) == "local says hi"
    assert [r.model for r in local.calls] == ["local"]
    assert [r.model for r in remote.calls] == ["remote"]


@pytest.mark.asyncio
async def test_unknown_model_is_refused_before_any_backend() -> None:
    runtime, local, remote = runtime_with_fakes()

    with pytest.raises(UnknownModelError, match="'ghost'"):
        [c async for c in runtime.generate(GenerateRequest("ghost", ASK))]
    with pytest.raises(UnknownModelError):
        await runtime.score(ScoreRequest("ghost", ASK, ["a"]))
    assert local.calls == remote.calls == []


@pytest.mark.asyncio
async def test_closing_the_stream_early_closes_the_backend_stream() -> None:
    runtime, local, _ = runtime_with_fakes()
    stream = runtime.generate(GenerateRequest("local", ASK))

    await anext(stream)
    await stream.aclose()

    assert local.in_flight == 0


def test_default_backends_are_created_lazily_per_kind() -> None:
    runtime = ModelRuntime(Catalog([LOCAL, REMOTE]))

    assert isinstance(runtime.backend_for("remote"), OpenAIBackend)
    assert runtime.backend_for("remote") is runtime.backend_for("remote")
