"""Local transformers models behind ``ModelClient``: the facade over one batcher per model.

Concurrent ``generate`` calls for the same base model that arrive within ``batch_window_s`` of
each other are decoded together in ONE loop over a left-padded batch with a shared KV cache
(``transformers_decoding``): on a small CPU model one step of a batch of 4 costs about as much as
one step of a single sequence, so a Mixture-of-Agents layer of three proposers on one base takes
about as long as one proposer. Every row keeps its own sampling settings, end of sequence, LoRA
adapter (peft ``adapter_names``, ``"__base__"`` for none) and stream of text deltas. Concurrent
``score`` and ``route`` calls share one forward pass the same way (``transformers_scoring``).
``transformers_batching`` collects the batches and runs them on the model's torch thread.

Functional tokens (router adapters, see ``workers.model_cache``): ``route`` reads the
probabilities of the candidates' ``<nexa_k>`` at the first answer position (one forward pass);
the reformatted query is a ``generate`` through the router adapter with ``prefix="<nexa_k>"``,
ending at ``<nexa_end>``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from pathlib import Path

from graphs.runtime import (
    BackendError,
    Chunk,
    ClipRequest,
    ClipResult,
    GenerateRequest,
    GenerationParams,
    RouteRequest,
    ScoreRequest,
    SimilarityRequest,
)
from workers.backends.transformers_batching import DecoderStats, ModelBatcher
from workers.backends.transformers_decoding import GenerateRow
from workers.catalog import Catalog, ModelEntry
from workers.model_cache import BASE_ADAPTER, ModelCache


class TransformersBackend:
    """``ModelClient`` for catalog entries of kind ``transformers``.

    ``generate`` and ``score`` raise ``UnknownModelError`` for keys missing from the catalog and
    ``BackendError`` for bad requests, missing weights or adapters, and model failures.
    """

    def __init__(
        self,
        catalog: Catalog,
        cache: ModelCache | None = None,
        *,
        batch_window_s: float = 0.015,
        max_batch_size: int = 8,
    ) -> None:
        if batch_window_s < 0 or max_batch_size < 1:
            raise ValueError("batch_window_s must be >= 0 and max_batch_size >= 1")
        self.catalog = catalog
        self.cache = cache or ModelCache()
        self._window = batch_window_s
        self._max_batch = max_batch_size
        self._lock = threading.Lock()  # guards _batchers
        self._batchers: dict[str, ModelBatcher] = {}

    async def generate(self, request: GenerateRequest) -> AsyncIterator[Chunk]:
        """Stream text deltas of one generation, then ``Chunk(done=True)`` with token counts.

        ``tokens_out`` counts sampled tokens, not counting the end-of-sequence token. Closing the
        iterator early (or cancelling its task) drops the row from its batch.
        """
        _check_params(request.params)
        entry = self._entry(request.model)
        adapter = self._adapter_folder(request.adapter)
        batcher = await self._batcher(entry)
        row = GenerateRow(request, adapter, asyncio.get_running_loop())
        batcher.submit(row)
        try:
            while True:
                item = await row.queue.get()
                if isinstance(item, BaseException):
                    raise item
                yield item
                if item.done:
                    return
        finally:
            row.cancelled.set()

    async def score(self, request: ScoreRequest) -> list[float]:
        """Probability of each candidate's first token right after the opened assistant turn,
        renormalised over the candidates; one forward pass.

        Each candidate is tokenized on its own, without a leading space, because that is how the
        first token of an assistant reply is generated right after the generation prompt ("A",
        not " A"). Raises ``BackendError`` for an empty candidate list or candidate, or for two
        candidates whose first token is the same.
        """
        if not request.candidates:
            raise BackendError("score needs at least one candidate")
        entry = self._entry(request.model)
        adapter = self._adapter_folder(request.adapter)
        batcher = await self._batcher(entry)
        return await batcher.score(request.messages, request.candidates, adapter)

    async def route(self, request: RouteRequest) -> list[float]:
        """Probability of each candidate ``<nexa_k>`` as the router adapter's first answer token,
        renormalised over the candidates; one forward pass.

        Raises ``BackendError`` when the adapter is missing, is not a router adapter, or has no
        functional token for one of ``request.tokens``.
        """
        if not request.tokens:
            raise BackendError("route needs at least one candidate token")
        entry = self._entry(request.model)
        adapter = self.cache.adapters.resolve(request.adapter)
        batcher = await self._batcher(entry)
        return await batcher.route(request.query, request.tokens, request.adapter, adapter)

    async def similarity(self, request: SimilarityRequest) -> list[float]:
        """Not served here: ``ModelRuntime`` sends embedding routing to its embedder."""
        raise BackendError("the transformers backend does not compute sentence similarities")

    async def clip(self, request: ClipRequest) -> ClipResult:
        """Not served here: CLIP models are catalog entries of kind ``clip``."""
        raise BackendError(f"model {request.model!r} is a language model, not a CLIP model")

    def stats(self, model: str) -> DecoderStats:
        """Counters of the batcher serving ``model`` (all zero before its first request)."""
        with self._lock:
            batcher = self._batchers.get(model)
        return batcher.stats() if batcher is not None else DecoderStats()

    def _entry(self, key: str) -> ModelEntry:
        entry = self.catalog.get(key)
        if entry.kind != "transformers":
            raise BackendError(f"model {key!r} is an {entry.kind} model, not a transformers one")
        return entry

    def _adapter_folder(self, adapter: str | None) -> Path | None:
        if adapter is None or adapter == BASE_ADAPTER:
            return None
        return self.cache.adapters.resolve(adapter)

    async def _batcher(self, entry: ModelEntry) -> ModelBatcher:
        # Loading blocks for up to tens of seconds (first GGUF conversion), so it runs off the
        # event loop; ModelCache makes concurrent callers share one load.
        loaded = await asyncio.to_thread(self.cache.get, entry)
        with self._lock:
            batcher = self._batchers.get(entry.key)
            # A model evicted and loaded again is a new LoadedModel with a new thread.
            if batcher is None or batcher.loaded is not loaded:
                batcher = ModelBatcher(loaded, self._window, self._max_batch)
                self._batchers[entry.key] = batcher
        return batcher


def _check_params(params: GenerationParams) -> None:
    if params.temperature < 0:
        raise BackendError(f"temperature must be >= 0, got {params.temperature}")
    if not 0 < params.top_p <= 1:
        raise BackendError(f"top_p must be in (0, 1], got {params.top_p}")
    if params.max_tokens < 0:
        raise BackendError(f"max_tokens must be >= 0, got {params.max_tokens}")
