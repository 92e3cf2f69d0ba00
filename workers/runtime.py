"""``ModelRuntime``: the ``ModelClient`` the drivers inject, dispatching on the catalog.

Each request's ``model`` key is looked up in the catalog and handed to the backend for that
entry's kind. Backends are created lazily (on the first request of their kind), so building a
runtime imports neither torch nor httpx.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Protocol

from graphs.runtime import (
    BackendError,
    Chunk,
    ClipRequest,
    ClipResult,
    GenerateRequest,
    ModelClient,
    RouteRequest,
    ScoreRequest,
    SimilarityRequest,
)
from workers.catalog import Catalog, ModelKind, default_catalog


class Embedder(Protocol):
    """The part of ``ModelClient`` that embedding routing needs."""

    async def similarity(self, request: SimilarityRequest) -> list[float]: ...


class ModelRuntime:
    """Dispatches ``generate``/``score``/``route``/``clip`` to the backend of each model's kind, and
    ``similarity`` to the sentence-embedding scorer (``workers.routing.embedding_router``).

    Raises ``UnknownModelError`` for keys missing from the catalog, and whatever the backend
    raises otherwise (``BackendError`` and subclasses).
    """

    def __init__(
        self,
        catalog: Catalog | None = None,
        backends: Mapping[ModelKind, ModelClient] | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        """``backends`` overrides the backend per kind; missing kinds get the default one.
        ``embedder`` answers ``similarity`` (default: ``EmbeddingScorer``, created on first use)."""
        self.catalog = catalog if catalog is not None else default_catalog()
        self._backends: dict[ModelKind, ModelClient] = dict(backends or {})
        self._embedder = embedder

    async def generate(self, request: GenerateRequest) -> AsyncIterator[Chunk]:
        """Stream the chunks of the backend serving ``request.model``."""
        stream = self.backend_for(request.model).generate(request)
        try:
            async for chunk in stream:
                yield chunk
        finally:
            # When our caller stops early, close the backend's stream now (so a batched row
            # leaves its batch) rather than whenever it is garbage collected. The protocol only
            # promises an AsyncIterator, so aclose is optional.
            aclose = getattr(stream, "aclose", None)
            if aclose is not None:
                await aclose()

    async def score(self, request: ScoreRequest) -> list[float]:
        """Candidate probabilities from the backend serving ``request.model``."""
        return await self.backend_for(request.model).score(request)

    async def route(self, request: RouteRequest) -> list[float]:
        """Functional-token probabilities from the backend serving ``request.model``."""
        return await self.backend_for(request.model).route(request)

    async def similarity(self, request: SimilarityRequest) -> list[float]:
        """Query-to-candidate cosine similarities from the sentence-embedding scorer."""
        if self._embedder is None:
            from workers.routing.embedding_router import EmbeddingScorer

            self._embedder = EmbeddingScorer()
        return await self._embedder.similarity(request)

    async def clip(self, request: ClipRequest) -> ClipResult:
        """Image embedding and image-text similarities from the CLIP model ``request.model``."""
        return await self.backend_for(request.model).clip(request)

    def backend_for(self, model: str) -> ModelClient:
        """The backend serving ``model``, created on first use of its kind."""
        kind = self.catalog.get(model).kind
        backend = self._backends.get(kind)
        if backend is None:
            backend = self._backends[kind] = self._default_backend(kind)
        return backend

    def _default_backend(self, kind: ModelKind) -> ModelClient:
        if kind == "transformers":
            from workers.backends.transformers_backend import TransformersBackend

            return TransformersBackend(self.catalog)
        if kind == "openai":
            from workers.backends.openai_backend import OpenAIBackend

            return OpenAIBackend(self.catalog)
        if kind == "clip":
            from workers.backends.clip_backend import ClipBackend

            return ClipBackend(self.catalog)
        raise BackendError(f"no backend for models of kind {kind!r}")
