"""ModelCache (with a stub loader, no torch), AdapterResolver and ModelStore resolution."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from graphs.runtime import BackendError
from workers.catalog import ModelEntry, default_catalog
from workers.model_cache import AdapterResolver, ModelCache
from workers.model_store import ModelStore, ResolvedModel


class StubLoader:
    """Counts loads; each load takes ``delay`` seconds and returns (model, tokenizer) strings."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.loads: list[str] = []

    def __call__(self, entry: ModelEntry, resolved: ResolvedModel) -> tuple[object, object]:
        self.loads.append(entry.key)
        time.sleep(self.delay)
        return f"model:{resolved.location}", "tokenizer"


def test_a_base_model_is_loaded_once_even_when_asked_concurrently(
    tmp_path, folder_entry: Callable[[str], ModelEntry]
) -> None:
    loader = StubLoader(delay=0.1)
    cache = ModelCache(max_models=2, loader=loader)
    entry = folder_entry("a")
    results: list[object] = []

    threads = [threading.Thread(target=lambda: results.append(cache.get(entry))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert loader.loads == ["a"]
    assert len({id(r) for r in results}) == 1
    assert cache.get(entry).model == f"model:{tmp_path / 'a'}"


def test_least_recently_used_model_is_evicted(folder_entry: Callable[[str], ModelEntry]) -> None:
    loader = StubLoader()
    cache = ModelCache(max_models=2, loader=loader)
    a, b, c = (folder_entry(k) for k in "abc")

    first_a = cache.get(a)
    first_b = cache.get(b)
    cache.get(a)  # a is now the most recently used
    cache.get(c)

    assert cache.loaded_keys() == ["a", "c"]
    assert cache.get(a) is first_a
    with pytest.raises(RuntimeError, match="shutdown"):  # b's torch thread was stopped
        first_b.executor.submit(print)
    assert cache.get(b) is not first_b
    assert loader.loads == ["a", "b", "c", "b"]


def test_max_models_comes_from_the_environment(
    monkeypatch, folder_entry: Callable[[str], ModelEntry]
) -> None:
    monkeypatch.setenv("OCTOGRAPH_MAX_MODELS", "1")
    cache = ModelCache(loader=StubLoader())

    cache.get(folder_entry("a"))
    cache.get(folder_entry("b"))

    assert cache.loaded_keys() == ["b"]


def test_failed_load_is_retried_on_the_next_request(
    folder_entry: Callable[[str], ModelEntry],
) -> None:
    calls = []

    def flaky(entry: ModelEntry, resolved: ResolvedModel) -> tuple[object, object]:
        calls.append(entry.key)
        if len(calls) == 1:
            raise BackendError("disk hiccup")
        return "model", "tokenizer"

    cache = ModelCache(loader=flaky)
    entry = folder_entry("a")

    with pytest.raises(BackendError, match="disk hiccup"):
        cache.get(entry)
    assert cache.get(entry).model == "model"


def test_unavailable_packaged_model_names_the_missing_wheels(tmp_path) -> None:
    qwen = default_catalog().get("qwen2.5-coder-0.5b-instruct")
    if qwen.available():
        pytest.skip("the Qwen wheels are installed here")

    with pytest.raises(BackendError, match="not available here: install the package"):
        ModelStore(tmp_path).resolve(qwen)


def test_local_folder_resolves_to_itself(
    tmp_path, folder_entry: Callable[[str], ModelEntry]
) -> None:
    entry = folder_entry("a")

    assert ModelStore(tmp_path / "cache").resolve(entry) == ResolvedModel(str(tmp_path / "a"))


def test_cache_folder_honours_the_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("OCTOGRAPH_CACHE_DIR", str(tmp_path))

    assert ModelStore().cache_folder("smollm2-135m-instruct") == tmp_path / "smollm2-135m-instruct"


def make_adapter(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "adapter_config.json").write_text("{}")
    return folder


def test_adapters_resolve_by_name_path_or_adapters_dir(tmp_path, monkeypatch) -> None:
    named = make_adapter(tmp_path / "named")
    by_dir = make_adapter(tmp_path / "library" / "math")
    monkeypatch.setenv("OCTOGRAPH_ADAPTERS_DIR", str(tmp_path / "library"))
    resolver = AdapterResolver(named={"router": named})

    assert resolver.resolve("router") == named
    assert resolver.resolve(str(named)) == named
    assert resolver.resolve("math") == by_dir


def test_missing_adapter_names_the_adapter_and_the_path(tmp_path) -> None:
    resolver = AdapterResolver(directory=tmp_path)

    with pytest.raises(BackendError, match=rf"adapter 'law' not found: .*{tmp_path / 'law'}"):
        resolver.resolve("law")


def test_adapter_name_without_adapters_dir_says_what_to_set(monkeypatch) -> None:
    monkeypatch.delenv("OCTOGRAPH_ADAPTERS_DIR", raising=False)

    with pytest.raises(BackendError, match="OCTOGRAPH_ADAPTERS_DIR"):
        AdapterResolver().resolve("law")


def test_packaged_adapters_are_found_after_the_adapters_dir(tmp_path, monkeypatch) -> None:
    packaged = make_adapter(tmp_path / "shipped" / "router-x")
    overridden = make_adapter(tmp_path / "library" / "both")
    make_adapter(tmp_path / "shipped" / "both")
    monkeypatch.setenv("OCTOGRAPH_ADAPTERS_DIR", str(tmp_path / "library"))
    resolver = AdapterResolver(packaged=tmp_path / "shipped")

    assert resolver.resolve("router-x") == packaged
    assert resolver.resolve("both") == overridden
