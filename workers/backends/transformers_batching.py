"""Batching of one loaded transformers model's work on its single torch thread.

Concurrent ``generate`` calls that arrive within ``window_s`` of each other are decoded together
(``transformers_decoding``); concurrent ``score`` and ``route`` calls likewise share one forward
pass (``transformers_scoring``). Batches are static: work arriving while a batch runs waits for
the next batch. The asyncio side only enqueues work and awaits it; all torch work runs on the
model's ``LoadedModel.executor`` thread.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from graphs.runtime import Message, TransientBackendError
from workers.backends.transformers_decoding import GenerateRow, decode_batch
from workers.backends.transformers_inputs import end_of_sequence_ids
from workers.backends.transformers_scoring import ScoreJob, ScorePrompt, route_prompt, score_batch
from workers.model_cache import LoadedModel

_T = TypeVar("_T")
_I = TypeVar("_I")


@dataclass(frozen=True)
class DecoderStats:
    """What one model's batcher has done, for tests, benchmarks and monitoring."""

    batches: int = 0
    rows: int = 0
    max_batch_size: int = 0
    recent_batch_sizes: tuple[int, ...] = ()
    tokens_out: int = 0
    decode_seconds: float = 0.0
    scoring_batches: int = 0  # forward passes of score and route jobs
    scored: int = 0  # score and route jobs in them


class BatchQueue(Generic[_I]):
    """Items for one model's torch thread, handed to ``run`` in batches of at most ``max_batch``.

    A batch is collected for ``window_s`` after its first item arrives; items arriving while a
    batch runs form the next one. At most one flush job is queued on the model's executor at a
    time; ``_lock`` guards ``_pending``, ``_first_arrival`` and ``_flush_scheduled``. ``fail``
    hands an item the error that keeps it from ever running (the model was evicted).
    """

    def __init__(
        self,
        loaded: LoadedModel,
        window_s: float,
        max_batch: int,
        run: Callable[[list[_I]], None],
        fail: Callable[[_I, BaseException], None],
    ) -> None:
        self._loaded = loaded
        self._window = window_s
        self._max_batch = max_batch
        self._run = run
        self._fail = fail
        self._lock = threading.Lock()
        self._pending: list[_I] = []
        self._first_arrival = 0.0
        self._flush_scheduled = False

    def submit(self, item: _I) -> None:
        """Queue ``item`` for the next batch. Raises ``TransientBackendError`` if the model was
        evicted meanwhile."""
        with self._lock:
            if not self._flush_scheduled:
                self._first_arrival = time.monotonic()
                self._schedule_flush()
            self._pending.append(item)

    def _schedule_flush(self) -> None:
        # Called with _lock held.
        _submit_job(self._loaded, self._flush)
        self._flush_scheduled = True

    def _flush(self) -> None:
        """On the torch thread: wait out the window, take up to ``max_batch`` items, run them."""
        with self._lock:
            delay = self._first_arrival + self._window - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        with self._lock:
            batch = self._pending[: self._max_batch]
            del self._pending[: self._max_batch]
            self._flush_scheduled = False
            if self._pending:
                # More items than fit in one batch: they form the next batch right after this.
                self._first_arrival = time.monotonic()
                try:
                    self._schedule_flush()
                except TransientBackendError as exc:  # evicted meanwhile: nobody would run them
                    for item in self._pending:
                        self._fail(item, exc)
                    self._pending.clear()
        if batch:
            self._run(batch)


class ModelBatcher:
    """Batches one loaded model's work on its torch thread: generation rows are decoded
    together (``decode_batch``), and scoring jobs (``score``, ``route``) share one forward pass
    (``score_batch``). ``_lock`` guards the stats counters."""

    def __init__(self, loaded: LoadedModel, window_s: float, max_batch: int) -> None:
        self.loaded = loaded
        self._lock = threading.Lock()
        self._rows: BatchQueue[GenerateRow] = BatchQueue(
            loaded, window_s, max_batch, self._decode, lambda row, exc: row.emit(exc)
        )
        self._scores: BatchQueue[ScoreJob] = BatchQueue(
            loaded, window_s, max_batch, self._score, lambda job, exc: job.future.set_exception(exc)
        )
        self._batches = 0
        self._rows_decoded = 0
        self._max_size = 0
        self._recent: deque[int] = deque(maxlen=100)
        self._tokens_out = 0
        self._decode_seconds = 0.0
        self._scoring_batches = 0
        self._scored = 0
        self._eos_ids = end_of_sequence_ids(loaded)

    def submit(self, row: GenerateRow) -> None:
        """Queue ``row`` for the next batch. Raises ``TransientBackendError`` if the model was
        evicted meanwhile."""
        self._rows.submit(row)

    async def score(
        self, messages: Sequence[Message], candidates: Sequence[str], adapter: Path | None
    ) -> list[float]:
        """``score_batch``'s probabilities of ``candidates`` after ``messages``, through
        ``adapter`` (None: the base model). Raises ``BackendError``."""
        return await self._score_job(lambda: (messages, candidates), adapter)

    async def route(
        self, query: str, tokens: Sequence[int], ref: str, adapter: Path
    ) -> list[float]:
        """The router adapter's probabilities of ``tokens`` for ``query`` (``route_prompt``;
        ``ref`` names the adapter in errors). Raises ``BackendError``."""
        return await self._score_job(
            lambda: route_prompt(self.loaded, query, tokens, ref, adapter), adapter
        )

    def stats(self) -> DecoderStats:
        """A snapshot of the counters."""
        with self._lock:
            return DecoderStats(
                batches=self._batches,
                rows=self._rows_decoded,
                max_batch_size=self._max_size,
                recent_batch_sizes=tuple(self._recent),
                tokens_out=self._tokens_out,
                decode_seconds=self._decode_seconds,
                scoring_batches=self._scoring_batches,
                scored=self._scored,
            )

    async def _score_job(self, prepare: ScorePrompt, adapter: Path | None) -> list[float]:
        job = ScoreJob(prepare, adapter)
        self._scores.submit(job)
        return await asyncio.wrap_future(job.future)

    # --- on the torch thread -----------------------------------------------------------------

    def _decode(self, rows: list[GenerateRow]) -> None:
        batch = [row for row in rows if not row.cancelled.is_set()]
        if not batch:
            return
        # Counted before decoding: callers may read the stats as soon as their last chunk came.
        with self._lock:
            self._batches += 1
            self._rows_decoded += len(batch)
            self._max_size = max(self._max_size, len(batch))
            self._recent.append(len(batch))
        started = time.perf_counter()
        tokens = decode_batch(self.loaded, batch, self._eos_ids)
        with self._lock:
            self._tokens_out += tokens
            self._decode_seconds += time.perf_counter() - started

    def _score(self, jobs: list[ScoreJob]) -> None:
        with self._lock:
            self._scoring_batches += 1
            self._scored += len(jobs)
        score_batch(self.loaded, jobs)


def _submit_job(loaded: LoadedModel, fn: Callable[..., _T], *args: Any) -> Future[_T]:
    """Run ``fn`` on ``loaded``'s torch thread. Raises ``TransientBackendError`` once the model
    was evicted (its executor shut down)."""
    try:
        return loaded.executor.submit(fn, *args)
    except RuntimeError as exc:  # executor shut down: the model was just evicted
        raise TransientBackendError(
            f"model {loaded.key!r} was unloaded to make room for another; retry"
        ) from exc
