"""A deterministic ``ModelClient`` for tests and benchmarks ONLY; it serves no real model.

``FakeBackend`` answers instantly (or after a configured latency) with text derived from the
request, streams it word by word, scores candidates predictably, and can be told to fail a number
of times with ``TransientBackendError`` (retry tests), to hang forever (timeout tests), or to take
a while loading a model the first time it is used, reporting it as a real host does
(``graphs.model_loading``; model-loading tests).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import time
from collections.abc import AsyncIterator, Callable, Collection, Mapping, Sequence

from graphs import model_loading
from graphs.model_loading import LoadReport
from graphs.runtime import (
    BackendError,
    Chunk,
    ClipRequest,
    ClipResult,
    FinishReason,
    GenerateRequest,
    RouteRequest,
    ScoreRequest,
    SimilarityRequest,
    TransientBackendError,
    UnknownModelError,
)

ReplyFn = Callable[[GenerateRequest], str]
ScoreFn = Callable[[ScoreRequest], Sequence[float]]
RouteFn = Callable[[RouteRequest], Sequence[float]]
ClipFn = Callable[[ClipRequest], Sequence[float]]

REPLY_WORDS = 8
"""How many words of the last user message the default reply repeats."""

LOAD_STEPS = 4
"""How many ``loading`` reports (progress 0, 1/4, 2/4, 3/4) a simulated load makes."""


def default_reply(request: GenerateRequest) -> str:
    """``"<model>: <first words of the last user message>"`` (``model/adapter`` with one)."""
    label = f"{request.model}/{request.adapter}" if request.adapter else request.model
    last_user = next((m.content for m in reversed(request.messages) if m.role == "user"), "")
    words = last_user.split()[:REPLY_WORDS]
    return f"{label}: {' '.join(words)}".rstrip()


def fixed_reply(reply: str | Mapping[str, str]) -> ReplyFn:
    """A reply function answering ``reply`` to every generation, or, for a mapping, answering
    ``reply[model]`` for the models it names and ``default_reply`` for the others (the
    ``reply`` option of ``OCTOGRAPH_FAKE_BACKEND``)."""
    if isinstance(reply, str):
        text = reply
        return lambda request: text
    replies = dict(reply)
    return lambda request: (
        replies[request.model] if request.model in replies else default_reply(request)
    )


def default_route(request: RouteRequest) -> list[float]:
    """0.9 shared by the tokens k whose ``<nexa_k>`` appears in the query, 0.1 by the others;
    uniform when none or all appear (as ``default_scores``)."""
    found = [f"<nexa_{k}>" in request.query for k in request.tokens]
    return _share(found)


def default_similarity(request: SimilarityRequest) -> list[float]:
    """Word overlap (Jaccard) of the query with each candidate's most similar text, in [0, 1]."""
    words = set(re.findall(r"\w+", request.query.lower()))
    best = []
    for texts in request.candidates:
        overlaps = [0.0]
        for text in texts:
            other = set(re.findall(r"\w+", text.lower()))
            if words | other:
                overlaps.append(len(words & other) / len(words | other))
        best.append(max(overlaps))
    return best


FAKE_CLIP_DIM = 8
FAKE_LOGIT_SCALE = 100.0


def default_clip(request: ClipRequest) -> list[float]:
    """A stable pseudo-similarity in [0, 0.3) per text, from the image's bytes and the text."""
    return [_unit(f"{request.image.sha256}|{text}") * 0.3 for text in request.texts]


def fake_image_embedding(request: ClipRequest) -> tuple[float, ...]:
    """A stable unit vector of ``FAKE_CLIP_DIM`` numbers derived from the image's bytes."""
    raw = [_unit(f"{request.image.sha256}|{i}") - 0.5 for i in range(FAKE_CLIP_DIM)]
    norm = sum(v * v for v in raw) ** 0.5 or 1.0
    return tuple(v / norm for v in raw)


def _unit(text: str) -> float:
    """A stable number in [0, 1) from ``text``."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") / 2**64


def _share(found: Sequence[bool]) -> list[float]:
    hits = sum(found)
    if hits in (0, len(found)):
        return [1 / len(found)] * len(found)
    misses = len(found) - hits
    return [0.9 / hits if f else 0.1 / misses for f in found]


def default_scores(request: ScoreRequest) -> list[float]:
    """Candidates that appear as whole words in the last message share 0.9, the others share
    0.1; uniform when none or all of them appear."""
    text = request.messages[-1].content if request.messages else ""
    return _share(
        [re.search(rf"(?<!\w){re.escape(c)}(?!\w)", text) is not None for c in request.candidates]
    )


class FakeBackend:
    """Deterministic ``ModelClient`` for tests and benchmarks.

    Args:
        models: keys it serves; others raise ``UnknownModelError`` (None: serves any key).
        latency: seconds before the first chunk (time to first token), for every model or per
            model key (absent keys: 0).
        token_delay: seconds between streamed words.
        reply: text of a generation; default ``default_reply``.
        scores: per model key a list of probabilities, or a function of the request; default
            ``default_scores``. Results are renormalised.
        routes: functional-token probabilities, a function of the ``RouteRequest``; default
            ``default_route``. ``adapters``: the router adapters that exist (None: any); ``route``
            raises ``BackendError`` for others, as a missing adapter folder would.
        clips: CLIP similarities (one per text), a function of the ``ClipRequest``; default
            ``default_clip``. The image embedding is ``fake_image_embedding`` and the logit
            scale ``FAKE_LOGIT_SCALE``.
        fail_times: the next this-many calls (generate, score, route or clip) raise
            ``TransientBackendError``.
        hang: True (every model) or model keys whose calls never return (until cancelled).
        load_s: seconds the first call of a model takes to "load" it, for every model or per
            model key (absent keys: 0, already loaded), reported as ``loading`` with progress
            ``LOAD_STEPS`` times, then ``loaded``. Calls arriving meanwhile wait for the rest of
            the load (and hear it); later ones find the model loaded.

    ``calls`` records every request received, ``max_in_flight`` the most calls running at once.
    ``max_tokens`` caps the number of words; ``stop`` strings cut the reply.
    """

    def __init__(
        self,
        *,
        models: Collection[str] | None = None,
        latency: float | Mapping[str, float] = 0.0,
        token_delay: float = 0.0,
        reply: ReplyFn = default_reply,
        scores: Mapping[str, Sequence[float]] | ScoreFn | None = None,
        routes: RouteFn = default_route,
        clips: ClipFn = default_clip,
        adapters: Collection[str] | None = None,
        fail_times: int = 0,
        hang: bool | Collection[str] = False,
        load_s: float | Mapping[str, float] = 0.0,
    ) -> None:
        self.models = set(models) if models is not None else None
        self.latency = latency
        self.token_delay = token_delay
        self.reply = reply
        self.scores = scores
        self.routes = routes
        self.clips = clips
        self.adapters = set(adapters) if adapters is not None else None
        self.fail_times = fail_times
        self.hang = hang
        self.load_s = load_s
        self._ready_at: dict[str, float] = {}  # model key -> monotonic time its load ends
        self.calls: list[GenerateRequest | ScoreRequest | RouteRequest | ClipRequest] = []
        self.in_flight = 0
        self.max_in_flight = 0

    async def generate(self, request: GenerateRequest) -> AsyncIterator[Chunk]:
        """Stream the reply word by word, then ``Chunk(done=True)`` with word counts and the
        finish reason: ``stop`` when a stop string cut it, ``length`` when ``max_tokens`` words
        did, else ``eos``."""
        await self._start(request)
        try:
            text = self.reply(request)
            finish: FinishReason = "eos"
            for stop in request.params.stop:
                if stop and stop in text:
                    text = text[: text.index(stop)]
                    finish = "stop"
            words = re.findall(r"\s*\S+", text)
            if len(words) > request.params.max_tokens:
                words, finish = words[: request.params.max_tokens], "length"
            for i, word in enumerate(words):
                if i and self.token_delay:
                    await asyncio.sleep(self.token_delay)
                yield Chunk(text=word)
            tokens_in = sum(len(m.content.split()) for m in request.messages)
            yield Chunk(done=True, tokens_in=tokens_in, tokens_out=len(words), finish_reason=finish)
        finally:
            self.in_flight -= 1

    async def score(self, request: ScoreRequest) -> list[float]:
        """Configured or ``default_scores`` probabilities, renormalised over the candidates."""
        await self._start(request)
        try:
            if not request.candidates:
                raise BackendError("score needs at least one candidate")
            if callable(self.scores):
                raw = list(self.scores(request))
            elif self.scores is not None and request.model in self.scores:
                raw = list(self.scores[request.model])
            else:
                raw = default_scores(request)
            if len(raw) != len(request.candidates) or sum(raw) <= 0:
                raise BackendError(
                    f"fake scores {raw} do not fit {len(request.candidates)} candidates"
                )
            total = sum(raw)
            return [p / total for p in raw]
        finally:
            self.in_flight -= 1

    async def route(self, request: RouteRequest) -> list[float]:
        """``routes`` probabilities, renormalised over the tokens."""
        await self._start(request)
        try:
            if self.adapters is not None and request.adapter not in self.adapters:
                raise BackendError(f"adapter {request.adapter!r} not found")
            raw = list(self.routes(request))
            if len(raw) != len(request.tokens) or sum(raw) <= 0:
                raise BackendError(f"fake routes {raw} do not fit tokens {list(request.tokens)}")
            return [p / sum(raw) for p in raw]
        finally:
            self.in_flight -= 1

    async def similarity(self, request: SimilarityRequest) -> list[float]:
        """``default_similarity`` (word overlap); instant, not recorded in ``calls``."""
        return default_similarity(request)

    async def clip(self, request: ClipRequest) -> ClipResult:
        """``clips`` similarities with a fake embedding; ``BackendError`` without texts."""
        await self._start(request)
        try:
            if not request.texts:
                raise BackendError("CLIP needs at least one text to compare the image with")
            similarities = tuple(float(s) for s in self.clips(request))
            if len(similarities) != len(request.texts):
                raise BackendError(
                    f"fake clips {similarities} do not fit {len(request.texts)} texts"
                )
            return ClipResult(fake_image_embedding(request), similarities, FAKE_LOGIT_SCALE)
        finally:
            self.in_flight -= 1

    async def _start(
        self, request: GenerateRequest | ScoreRequest | RouteRequest | ClipRequest
    ) -> None:
        """Record the call, then apply the configured unknown-model / failure / hang / latency.

        On return ``in_flight`` has been incremented; the caller decrements it.
        """
        self.calls.append(request)
        if self.models is not None and request.model not in self.models:
            raise UnknownModelError(f"unknown model {request.model!r}")
        if self.fail_times > 0:
            self.fail_times -= 1
            raise TransientBackendError(f"fake transient failure of {request.model!r}")
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.hang is True or (
                not isinstance(self.hang, bool) and request.model in self.hang
            ):
                await asyncio.Event().wait()  # forever, until cancelled
            await self._load(request.model)
            delay = _per_model(self.latency, request.model)
            if delay:
                await asyncio.sleep(delay)
        except BaseException:
            self.in_flight -= 1
            raise

    async def _load(self, model: str) -> None:
        """Wait for the simulated load of ``model`` (``load_s``), starting it on first use."""
        duration = _per_model(self.load_s, model)
        now = time.monotonic()
        ready_at = self._ready_at.setdefault(model, now + duration)
        if ready_at <= now:
            return
        started = ready_at - duration
        while (now := time.monotonic()) < ready_at:
            progress = round((now - started) / duration, 2)
            model_loading.report(LoadReport(model, "loading", progress=progress))
            await asyncio.sleep(min(duration / LOAD_STEPS, ready_at - now))
        model_loading.report(LoadReport(model, "loaded", seconds=duration))


def _per_model(value: float | Mapping[str, float], model: str) -> float:
    """``value`` itself, or its entry for ``model`` (0 when absent)."""
    return value.get(model, 0.0) if isinstance(value, Mapping) else value
