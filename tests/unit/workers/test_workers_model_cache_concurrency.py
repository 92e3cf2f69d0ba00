"""ModelCache under concurrent first requests (stub loaders, no torch): one load per key, builds
one at a time, cached models never wait for a load, and no caller is handed a closed model."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest

from workers import model_cache
from workers.catalog import ModelEntry
from workers.model_cache import LoadedModel, ModelCache
from workers.model_store import ResolvedModel

THREADS = 16


class SlowLoader:
    """Records every load and how many ran at once; each takes ``delay`` s, or waits for
    ``gates[key]`` when there is one."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.gates: dict[str, threading.Event] = {}
        self.loads: list[str] = []
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def __call__(self, entry: ModelEntry, resolved: ResolvedModel) -> tuple[object, object]:
        with self._lock:
            self.loads.append(entry.key)
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            gate = self.gates.get(entry.key)
            if gate is not None:
                assert gate.wait(10), f"gate of {entry.key} never opened"
            time.sleep(self.delay)
            return object(), "tokenizer"
        finally:
            with self._lock:
                self.running -= 1


def is_open(loaded: LoadedModel) -> bool:
    try:
        loaded.executor.submit(lambda: None).result(5)
    except RuntimeError:  # "cannot schedule new futures after shutdown": evicted and closed
        return False
    return True


def test_concurrent_first_requests_share_one_slow_load(
    folder_entry: Callable[[str], ModelEntry],
) -> None:
    loader = SlowLoader(delay=0.3)
    cache = ModelCache(max_models=2, loader=loader)
    entry = folder_entry("a")
    start = threading.Barrier(THREADS)

    def get() -> LoadedModel:
        start.wait()
        return cache.get(entry)

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(lambda _: get(), range(THREADS)))

    assert loader.loads == ["a"]
    assert len({id(loaded) for loaded in results}) == 1
    assert is_open(results[0])
    assert cache.get(entry) is results[0]


def test_a_failed_load_fails_every_caller_waiting_for_it_and_is_tried_again(
    folder_entry: Callable[[str], ModelEntry],
) -> None:
    calls: list[str] = []
    gate = threading.Event()

    def flaky(entry: ModelEntry, resolved: ResolvedModel) -> tuple[object, object]:
        calls.append(entry.key)
        if len(calls) == 1:
            gate.wait(10)
            raise OSError("disk hiccup")
        return object(), "tokenizer"

    cache = ModelCache(loader=flaky)
    entry = folder_entry("a")
    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(cache.get, entry) for _ in range(4)]
        time.sleep(0.2)  # every caller is waiting for the first load
        gate.set()
        errors = [future.exception(10) for future in futures]

    assert all(isinstance(error, OSError) for error in errors)
    assert calls == ["a"]
    assert is_open(cache.get(entry))
    assert calls == ["a", "a"]


def test_a_cached_model_is_returned_while_another_one_loads(
    folder_entry: Callable[[str], ModelEntry],
) -> None:
    loader = SlowLoader()
    cache = ModelCache(max_models=3, loader=loader)
    a, b = folder_entry("a"), folder_entry("b")
    first_a = cache.get(a)
    loader.gates["b"] = threading.Event()

    with ThreadPoolExecutor(1) as pool:
        loading_b = pool.submit(cache.get, b)
        time.sleep(0.1)  # b's load has begun and is stuck at its gate
        began = time.perf_counter()
        again_a = cache.get(a)
        waited = time.perf_counter() - began
        loader.gates["b"].set()
        loading_b.result(10)

    assert again_a is first_a
    assert waited < 0.05
    assert loader.loads == ["a", "b"]


def test_models_of_different_keys_are_built_one_at_a_time(
    folder_entry: Callable[[str], ModelEntry],
) -> None:
    # transformers patches torch.nn.init process-wide while it builds a model: two builds at
    # once can leave it patched (uninitialised weights, NaN) for every later model.
    loader = SlowLoader(delay=0.2)
    cache = ModelCache(max_models=4, loader=loader)
    entries = [folder_entry(key) for key in "abcd"]

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(cache.get, entries))

    assert sorted(loader.loads) == ["a", "b", "c", "d"]
    assert loader.most_at_once == 1
    assert [loaded.key for loaded in results] == ["a", "b", "c", "d"]


def test_eviction_passes_over_a_model_still_being_handed_to_a_caller(
    monkeypatch: pytest.MonkeyPatch, folder_entry: Callable[[str], ModelEntry]
) -> None:
    """With room for one model, b is loaded while a caller waiting for a's load has the result
    but has not yet returned: a must not be closed under it. Once every caller has returned,
    the cache is back to one model, the most recently handed one."""
    handing_back = threading.Event()
    woken = threading.Event()

    class SlowHandoff(Future[Any]):
        """A waiter on this load pauses between getting the model and returning it."""

        def result(self, timeout: float | None = None) -> Any:
            value = super().result(timeout)
            if threading.current_thread().name.startswith("waiter"):
                woken.set()
                assert handing_back.wait(10)
            return value

    monkeypatch.setattr(model_cache, "Future", SlowHandoff)
    loader = SlowLoader()
    loader.gates["a"] = threading.Event()
    cache = ModelCache(max_models=1, loader=loader)
    a, b = folder_entry("a"), folder_entry("b")
    got: dict[str, LoadedModel] = {}
    owner = threading.Thread(target=lambda: got.update(owner=cache.get(a)), name="owner")
    waiter = threading.Thread(target=lambda: got.update(waiter=cache.get(a)), name="waiter")
    owner.start()
    time.sleep(0.1)
    waiter.start()
    time.sleep(0.1)  # the waiter waits for the owner's load of a
    loader.gates["a"].set()
    assert woken.wait(10)
    owner.join(10)

    loaded_b = cache.get(b)  # over capacity: a would be the one to go, but is being handed
    a_open_while_handed = is_open(got["owner"])
    handing_back.set()
    waiter.join(10)

    assert a_open_while_handed
    assert got["waiter"] is got["owner"]
    assert cache.loaded_keys() == ["a"]  # handed last, so used last
    assert not is_open(loaded_b)
