"""CLIP models behind ``ModelClient.clip``: catalog entries of kind ``clip``.

Models load lazily on their first request (``workers.clip_models.load_clip``, off the event
loop) and stay loaded, at most ``OCTOGRAPH_MAX_MODELS`` of them, least recently used evicted.
Label texts are the same on every run of a graph, so their embeddings are cached per model.
All torch work runs under one lock: torch already uses every core for one forward pass.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Sequence
from typing import Any

from graphs import model_loading
from graphs.model_loading import LoadReport
from graphs.runtime import (
    BackendError,
    Chunk,
    ClipRequest,
    ClipResult,
    GenerateRequest,
    RouteRequest,
    ScoreRequest,
    SimilarityRequest,
)
from workers import settings
from workers.catalog import Catalog
from workers.clip_models import ClipEncoder, decode_image, load_clip

TEXT_CACHE_LIMIT = 10_000


class ClipBackend:
    """``ModelClient`` for CLIP entries; only ``clip`` is served, the other calls raise
    ``BackendError`` (a CLIP model does not generate text)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._lock = threading.Lock()  # guards the caches and serialises the torch work
        self._models: OrderedDict[str, ClipEncoder] = OrderedDict()
        self._texts: dict[tuple[str, str], Any] = {}

    async def clip(self, request: ClipRequest) -> ClipResult:
        if not request.texts:
            raise BackendError("CLIP needs at least one text to compare the image with")
        entry = self.catalog.get(request.model)
        if entry.kind != "clip":
            raise BackendError(f"model {request.model!r} is a {entry.kind} model, not CLIP")
        return await asyncio.to_thread(self._compare, request)

    def _compare(self, request: ClipRequest) -> ClipResult:
        picture = decode_image(request.image)
        with self._lock:
            encoder = self._encoder(request.model)
            image = encoder.encode_image(picture)
            texts = self._text_embeddings(encoder, request.texts)
            similarities = texts @ image
            return ClipResult(
                image_embedding=tuple(float(v) for v in image),
                similarities=tuple(float(s) for s in similarities),
                logit_scale=encoder.logit_scale,
            )

    def _encoder(self, key: str) -> ClipEncoder:
        """The loaded model (lock held); loads it, evicting the least recently used, and reports
        the load to the node waiting for it (``graphs.model_loading``)."""
        encoder = self._models.get(key)
        if encoder is not None:
            self._models.move_to_end(key)
            return encoder
        started = time.perf_counter()
        model_loading.report(LoadReport(key, "loading"))
        encoder = load_clip(self.catalog.get(key))
        model_loading.report(LoadReport(key, "loaded", seconds=time.perf_counter() - started))
        while len(self._models) >= settings.max_models():
            evicted, _ = self._models.popitem(last=False)
            self._texts = {k: v for k, v in self._texts.items() if k[0] != evicted}
        self._models[key] = encoder
        return encoder

    def _text_embeddings(self, encoder: ClipEncoder, texts: Sequence[str]) -> Any:
        """[len(texts), dim] embeddings, from the cache where possible (lock held)."""
        import torch

        missing = list(dict.fromkeys(t for t in texts if (encoder.key, t) not in self._texts))
        if missing:
            if len(self._texts) + len(missing) > TEXT_CACHE_LIMIT:
                self._texts.clear()
            encoded = encoder.encode_texts(missing)
            self._texts.update(((encoder.key, t), v) for t, v in zip(missing, encoded, strict=True))
        return torch.stack([self._texts[(encoder.key, t)] for t in texts])

    def generate(self, request: GenerateRequest) -> AsyncIterator[Chunk]:
        raise _not_a_language_model(request.model)

    async def score(self, request: ScoreRequest) -> list[float]:
        raise _not_a_language_model(request.model)

    async def route(self, request: RouteRequest) -> list[float]:
        raise _not_a_language_model(request.model)

    async def similarity(self, request: SimilarityRequest) -> list[float]:
        raise _not_a_language_model(request.model)


def _not_a_language_model(model: str) -> BackendError:
    return BackendError(
        f"model {model!r} is a CLIP model: it classifies images (clip nodes, a router's "
        "image_model) and cannot answer, score or route text"
    )
