"""Model hosts report a first load (graphs.model_loading): the cache, the store's conversion,
and the fake backend's simulated load. Stub loaders, no torch."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from graphs import model_loading
from graphs.model_loading import LoadReport
from graphs.runtime import GenerateRequest, Message
from tests.unit.workers.test_workers_model_cache import StubLoader
from workers.backends.fake import LOAD_STEPS, FakeBackend
from workers.catalog import LocalGGUF, ModelEntry
from workers.model_cache import ModelCache
from workers.model_store import ModelStore, ResolvedModel


class Heard:
    """A reporter that keeps what it hears, from any thread."""

    def __init__(self) -> None:
        self.reports: list[LoadReport] = []
        self._lock = threading.Lock()

    def __call__(self, report: LoadReport) -> None:
        with self._lock:
            self.reports.append(report)

    @property
    def stages(self) -> list[str]:
        return [r.stage for r in self.reports]


def test_a_first_load_reports_loading_then_loaded_with_its_seconds(
    folder_entry: Callable[[str], ModelEntry],
) -> None:
    cache = ModelCache(max_models=2, loader=StubLoader(delay=0.05))
    heard = Heard()

    with model_loading.reporting(heard):
        cache.get(folder_entry("a"))

    assert heard.stages == ["loading", "loaded"]
    assert {r.model for r in heard.reports} == {"a"}
    seconds = heard.reports[-1].seconds
    assert seconds is not None
    assert seconds >= 0.05


def test_a_cached_model_reports_nothing(folder_entry: Callable[[str], ModelEntry]) -> None:
    cache = ModelCache(max_models=2, loader=StubLoader())
    entry = folder_entry("a")
    cache.get(entry)
    heard = Heard()

    with model_loading.reporting(heard):
        cache.get(entry)

    assert heard.reports == []


def test_a_load_outside_any_node_reports_to_nobody(
    folder_entry: Callable[[str], ModelEntry],
) -> None:
    cache = ModelCache(max_models=2, loader=StubLoader())

    assert cache.get(folder_entry("a")).key == "a"


def test_a_get_joining_a_load_under_way_hears_it_too(
    folder_entry: Callable[[str], ModelEntry],
) -> None:
    started = threading.Event()

    class SlowLoader(StubLoader):
        def __call__(self, entry: ModelEntry, resolved: ResolvedModel) -> tuple[object, object]:
            started.set()
            return super().__call__(entry, resolved)

    cache = ModelCache(max_models=2, loader=SlowLoader(delay=0.2))
    entry = folder_entry("a")
    first, second = Heard(), Heard()

    def get(heard: Heard) -> None:
        with model_loading.reporting(heard):
            cache.get(entry)

    owner = threading.Thread(target=get, args=(first,))
    owner.start()
    assert started.wait(5)
    joiner = threading.Thread(target=get, args=(second,))
    joiner.start()
    owner.join()
    joiner.join()

    assert first.stages == ["loading", "loaded"]
    # It joined after the load began: it hears the latest report first, then the end.
    assert second.stages == ["loading", "loaded"]
    assert second.reports[-1] == first.reports[-1]


def test_a_gguf_conversion_reports_converting_before_loading(tmp_path, monkeypatch) -> None:
    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"GGUF")
    entry = ModelEntry("g", "g", "stub", "transformers", source=LocalGGUF(str(gguf)))

    def convert(entry: ModelEntry, staging: Path, out: Path) -> None:
        out.mkdir()

    monkeypatch.setattr("workers.model_store._convert", convert)
    store = ModelStore(tmp_path / "cache")
    heard = Heard()

    with model_loading.reporting(heard):
        ModelCache(store, max_models=2, loader=StubLoader()).get(entry)
    assert heard.stages == ["converting", "loading", "loaded"]

    again = Heard()
    with model_loading.reporting(again):
        ModelCache(store, max_models=2, loader=StubLoader()).get(entry)
    assert again.stages == ["loading", "loaded"]  # converted once, loaded by each process


def ask(model: str) -> GenerateRequest:
    return GenerateRequest(model, [Message("user", "hi")])


async def test_the_fake_backend_simulates_a_first_load_with_progress() -> None:
    backend = FakeBackend(load_s={"slow": 0.2})
    heard = Heard()

    with model_loading.reporting(heard):
        started = time.perf_counter()
        chunks = [c async for c in backend.generate(ask("slow"))]
        took = time.perf_counter() - started
        assert chunks[-1].done
        again = [c async for c in backend.generate(ask("slow"))]
        assert again[-1].done
        [c async for c in backend.generate(ask("quick"))]

    assert took >= 0.2
    loading = [r for r in heard.reports if r.stage == "loading"]
    assert len(loading) == LOAD_STEPS
    progress = [r.progress for r in loading]
    assert None not in progress
    assert progress == sorted(progress)
    assert progress[0] == 0
    assert heard.reports[-1] == LoadReport("slow", "loaded", seconds=0.2)


async def test_the_fake_backend_loads_nothing_by_default() -> None:
    heard = Heard()
    with model_loading.reporting(heard):
        [c async for c in FakeBackend().generate(ask("m"))]
    assert heard.reports == []


@pytest.mark.parametrize(
    ("stage", "progress", "seconds", "problem"),
    [
        ("loading", 1.5, None, "progress must be in"),
        ("loading", None, 2.0, "seconds comes with"),
        ("loaded", None, None, "seconds comes with"),
    ],
)
def test_a_report_that_does_not_fit_its_stage_is_refused(stage, progress, seconds, problem) -> None:
    with pytest.raises(ValueError, match=problem):
        LoadReport("m", stage, progress=progress, seconds=seconds)
