"""Process-wide cache of loaded base models, each shared by every node (and adapter) using it.

``ModelCache.get(entry)`` loads a base model once (through ``ModelStore``) and keeps at most
``OCTOGRAPH_MAX_MODELS`` of them, evicting the least recently used. LoRA adapters are attached
*to the shared base* by peft (LoRAX style: one base in memory, one small adapter per worker; a
mixed batch selects an adapter per row with ``adapter_names=[...]``, ``"__base__"`` for none).

Each ``LoadedModel`` owns one dedicated thread (``executor``) for all of its torch work: torch
already uses every core for one forward pass, so two passes at once would only fight, and peft
rewrites modules in place when an adapter is attached, which must not race a forward pass.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from graphs.runtime import BackendError
from workers import settings
from workers.catalog import ModelEntry
from workers.model_store import ModelStore, ResolvedModel, quiet_transformers

log = logging.getLogger(__name__)

BASE_ADAPTER = "__base__"
"""peft's name for "no adapter" in ``adapter_names``; also accepted as an adapter reference."""


class AdapterResolver:
    """Maps an adapter reference to the folder holding it.

    A reference is, in this order: a name in ``named``; a path (absolute, ``~``, ``.``, or
    containing a slash); or a name looked up as ``<directory>/<name>``, where ``directory``
    defaults to ``OCTOGRAPH_ADAPTERS_DIR``.
    """

    def __init__(
        self,
        named: Mapping[str, str | Path] | None = None,
        directory: str | Path | None = None,
    ) -> None:
        self._named = dict(named or {})
        self._directory = Path(directory).expanduser() if directory is not None else None

    def resolve(self, ref: str) -> Path:
        """Return the adapter folder (absolute). Raises ``BackendError`` naming the adapter and
        the path looked at when it holds no ``adapter_config.json``."""
        if ref in self._named:
            candidate = Path(self._named[ref]).expanduser()
        elif ref.startswith(("/", "~", ".")) or "/" in ref:
            candidate = Path(ref).expanduser()
        else:
            directory = self._directory or settings.adapters_dir()
            if directory is None:
                raise BackendError(
                    f"adapter {ref!r} is not a path and no adapters folder is configured "
                    "(set OCTOGRAPH_ADAPTERS_DIR or reference the adapter by its folder path)"
                )
            candidate = directory / ref
        if not (candidate / "adapter_config.json").is_file():
            raise BackendError(
                f"adapter {ref!r} not found: no adapter_config.json in {candidate.absolute()}"
            )
        return candidate.resolve()


class LoadedModel:
    """A loaded base model, its tokenizer, the adapters attached to it, and its torch thread.

    ``model`` is the transformers model until the first adapter is attached, then the
    ``PeftModel`` wrapping it. Read ``model`` and call ``adapter_name`` only on ``executor``.
    """

    def __init__(self, key: str, model: Any, tokenizer: Any) -> None:
        self.key = key
        self.model = model
        self.tokenizer = tokenizer
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"torch-{key}")
        self._adapters: dict[Path, str] = {}

    @property
    def has_adapters(self) -> bool:
        return bool(self._adapters)

    def adapter_name(self, folder: Path) -> str:
        """Attach the LoRA adapter in ``folder`` once; return its peft adapter name.

        Must run on ``executor`` (it rewrites the model's modules). Raises ``BackendError``
        naming the folder when peft cannot load it (e.g. made for another base model).
        """
        name = self._adapters.get(folder)
        if name is not None:
            return name
        name = _peft_adapter_name(folder)
        started = time.perf_counter()
        try:
            from peft import PeftModel

            if isinstance(self.model, PeftModel):
                self.model.load_adapter(str(folder), adapter_name=name)
            else:
                self.model = PeftModel.from_pretrained(self.model, str(folder), adapter_name=name)
            self.model.eval()
        except Exception as exc:
            raise BackendError(
                f"cannot attach adapter {folder} to model {self.key!r}: {type(exc).__name__}: {exc}"
            ) from exc
        self._adapters[folder] = name
        log.info(
            "attached adapter %s to %s in %.2f s", folder, self.key, time.perf_counter() - started
        )
        return name

    def close(self) -> None:
        """Stop accepting torch work; queued work still finishes, then the thread exits."""
        self.executor.shutdown(wait=False)


Loader = Callable[[ModelEntry, ResolvedModel], tuple[Any, Any]]


class ModelCache:
    """Thread-safe LRU of ``LoadedModel``s by catalog key.

    ``_lock`` guards the LRU and the in-flight loads; it is never held while a model loads, and
    concurrent ``get`` calls for the same key wait for the one load already under way.
    """

    def __init__(
        self,
        store: ModelStore | None = None,
        *,
        max_models: int | None = None,
        adapters: AdapterResolver | None = None,
        loader: Loader | None = None,
    ) -> None:
        self.store = store or ModelStore()
        self.adapters = adapters or AdapterResolver()
        self._max_models = max_models
        self._loader = loader or load_pretrained
        self._lock = threading.Lock()
        self._models: OrderedDict[str, LoadedModel] = OrderedDict()
        self._loading: dict[str, Future[LoadedModel]] = {}

    @property
    def max_models(self) -> int:
        return self._max_models if self._max_models is not None else settings.max_models()

    def get(self, entry: ModelEntry) -> LoadedModel:
        """Return the loaded model for ``entry``, loading it (blocking) if needed.

        Raises ``BackendError`` when the weights cannot be resolved or loaded; a later call
        tries again.
        """
        with self._lock:
            loaded = self._models.get(entry.key)
            if loaded is not None:
                self._models.move_to_end(entry.key)
                return loaded
            pending = self._loading.get(entry.key)
            owner = pending is None
            if pending is None:
                pending = self._loading[entry.key] = Future()
        if not owner:
            return pending.result()
        try:
            loaded = self._load(entry)
        except BaseException as exc:
            with self._lock:
                del self._loading[entry.key]
            pending.set_exception(exc)
            raise
        with self._lock:
            del self._loading[entry.key]
            self._models[entry.key] = loaded
            while len(self._models) > self.max_models:
                evicted_key, evicted = self._models.popitem(last=False)
                log.info(
                    "evicting model %s (OCTOGRAPH_MAX_MODELS=%d)", evicted_key, self.max_models
                )
                evicted.close()
        pending.set_result(loaded)
        return loaded

    def loaded_keys(self) -> list[str]:
        """Keys of the loaded models, least recently used first."""
        with self._lock:
            return list(self._models)

    def clear(self) -> None:
        """Drop every loaded model (their threads finish queued work, then exit)."""
        with self._lock:
            models = list(self._models.values())
            self._models.clear()
        for loaded in models:
            loaded.close()

    def _load(self, entry: ModelEntry) -> LoadedModel:
        started = time.perf_counter()
        resolved = self.store.resolve(entry)
        model, tokenizer = self._loader(entry, resolved)
        log.info(
            "loaded %s from %s in %.2f s",
            entry.key,
            resolved.location,
            time.perf_counter() - started,
        )
        return LoadedModel(entry.key, model, tokenizer)


def load_pretrained(entry: ModelEntry, resolved: ResolvedModel) -> tuple[Any, Any]:
    """Load (model, tokenizer) with transformers in ``OCTOGRAPH_DTYPE``, in eval mode.

    Raises ``BackendError`` naming the model and the location on failure.
    """
    dtype = settings.dtype_name()
    try:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        quiet_transformers()
        tokenizer = AutoTokenizer.from_pretrained(resolved.location, revision=resolved.revision)
        model: Any = AutoModelForCausalLM.from_pretrained(
            resolved.location, revision=resolved.revision, dtype=getattr(torch, dtype)
        )
    except Exception as exc:
        raise BackendError(
            f"cannot load model {entry.key!r} from {resolved.location}: {type(exc).__name__}: {exc}"
        ) from exc
    model.eval()
    return model, tokenizer


def _peft_adapter_name(folder: Path) -> str:
    # peft stores adapters in torch ModuleDicts, whose keys may not contain "."; the hash keeps
    # two folders with the same base name apart.
    stem = re.sub(r"[^A-Za-z0-9_]", "_", folder.name)[:40] or "adapter"
    digest = hashlib.sha1(str(folder).encode(), usedforsecurity=False).hexdigest()[:8]
    return f"{stem}_{digest}"
