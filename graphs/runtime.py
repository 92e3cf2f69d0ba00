"""The contract between the engine and whatever hosts the models.

The engine never imports a model library: node executors talk to a ``ModelClient`` that is
injected by the driver (``workers.runtime.ModelRuntime`` in the product, a fake in tests).
Everything here is plain data so requests can cross a process boundary (Celery) unchanged.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from graphs.images import RunImage

Role = Literal["system", "user", "assistant"]

FinishReason = Literal["eos", "length", "stop"]
"""Why a generation ended: the model's end-of-sequence token (a router's ``<nexa_end>`` too),
``max_tokens`` (or the model's context) reached, or one of ``GenerationParams.stop`` written."""


@dataclass(frozen=True)
class Message:
    """One chat message, as in the OpenAI chat format."""

    role: Role
    content: str

    def to_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass(frozen=True)
class GenerationParams:
    """Sampling settings of one generation. ``temperature == 0`` means greedy decoding."""

    temperature: float = 0.7
    top_p: float = 0.95
    max_tokens: int = 256
    stop: tuple[str, ...] = ()
    seed: int | None = None


@dataclass(frozen=True)
class GenerateRequest:
    """Ask ``model`` (a catalog key), through LoRA ``adapter`` if set, to answer ``messages``."""

    model: str
    messages: Sequence[Message]
    params: GenerationParams = field(default_factory=GenerationParams)
    adapter: str | None = None
    prefix: str = ""
    """Text the assistant turn starts with, written after the generation prompt and not streamed
    back: a functional token (``<nexa_4>``) makes a router adapter write its reformatted query."""


@dataclass(frozen=True)
class Chunk:
    """One piece of a streamed generation.

    Every chunk but the last carries a non-empty ``text`` delta. The last chunk has ``done=True``,
    may carry a final piece of text, and reports the token counts of the whole generation and its
    ``finish_reason`` (None only from a host that cannot tell).
    """

    text: str = ""
    done: bool = False
    tokens_in: int = 0
    tokens_out: int = 0
    finish_reason: FinishReason | None = None


@dataclass(frozen=True)
class ScoreRequest:
    """Ask for the probability of each candidate continuation right after ``messages``.

    The assistant turn is opened (generation prompt) and each candidate's *first token* is scored
    at that single position, so the call costs one forward pass. Candidates must start with
    distinct tokens; ``BackendError`` is raised otherwise.
    """

    model: str
    messages: Sequence[Message]
    candidates: Sequence[str]
    adapter: str | None = None


@dataclass(frozen=True)
class RouteRequest:
    """Functional-token routing: the probability of each candidate ``<nexa_k>`` (k in
    ``tokens``) as the first token of router ``adapter``'s answer to ``query``.

    One forward pass. The backend writes the prompt (``graphs.prompts.functional_token_messages``,
    the query cut as the adapter was trained). Raises ``BackendError`` naming the adapter when it
    is missing or has no functional token for some k.
    """

    model: str
    adapter: str
    query: str
    tokens: Sequence[int]


@dataclass(frozen=True)
class SimilarityRequest:
    """Embedding routing: cosine similarity of ``query`` to each candidate, where a candidate is
    several texts (its description and example queries) and scores as its most similar text."""

    query: str
    candidates: Sequence[Sequence[str]]
    model: str = "all-minilm-l6-v2"


@dataclass(frozen=True)
class ClipRequest:
    """Encode ``image`` and each of ``texts`` with CLIP ``model`` (a catalog key of kind
    ``clip``) and compare them: one forward pass of the image tower, one of the text tower."""

    model: str
    image: RunImage
    texts: Sequence[str]


@dataclass(frozen=True)
class ClipResult:
    """``image_embedding``: the image's unit-norm CLIP embedding. ``similarities``: the cosine
    similarity of the image to each request text, in order. ``logit_scale``: the model's learnt
    inverse temperature; ``softmax(logit_scale * similarities)`` is CLIP's zero-shot
    distribution over the texts (``graphs.clip.zero_shot``)."""

    image_embedding: tuple[float, ...]
    similarities: tuple[float, ...]
    logit_scale: float


class BackendError(Exception):
    """A model backend could not serve a request; the message is shown to the user."""


class TransientBackendError(BackendError):
    """A failure worth retrying (connection reset, rate limit, worker restarting)."""


class UnknownModelError(BackendError):
    """The request named a model key that the runtime does not serve."""


class ModelClient(Protocol):
    """What node executors may ask of the model hosts."""

    def generate(self, request: GenerateRequest) -> AsyncIterator[Chunk]:
        """Stream a generation: text deltas, then one final ``Chunk(done=True)``.

        Raises ``BackendError`` (or ``TransientBackendError``) on failure.
        """
        ...

    async def score(self, request: ScoreRequest) -> list[float]:
        """Return one probability per candidate, renormalised over the candidates (sums to 1)."""
        ...

    async def route(self, request: RouteRequest) -> list[float]:
        """One probability per ``request.tokens`` entry, renormalised over them (sums to 1)."""
        ...

    async def similarity(self, request: SimilarityRequest) -> list[float]:
        """One cosine similarity in [-1, 1] per candidate."""
        ...

    async def clip(self, request: ClipRequest) -> ClipResult:
        """The image's CLIP embedding and its similarity to each text (one per text).

        Raises ``BackendError`` when the image cannot be decoded, there are no texts, or the
        CLIP model cannot be loaded (the message says why and how to configure weights).
        """
        ...
