"""Process-wide cache of loaded base models, each shared by every node (and adapter) using it.

``ModelCache.get(entry)`` loads a base model once (through ``ModelStore``) and keeps at most
``OCTOGRAPH_MAX_MODELS`` of them, evicting the least recently used. LoRA adapters are attached
*to the shared base* by peft (LoRAX style: one base in memory, one small adapter per worker; a
mixed batch selects an adapter per row with ``adapter_names=[...]``, ``"__base__"`` for none).

Router adapters (``functional_tokens.json`` in the folder) also carry functional tokens. All
routers of one base share the token layout of ``graphs.functional_tokens`` (``<nexa_end>`` at id
V, ``<nexa_k>`` at V + 1 + k, V = the base tokenizer's size), so attaching one adds its tokens to
the *shared* tokenizer and grows the shared embedding matrix to at least ``RESERVED_FUNCTIONAL``
rows past V (once, before peft wraps the embeddings); each adapter's trained rows for those ids
are peft token deltas selected per row like its LoRA weights. Rows of other adapters and of the
base never sample ids >= V: the decoder masks them (``LoadedModel.base_vocab``).

Each ``LoadedModel`` owns one dedicated thread (``executor``) for all of its torch work: torch
already uses every core for one forward pass, so two passes at once would only fight, and peft
rewrites modules in place when an adapter is attached, which must not race a forward pass.

Every ``get`` that has to wait for a load (the one that loads and any that join it) hears how
it goes through ``graphs.model_loading``: ``converting`` (first use of GGUF weights), ``loading``,
then ``loaded`` with the seconds it took; a late joiner first hears the latest report. A ``get``
served from the cache reports nothing.

Building models is serialised process-wide (``BUILD_LOCK``): transformers' ``from_pretrained``
swaps ``torch.nn.init``'s functions for no-ops and changes torch's default dtype *for the whole
process* while it builds a model, and restores what it saw on entry. Two builds at once (two
models loading, or a load while peft attaches an adapter or new embedding rows are made) can
leave the no-ops in place for good: every module made afterwards keeps uninitialised memory
(NaN probabilities, garbage text) until the process restarts.
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

from graphs import model_loading
from graphs.model_loading import LoadReport, Reporter
from graphs.runtime import BackendError
from workers import settings, sparse_token_rows
from workers.catalog import ModelEntry
from workers.model_store import ModelStore, ResolvedModel, quiet_transformers
from workers.routing.adapter_meta import RouterMeta, read_router_meta
from workers.routing.shipped import PACKAGED_ADAPTERS

log = logging.getLogger(__name__)

BUILD_LOCK = threading.RLock()
"""Held around everything in this process that builds torch modules from transformers or peft
(see the module docstring); loaders and trainers outside this module should hold it too."""

BASE_ADAPTER = "__base__"
"""peft's name for "no adapter" in ``adapter_names``; also accepted as an adapter reference."""

RESERVED_FUNCTIONAL = 129
"""Embedding rows reserved past the base vocabulary when the first router adapter is attached:
``<nexa_end>`` and up to 128 ``<nexa_k>``. Growing the matrix later would mean re-wrapping the
peft model, so it is grown once, generously (129 x hidden floats is nothing)."""


class AdapterResolver:
    """Maps an adapter reference to the folder holding it.

    A reference is, in this order: a name in ``named``; a path (absolute, ``~``, ``.``, or
    containing a slash); or a name looked up as ``<directory>/<name>``, where ``directory``
    defaults to ``OCTOGRAPH_ADAPTERS_DIR``, and then as ``<packaged>/<name>`` (adapters shipped
    in ``workers/adapters``).
    """

    def __init__(
        self,
        named: Mapping[str, str | Path] | None = None,
        directory: str | Path | None = None,
        packaged: str | Path | None = PACKAGED_ADAPTERS,
    ) -> None:
        self._named = dict(named or {})
        self._directory = Path(directory).expanduser() if directory is not None else None
        self._packaged = Path(packaged) if packaged is not None else None

    def resolve(self, ref: str) -> Path:
        """Return the adapter folder (absolute). Raises ``BackendError`` naming the adapter and
        every path looked at when none holds an ``adapter_config.json``."""
        hint = ""
        if ref in self._named:
            looked = [Path(self._named[ref]).expanduser()]
        elif ref.startswith(("/", "~", ".")) or "/" in ref:
            looked = [Path(ref).expanduser()]
        else:
            directory = self._directory or settings.adapters_dir()
            looked = [d / ref for d in (directory, self._packaged) if d is not None]
            if directory is None:
                hint = (
                    " (no adapters folder is configured: set OCTOGRAPH_ADAPTERS_DIR or reference "
                    "the adapter by its folder path)"
                )
        for candidate in looked:
            if (candidate / "adapter_config.json").is_file():
                return candidate.resolve()
        where = " or ".join(str(c.absolute()) for c in looked) or "no folder"
        raise BackendError(f"adapter {ref!r} not found: no adapter_config.json in {where}{hint}")


class LoadedModel:
    """A loaded base model, its tokenizer, the adapters attached to it, and its torch thread.

    ``model`` is the transformers model until the first adapter is attached, then the
    ``PeftModel`` wrapping it. Read ``model`` and call ``adapter_name`` only on ``executor``.
    """

    def __init__(self, key: str, model: Any, tokenizer: Any) -> None:
        self.key = key
        self.model = model
        self.tokenizer = tokenizer
        self.base_vocab = len(tokenizer)
        """Ids from here on are functional tokens (or reserved rows): only routers emit them."""
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"torch-{key}")
        self._adapters: dict[Path, str] = {}
        self._routers: dict[Path, RouterMeta] = {}

    @property
    def has_adapters(self) -> bool:
        return bool(self._adapters)

    @property
    def has_functional_tokens(self) -> bool:
        return bool(self._routers)

    def router_meta(self, folder: Path) -> RouterMeta | None:
        """The functional-token metadata of an attached adapter (None: a plain LoRA)."""
        return self._routers.get(folder)

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
        meta = read_router_meta(folder)
        with BUILD_LOCK:  # new embedding rows and LoRA layers are built (torch.nn.init)
            if meta is not None:
                self._add_functional_tokens(folder, meta)
            try:
                from peft import PeftModel

                if isinstance(self.model, PeftModel):
                    self.model.load_adapter(str(folder), adapter_name=name)
                else:
                    self.model = PeftModel.from_pretrained(
                        self.model, str(folder), adapter_name=name
                    )
                self.model.eval()
            except Exception as exc:
                raise BackendError(
                    f"cannot attach adapter {folder} to model {self.key!r}: "
                    f"{type(exc).__name__}: {exc}"
                ) from exc
        self._adapters[folder] = name
        if meta is not None:
            self._routers[folder] = meta
        if self._routers:
            self._share_token_layers()
        log.info(
            "attached adapter %s to %s in %.2f s", folder, self.key, time.perf_counter() - started
        )
        return name

    def _add_functional_tokens(self, folder: Path, meta: RouterMeta) -> None:
        """Extend the shared tokenizer and embedding rows for the router adapter in ``folder``.

        Raises ``BackendError`` when the adapter was trained on another tokenizer or needs more
        functional tokens than fit.
        """
        if meta.base_vocab != self.base_vocab:
            raise BackendError(
                f"router adapter {folder} was trained on a tokenizer of {meta.base_vocab} tokens, "
                f"but model {self.key!r} has {self.base_vocab}: retrain it on this model"
            )
        for name, index in sorted(meta.token_ids.items(), key=lambda item: item[1]):
            if name not in self.tokenizer.get_vocab():
                self.tokenizer.add_tokens([name], special_tokens=True)
            if self.tokenizer.convert_tokens_to_ids(name) != index:
                raise BackendError(
                    f"router adapter {folder} puts {name} at id {index}, which does not match "
                    f"the functional-token layout of model {self.key!r}: retrain it"
                )
        needed = max(meta.token_ids.values()) + 1
        rows = self.model.get_input_embeddings().weight.shape[0]
        if needed <= rows:
            return
        if needed > self.base_vocab + RESERVED_FUNCTIONAL:
            raise BackendError(
                f"router adapter {folder} needs {needed - self.base_vocab - 1} functional tokens; "
                f"at most {RESERVED_FUNCTIONAL - 1} are supported"
            )
        # Before the first router the embeddings are a plain nn.Embedding (plain LoRA adapters
        # leave them alone), so the unwrapped model can still be resized.
        inner = self.model.get_base_model() if hasattr(self.model, "get_base_model") else self.model
        inner.resize_token_embeddings(self.base_vocab + RESERVED_FUNCTIONAL, mean_resizing=False)

    def _share_token_layers(self) -> None:
        """Make every adapter known to peft's trainable-token layers (the routers' embeddings).

        peft only registers an adapter with those layers when it trains tokens, and then (a) a
        mixed batch row of any other adapter fails looking up its token indices, and (b) if the
        *active* adapter is unknown to a layer, that layer ignores ``adapter_names`` and drops
        every router's trained rows. Other adapters get the ``<nexa_end>`` row as a stand-in:
        it keeps its base value, and their rows never emit it. The layers then apply trained
        rows without copying the vocabulary matrix (``workers.sparse_token_rows``).
        """
        from peft.utils.other import TrainableTokensWrapper

        names = list(self._adapters.values())
        for module in self.model.modules():
            if isinstance(module, TrainableTokensWrapper):
                sparse_token_rows.install(module.token_adapter)
                for name in names:
                    if name not in module._adapters:
                        module.update(name, token_indices=[self.base_vocab])

    def close(self) -> None:
        """Stop accepting torch work; queued work still finishes, then the thread exits."""
        self.executor.shutdown(wait=False)


Loader = Callable[[ModelEntry, ResolvedModel], tuple[Any, Any]]


class ModelCache:
    """Thread-safe LRU of ``LoadedModel``s by catalog key.

    ``_lock`` guards the LRU, the in-flight loads and ``_handing``; it is never held while a
    model loads. Concurrent ``get`` calls for one key wait for the one load already under way
    (the first caller's), and a cached model is returned at once whatever else is loading.
    Loads of different keys run one at a time (``BUILD_LOCK``: building models in parallel
    corrupts them), but waiting for one key's load never waits for another key's waiters.

    ``_handing`` counts, per key, the ``get`` calls still on their way to return that model (its
    loader and those waiting for the load). Eviction passes over those models, so no ``get``
    ever returns a closed model; the LRU may then hold more than ``max_models`` for a moment,
    and the last such call to return evicts what is over.
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
        self._loading: dict[str, _PendingLoad] = {}
        self._handing: dict[str, int] = {}

    @property
    def max_models(self) -> int:
        return self._max_models if self._max_models is not None else settings.max_models()

    def get(self, entry: ModelEntry) -> LoadedModel:
        """Return the loaded model for ``entry``, loading it (blocking) if needed.

        Raises ``BackendError`` when the weights cannot be resolved or loaded (every caller
        waiting for that load gets the error); a later call tries again.
        """
        key = entry.key
        with self._lock:
            loaded = self._models.get(key)
            if loaded is not None:
                self._models.move_to_end(key)
                return loaded
            pending = self._loading.get(key)
            owner = pending is None
            if pending is None:
                pending = self._loading[key] = _PendingLoad()
            self._handing[key] = self._handing.get(key, 0) + 1
        try:
            pending.listen(model_loading.current_reporter())
            if not owner:
                return pending.future.result()
            try:
                with model_loading.reporting(pending.tell):
                    loaded = self._load(entry)
            except BaseException as exc:
                with self._lock:
                    del self._loading[key]
                pending.future.set_exception(exc)
                raise
            with self._lock:
                del self._loading[key]
                self._models[key] = loaded
            pending.future.set_result(loaded)
            return loaded
        finally:
            with self._lock:
                self._handing[key] -= 1
                if not self._handing[key]:
                    del self._handing[key]
                if key in self._models:  # just handed out: the most recently used
                    self._models.move_to_end(key)
                evicted = self._evict_over_capacity()
            for model in evicted:
                model.close()

    def _evict_over_capacity(self) -> list[LoadedModel]:
        """Take least recently used models out until at most ``max_models`` are left, passing
        over those being handed to a ``get``; return them for closing. Caller holds ``_lock``."""
        evicted = []
        for key in list(self._models):
            if len(self._models) <= self.max_models:
                break
            if key in self._handing:
                continue
            log.info("evicting model %s (OCTOGRAPH_MAX_MODELS=%d)", key, self.max_models)
            evicted.append(self._models.pop(key))
        return evicted

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
        """Resolve (converting if needed) and build ``entry``'s model, reporting each stage."""
        started = time.perf_counter()
        resolved = self.store.resolve(entry)
        model_loading.report(LoadReport(entry.key, "loading"))
        with BUILD_LOCK:
            model, tokenizer = self._loader(entry, resolved)
        seconds = time.perf_counter() - started
        log.info("loaded %s from %s in %.2f s", entry.key, resolved.location, seconds)
        model_loading.report(LoadReport(entry.key, "loaded", seconds=seconds))
        return LoadedModel(entry.key, model, tokenizer)


class _PendingLoad:
    """One load under way: its result, and the reporters of every ``get`` waiting for it.

    ``tell`` (a ``Reporter``, called by the loading thread) passes each report to every
    listener; a listener joining late first hears the latest report.
    """

    def __init__(self) -> None:
        self.future: Future[LoadedModel] = Future()
        self._lock = threading.Lock()
        self._listeners: list[Reporter] = []
        self._latest: LoadReport | None = None

    def listen(self, reporter: Reporter | None) -> None:
        if reporter is None:
            return
        with self._lock:
            self._listeners.append(reporter)
            latest = self._latest
        if latest is not None:
            reporter(latest)

    def tell(self, report: LoadReport) -> None:
        with self._lock:
            self._latest = report
            listeners = list(self._listeners)
        for listener in listeners:
            listener(report)


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
