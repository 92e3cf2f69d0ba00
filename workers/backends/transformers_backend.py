"""Local transformers models behind ``ModelClient``, with a batching decoder.

Concurrent ``generate`` calls for the same base model that arrive within ``batch_window_s`` of
each other are decoded together in ONE loop over a left-padded batch with a shared KV cache: on a
small CPU model one step of a batch of 4 costs about as much as one step of a single sequence,
so a Mixture-of-Agents layer of three proposers on one base takes about as long as one proposer.
Every row keeps its own sampling settings (temperature, top_p, seed, max_tokens, stop strings),
its own end-of-sequence and its own LoRA adapter (peft ``adapter_names``, ``"__base__"`` for
none), and streams its own text deltas.

Threads: all torch work of a model (prefill, decode steps, scoring, attaching adapters) runs on
that model's single ``LoadedModel.executor`` thread; the asyncio side only enqueues rows and
awaits their chunks, which the torch thread hands over with ``loop.call_soon_threadsafe``.
Batches are static: rows arriving while a batch decodes wait for the next batch.
Concurrent ``score`` and ``route`` calls are batched the same way, into ONE forward pass over
their left-padded prompts (on a 2-core CPU a batch of 8 router decisions costs about a third of
8 single ones), so parallel runs and experiments keep a router's batches full.

Functional tokens (router adapters, see ``workers.model_cache``): ``route`` reads the
probabilities of the candidates' ``<nexa_k>`` at the first answer position (one forward pass);
the reformatted query is a ``generate`` through the router adapter with ``prefix="<nexa_k>"``,
ending at ``<nexa_end>``. Ids past the base vocabulary are masked in every row except a router
row's ``<nexa_end>``, so workers never emit functional tokens.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from graphs.functional_tokens import token_name
from graphs.prompts import functional_token_messages
from graphs.runtime import (
    BackendError,
    Chunk,
    ClipRequest,
    ClipResult,
    GenerateRequest,
    GenerationParams,
    Message,
    RouteRequest,
    ScoreRequest,
    SimilarityRequest,
    TransientBackendError,
)
from workers.catalog import Catalog, ModelEntry
from workers.model_cache import BASE_ADAPTER, LoadedModel, ModelCache

log = logging.getLogger(__name__)

_T = TypeVar("_T")
_I = TypeVar("_I")


@dataclass(frozen=True)
class DecoderStats:
    """What one model's decoder has done, for tests, benchmarks and monitoring."""

    batches: int = 0
    rows: int = 0
    max_batch_size: int = 0
    recent_batch_sizes: tuple[int, ...] = ()
    tokens_out: int = 0
    decode_seconds: float = 0.0
    scoring_batches: int = 0  # forward passes of score and route jobs
    scored: int = 0  # score and route jobs in them


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
        self._lock = threading.Lock()  # guards _decoders
        self._decoders: dict[str, _Decoder] = {}

    async def generate(self, request: GenerateRequest) -> AsyncIterator[Chunk]:
        """Stream text deltas of one generation, then ``Chunk(done=True)`` with token counts.

        ``tokens_out`` counts sampled tokens, not counting the end-of-sequence token. Closing the
        iterator early (or cancelling its task) drops the row from its batch.
        """
        _check_params(request.params)
        entry = self._entry(request.model)
        adapter = self._adapter_folder(request.adapter)
        decoder = await self._decoder(entry)
        row = _Row(request, adapter, asyncio.get_running_loop())
        decoder.submit(row)
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
        decoder = await self._decoder(entry)
        return await decoder.score(request.messages, request.candidates, adapter)

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
        decoder = await self._decoder(entry)
        return await decoder.route(request.query, request.tokens, request.adapter, adapter)

    async def similarity(self, request: SimilarityRequest) -> list[float]:
        """Not served here: ``ModelRuntime`` sends embedding routing to its embedder."""
        raise BackendError("the transformers backend does not compute sentence similarities")

    async def clip(self, request: ClipRequest) -> ClipResult:
        """Not served here: CLIP models are catalog entries of kind ``clip``."""
        raise BackendError(f"model {request.model!r} is a language model, not a CLIP model")

    def stats(self, model: str) -> DecoderStats:
        """Counters of the decoder serving ``model`` (all zero before its first request)."""
        with self._lock:
            decoder = self._decoders.get(model)
        return decoder.stats() if decoder is not None else DecoderStats()

    def _entry(self, key: str) -> ModelEntry:
        entry = self.catalog.get(key)
        if entry.kind != "transformers":
            raise BackendError(f"model {key!r} is an {entry.kind} model, not a transformers one")
        return entry

    def _adapter_folder(self, adapter: str | None) -> Path | None:
        if adapter is None or adapter == BASE_ADAPTER:
            return None
        return self.cache.adapters.resolve(adapter)

    async def _decoder(self, entry: ModelEntry) -> _Decoder:
        # Loading blocks for up to tens of seconds (first GGUF conversion), so it runs off the
        # event loop; ModelCache makes concurrent callers share one load.
        loaded = await asyncio.to_thread(self.cache.get, entry)
        with self._lock:
            decoder = self._decoders.get(entry.key)
            # A model evicted and loaded again is a new LoadedModel with a new thread.
            if decoder is None or decoder.loaded is not loaded:
                decoder = _Decoder(loaded, self._window, self._max_batch)
                self._decoders[entry.key] = decoder
        return decoder


def _check_params(params: GenerationParams) -> None:
    if params.temperature < 0:
        raise BackendError(f"temperature must be >= 0, got {params.temperature}")
    if not 0 < params.top_p <= 1:
        raise BackendError(f"top_p must be in (0, 1], got {params.top_p}")
    if params.max_tokens < 0:
        raise BackendError(f"max_tokens must be >= 0, got {params.max_tokens}")


@dataclass(eq=False)
class _Row:
    """One generate request in flight: its queue of chunks (or one exception) for the caller."""

    request: GenerateRequest
    adapter: Path | None
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[Chunk | BaseException] = field(default_factory=asyncio.Queue)
    cancelled: threading.Event = field(default_factory=threading.Event)

    def emit(self, item: Chunk | BaseException) -> None:
        """Hand ``item`` to the caller's event loop; callable from any thread."""
        try:
            self.loop.call_soon_threadsafe(self.queue.put_nowait, item)
        except RuntimeError:  # the caller's loop is closed: nobody is listening any more
            self.cancelled.set()


class _BatchQueue(Generic[_I]):
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


class _Decoder:
    """Batches one loaded model's work on its torch thread: generation rows are decoded
    together (``_decode_batch``), and scoring jobs (``score``, ``route``) share one forward pass
    (``_score_batch``). ``_lock`` guards the stats counters."""

    def __init__(self, loaded: LoadedModel, window_s: float, max_batch: int) -> None:
        self.loaded = loaded
        self._lock = threading.Lock()
        self._rows: _BatchQueue[_Row] = _BatchQueue(
            loaded, window_s, max_batch, self._decode, lambda row, exc: row.emit(exc)
        )
        self._scores: _BatchQueue[_ScoreJob] = _BatchQueue(
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
        self._eos_ids = _eos_ids(loaded)

    def submit(self, row: _Row) -> None:
        """Queue ``row`` for the next batch. Raises ``TransientBackendError`` if the model was
        evicted meanwhile."""
        self._rows.submit(row)

    async def score(
        self, messages: Sequence[Message], candidates: Sequence[str], adapter: Path | None
    ) -> list[float]:
        return await self._score_job(lambda: (messages, candidates), adapter)

    async def route(
        self, query: str, tokens: Sequence[int], ref: str, adapter: Path
    ) -> list[float]:
        return await self._score_job(
            lambda: _route_prompt(self.loaded, query, tokens, ref, adapter), adapter
        )

    def stats(self) -> DecoderStats:
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

    async def _score_job(self, prepare: _ScorePrompt, adapter: Path | None) -> list[float]:
        job = _ScoreJob(prepare, adapter)
        self._scores.submit(job)
        return await asyncio.wrap_future(job.future)

    # --- on the torch thread -----------------------------------------------------------------

    def _decode(self, rows: list[_Row]) -> None:
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
        tokens = _decode_batch(self.loaded, batch, self._eos_ids)
        with self._lock:
            self._tokens_out += tokens
            self._decode_seconds += time.perf_counter() - started

    def _score(self, jobs: list[_ScoreJob]) -> None:
        with self._lock:
            self._scoring_batches += 1
            self._scored += len(jobs)
        _score_batch(self.loaded, jobs)


def _submit_job(loaded: LoadedModel, fn: Callable[..., _T], *args: Any) -> Future[_T]:
    """Run ``fn`` on ``loaded``'s torch thread. Raises ``TransientBackendError`` once the model
    was evicted (its executor shut down)."""
    try:
        return loaded.executor.submit(fn, *args)
    except RuntimeError as exc:  # executor shut down: the model was just evicted
        raise TransientBackendError(
            f"model {loaded.key!r} was unloaded to make room for another; retry"
        ) from exc


_ScorePrompt = Callable[[], tuple[Sequence[Message], Sequence[str]]]


@dataclass(eq=False)
class _ScoreJob:
    """One ``score`` or ``route`` call waiting for a scoring batch. ``prepare`` runs on the torch
    thread (it may attach the adapter) and returns the messages and candidate strings; it raises
    ``BackendError`` for a request that cannot be scored."""

    prepare: _ScorePrompt
    adapter: Path | None
    future: Future[list[float]] = field(default_factory=Future)


def _route_prompt(
    loaded: LoadedModel, query: str, tokens: Sequence[int], ref: str, adapter: Path
) -> tuple[Sequence[Message], Sequence[str]]:
    """The functional-token prompt of ``query`` (cut as the router was trained) and the names
    of the candidate ``<nexa_k>`` tokens. Raises ``BackendError`` when the adapter is not a
    router or lacks one of ``tokens``."""
    # Attaching first registers the adapter's functional tokens with the shared tokenizer.
    loaded.adapter_name(adapter)
    meta = loaded.router_meta(adapter)
    if meta is None:
        raise BackendError(
            f"adapter {ref!r} is not a functional-token router (no functional_tokens.json "
            "in it): train one with `octograph train-router GRAPH --router NODE`"
        )
    names = [token_name(k) for k in tokens]
    missing = [name for name in names if name not in meta.token_ids]
    if missing:
        raise BackendError(
            f"router adapter {ref!r} has no {', '.join(missing)}: the router's edges changed "
            "since it was trained; retrain it"
        )
    ids = loaded.tokenizer(query, add_special_tokens=False).input_ids
    if len(ids) > meta.max_query_tokens:  # as the router was trained
        query = loaded.tokenizer.decode(ids[: meta.max_query_tokens]).strip()
    return functional_token_messages(query), names


@dataclass
class _ScoreRow:
    job: _ScoreJob
    prompt: list[int]
    first_ids: list[int]


def _score_batch(loaded: LoadedModel, jobs: list[_ScoreJob]) -> None:
    """Score ``jobs`` in one forward pass over their left-padded prompts and resolve each
    job's future: the probability of each candidate's first token at the first answer position,
    renormalised over the candidates. A job that cannot be prepared fails alone; a failing
    forward pass fails the batch."""
    import torch

    rows: list[_ScoreRow] = []
    for job in jobs:
        try:
            messages, candidates = job.prepare()
            first_ids = _first_token_ids(loaded, candidates)
            rows.append(_ScoreRow(job, _prompt_ids(loaded, messages), first_ids))
        except BackendError as exc:
            job.future.set_exception(exc)
        except Exception as exc:  # anything else must still reach the caller, not hang it
            log.exception("preparing a scoring job failed for model %s", loaded.key)
            job.future.set_exception(
                BackendError(f"model {loaded.key!r} cannot score this request: {exc}")
            )
    if not rows:
        return
    try:
        input_ids, attention_mask, position_ids = _left_padded(
            [row.prompt for row in rows], _pad_id(loaded)
        )
        extra = _adapter_kwargs(loaded, [row.job.adapter for row in rows])
        with torch.inference_mode():
            out = loaded.model(
                input_ids=input_ids,
                attention_mask=attention_mask,
                position_ids=position_ids,
                logits_to_keep=1,
                use_cache=False,
                **extra,
            )
        logits = out.logits[:, -1].float()  # [batch, vocab]
    except Exception as exc:
        log.exception("scoring failed for model %s", loaded.key)
        error = BackendError(f"model {loaded.key!r} failed while scoring: {exc}")
        for row in rows:
            row.job.future.set_exception(error)
        return
    for i, row in enumerate(rows):
        # Renormalising softmax over the whole vocabulary to the candidates equals a softmax
        # over the candidates' logits.
        chosen = logits[i, torch.tensor(row.first_ids)]
        row.job.future.set_result([float(p) for p in torch.softmax(chosen, dim=-1)])


def _first_token_ids(loaded: LoadedModel, candidates: Sequence[str]) -> list[int]:
    """Each candidate's first token id. Raises ``BackendError`` for an empty candidate or two
    candidates that start with the same token."""
    seen: dict[int, str] = {}
    for candidate in candidates:
        ids = loaded.tokenizer(candidate, add_special_tokens=False).input_ids if candidate else []
        if not ids:
            raise BackendError(f"candidate {candidate!r} has no tokens")
        if ids[0] in seen:
            token = loaded.tokenizer.convert_ids_to_tokens(ids[0])
            raise BackendError(
                f"candidates {seen[ids[0]]!r} and {candidate!r} both start with token "
                f"{token!r}; scoring needs candidates whose first tokens differ"
            )
        seen[ids[0]] = candidate
    return list(seen)


def _left_padded(prompts: Sequence[list[int]], pad_id: int) -> tuple[Any, Any, Any]:
    """``input_ids``, ``attention_mask`` and ``position_ids``, each [batch, longest prompt], with
    prompts left-padded so every row's last token is at the last position. Positions count real
    tokens only, so a padded row sees the same positions as alone."""
    import torch

    batch, longest = len(prompts), max(len(p) for p in prompts)
    input_ids = torch.full((batch, longest), pad_id, dtype=torch.long)
    attention_mask = torch.zeros((batch, longest), dtype=torch.long)
    for i, prompt in enumerate(prompts):
        input_ids[i, longest - len(prompt) :] = torch.tensor(prompt)
        attention_mask[i, longest - len(prompt) :] = 1
    position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)
    return input_ids, attention_mask, position_ids


def _pad_id(loaded: LoadedModel, eos_ids: frozenset[int] = frozenset()) -> int:
    """The tokenizer's padding id, else the lowest end-of-sequence id, else 0."""
    pad_id = loaded.tokenizer.pad_token_id
    if pad_id is not None:
        return int(pad_id)
    eos = eos_ids or _eos_ids(loaded)
    return min(eos) if eos else 0


def _eos_ids(loaded: LoadedModel) -> frozenset[int]:
    """Every id that ends a turn: the tokenizer's EOS and the generation config's (int or list)."""
    ids: set[int] = set()
    candidates = [
        loaded.tokenizer.eos_token_id,
        getattr(getattr(loaded.model, "generation_config", None), "eos_token_id", None),
        getattr(loaded.model.config, "eos_token_id", None),
    ]
    for value in candidates:
        if isinstance(value, int):
            ids.add(value)
        elif isinstance(value, list | tuple):
            ids.update(v for v in value if isinstance(v, int))
    return frozenset(ids)


def _prompt_ids(loaded: LoadedModel, messages: Sequence[Message], prefix: str = "") -> list[int]:
    """Token ids of ``messages`` rendered by the model's chat template, assistant turn opened
    and started with ``prefix``."""
    tokenizer = loaded.tokenizer
    try:
        text = tokenizer.apply_chat_template(
            [m.to_dict() for m in messages], add_generation_prompt=True, tokenize=False
        )
    except Exception as exc:  # e.g. a base model without a chat template
        raise BackendError(
            f"model {loaded.key!r} cannot format a chat: {type(exc).__name__}: {exc}"
        ) from exc
    # The template already wrote the BOS/role tokens; adding special tokens would double them.
    ids: list[int] = tokenizer(text + prefix, add_special_tokens=False).input_ids
    return ids


def _adapter_kwargs(loaded: LoadedModel, adapters: Sequence[Path | None]) -> dict[str, Any]:
    """``adapter_names`` for one forward pass, attaching adapters as needed.

    Once any adapter is attached the model is a PeftModel whose *active* adapter would apply to
    every row, so base rows must say ``"__base__"`` explicitly.
    """
    names = [BASE_ADAPTER if a is None else loaded.adapter_name(a) for a in adapters]
    return {"adapter_names": names} if loaded.has_adapters else {}


class _RowState:
    """Per-row decoding state on the torch thread: sampling, counts and incremental text."""

    def __init__(
        self, row: _Row, prompt: list[int], max_new: int, tokenizer: Any, end_id: int | None
    ) -> None:
        """``end_id``: a router row's ``<nexa_end>``, the one functional token it may emit, which
        ends it like an end-of-sequence token."""
        import torch

        params = row.request.params
        self.row = row
        self.prompt = prompt
        self.max_new = max_new
        self.params = params
        seed = params.seed if params.seed is not None else secrets.randbits(63)
        self.generator = torch.Generator().manual_seed(seed)
        self.text = _IncrementalText(tokenizer, params.stop)
        self.tokens_out = 0
        self.done = max_new == 0
        self.end_id = end_id

    def finish(self) -> None:
        self.done = True
        self.row.emit(
            Chunk(
                text=self.text.flush(),
                done=True,
                tokens_in=len(self.prompt),
                tokens_out=self.tokens_out,
            )
        )


def _decode_batch(loaded: LoadedModel, rows: list[_Row], eos_ids: frozenset[int]) -> int:
    """Decode ``rows`` together; stream each row's chunks; return the tokens generated.

    Shapes: ``input_ids``/``attention_mask``/``position_ids`` are [batch, longest prompt] with
    prompts left-padded (so every row's next token is at the last position), then [batch, 1] per
    step. Failures before decoding fail only their row; a failure while decoding fails every
    unfinished row of the batch.
    """
    tokenizer = loaded.tokenizer
    max_positions = getattr(loaded.model.config, "max_position_embeddings", None)
    states: list[_RowState] = []
    adapters: list[Path | None] = []
    for row in rows:
        try:
            if row.adapter is not None:
                # Attach now so a bad adapter fails only this row (and, for a router, before its
                # functional tokens are needed to tokenize the prefix).
                loaded.adapter_name(row.adapter)
            prompt = _prompt_ids(loaded, row.request.messages, row.request.prefix)
            max_new = row.request.params.max_tokens
            if max_positions is not None:
                if len(prompt) >= max_positions:
                    raise BackendError(
                        f"prompt is {len(prompt)} tokens; model {loaded.key!r} takes at most "
                        f"{max_positions}"
                    )
                max_new = min(max_new, max_positions - len(prompt))
        except BackendError as exc:
            row.emit(exc)
            continue
        except Exception as exc:  # anything else must still reach the caller, not hang it
            log.exception("preparing a row failed for model %s", loaded.key)
            row.emit(BackendError(f"model {loaded.key!r} cannot take this request: {exc}"))
            continue
        meta = loaded.router_meta(row.adapter) if row.adapter is not None else None
        end_id = meta.end_id if meta is not None else None
        states.append(_RowState(row, prompt, max_new, tokenizer, end_id))
        adapters.append(row.adapter)
    for state in states:
        if state.done:
            state.finish()
    if all(s.done for s in states):
        return 0

    try:
        _decode_loop(loaded, states, adapters, eos_ids)
    except Exception as exc:
        log.exception("decoding failed for model %s", loaded.key)
        error = BackendError(f"model {loaded.key!r} failed while generating: {exc}")
        for state in states:
            if not state.done:
                state.done = True
                state.row.emit(error)
    return sum(s.tokens_out for s in states)


def _decode_loop(
    loaded: LoadedModel,
    states: list[_RowState],
    adapters: list[Path | None],
    eos_ids: frozenset[int],
) -> None:
    """Prefill then decode step by step until every row is done (see ``_decode_batch``)."""
    import torch

    pad_id = _pad_id(loaded, eos_ids)
    batch = len(states)
    input_ids, attention_mask, position_ids = _left_padded([s.prompt for s in states], pad_id)
    next_position = position_ids[:, -1:] + 1  # [batch, 1]
    extra = _adapter_kwargs(loaded, adapters)
    model = loaded.model
    cache = None

    with torch.inference_mode():
        while True:
            out = model(
                input_ids=input_ids,
                attention_mask=attention_mask,
                position_ids=position_ids,
                past_key_values=cache,
                use_cache=True,
                logits_to_keep=1,  # only the last position's logits: [batch, 1, vocab]
                **extra,
            )
            cache = out.past_key_values
            logits = out.logits[:, -1, :].float()  # [batch, vocab]
            if loaded.has_functional_tokens:
                _mask_functional(logits, states, loaded.base_vocab)
            greedy = logits.argmax(dim=-1).tolist()
            next_tokens: list[int] = []
            for i, state in enumerate(states):
                if state.done or state.row.cancelled.is_set():
                    state.done = True
                    next_tokens.append(pad_id)
                    continue
                token = greedy[i] if state.params.temperature == 0 else _sample(logits[i], state)
                next_tokens.append(token)
                _advance(state, token, eos_ids)
            if all(s.done for s in states):
                return
            # Finished rows keep feeding padding: rows never attend to each other, so their
            # tokens cannot change the other rows' results.
            input_ids = torch.tensor(next_tokens, dtype=torch.long).unsqueeze(1)
            ones = torch.ones((batch, 1), dtype=torch.long)
            attention_mask = torch.cat([attention_mask, ones], dim=1)
            position_ids = next_position
            next_position = next_position + 1


def _mask_functional(logits: Any, states: Sequence[_RowState], base_vocab: int) -> None:
    """In place on ``logits`` [batch, vocab]: no row may sample ids >= ``base_vocab`` (functional
    tokens, reserved rows), except a router row its ``<nexa_end>``."""
    ends = [
        (i, s.end_id, logits[i, s.end_id].item())
        for i, s in enumerate(states)
        if s.end_id is not None
    ]
    logits[:, base_vocab:] = float("-inf")
    for i, end_id, value in ends:
        logits[i, end_id] = value


def _advance(state: _RowState, token: int, eos_ids: frozenset[int]) -> None:
    """Account for one sampled token: stream its text, finish on EOS, stop string or length."""
    if token in eos_ids or token == state.end_id:
        state.finish()
        return
    state.tokens_out += 1
    delta, stopped = state.text.add(token)
    if stopped or state.tokens_out >= state.max_new:
        if delta:
            state.row.emit(Chunk(text=delta))
        state.finish()
    elif delta:
        state.row.emit(Chunk(text=delta))


def _sample(logits: Any, state: _RowState) -> int:
    """Sample one token id from ``logits`` [vocab] (float32) with temperature and top-p."""
    import torch

    probs = torch.softmax(logits / state.params.temperature, dim=-1)
    if state.params.top_p < 1:
        sorted_probs, order = torch.sort(probs, descending=True)
        # Keep the smallest prefix whose mass reaches top_p (the first token always stays).
        outside = sorted_probs.cumsum(-1) - sorted_probs >= state.params.top_p
        sorted_probs[outside] = 0
        pick = torch.multinomial(sorted_probs, 1, generator=state.generator)
        return int(order[pick])
    return int(torch.multinomial(probs, 1, generator=state.generator))


class _IncrementalText:
    """Turns a growing list of token ids into text deltas that are final.

    The whole sequence is decoded each step (a few hundred tokens at most) so that tokens which
    only make sense together (byte-fallback pieces of one UTF-8 character, merges that change
    spacing) come out right. Held back until settled: a trailing incomplete character (decoded as
    U+FFFD) and a tail that could still grow into a stop string.
    """

    def __init__(self, tokenizer: Any, stop: Sequence[str]) -> None:
        self._tokenizer = tokenizer
        self._stop = [s for s in stop if s]
        self._ids: list[int] = []
        self._text = ""
        self._emitted = 0

    def add(self, token: int) -> tuple[str, bool]:
        """Add ``token``; return (new final text, whether a stop string was reached)."""
        self._ids.append(token)
        self._text = self._tokenizer.decode(self._ids, skip_special_tokens=True)
        cut = self._stop_index()
        if cut is not None:
            self._text = self._text[:cut]
            return self._take(len(self._text)), True
        safe = len(self._text.rstrip("\ufffd"))
        safe -= self._stop_prefix_len(self._text[:safe])
        return self._take(safe), False

    def flush(self) -> str:
        """Everything not yet emitted (the generation has ended)."""
        return self._take(len(self._text))

    def _take(self, end: int) -> str:
        end = max(end, self._emitted)
        delta = self._text[self._emitted : end]
        self._emitted = end
        return delta

    def _stop_index(self) -> int | None:
        # A stop string may straddle the emitted boundary only by less than its own length.
        hits = [
            i
            for s in self._stop
            if (i := self._text.find(s, max(0, self._emitted - len(s) + 1))) >= 0
        ]
        return min(hits) if hits else None

    def _stop_prefix_len(self, text: str) -> int:
        """Length of the longest tail of ``text`` that is a proper prefix of a stop string."""
        best = 0
        for s in self._stop:
            for n in range(min(len(s) - 1, len(text)), best, -1):
                if text.endswith(s[:n]):
                    best = n
                    break
        return best
