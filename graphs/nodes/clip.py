"""``clip``: classifies the run's image zero-shot with CLIP (Octopus v3's image encoder).

The node encodes the run's image and one text per configured label (``prompt`` with the label
filled in) with the CLIP ``model`` (a catalog key of kind ``clip``), and ranks the labels by
``softmax(logit_scale * cosine similarity)``.

Output text (what downstream nodes receive): the ranking's ``top_k`` labels, then the text that
arrived, so a router or a worker sees the image's content next to the question::

    Image shows: a plant 0.81, a receipt 0.07, a bicycle 0.05

    What should I do with this?

Result data: ``labels`` (every label with its probability, best first), ``embedding`` (the
image's unit-norm embedding, rounded to ``EMBEDDING_DECIMALS``) and ``embedding_dim``.
Event ``clip.result``: ``{model, image, labels: [{label, probability, similarity}], top,
duration_ms}`` where ``image`` is the run image's summary (type, size, sha256; never its bytes).

A run without an image fails the node with ``MissingImageError``; a model that cannot load fails
it with the backend's message.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from graphs.clip import run_image, zero_shot
from graphs.images import MAX_RUN_IMAGES
from graphs.nodes.attempt_config import ExecutionSettings, require_text
from graphs.nodes.base import NodeContext, NodeKind, NodeResult
from graphs.problems import ConfigError
from graphs.runtime import ClipRequest

MAX_LABELS = 64
LABEL_PLACEHOLDER = "{label}"
EMBEDDING_DECIMALS = 5
DEFAULT_MODEL = "clip-vit-b-32"
"""The catalog's built-in CLIP model (``workers/catalog.py``): what a new clip node uses."""


@dataclass(frozen=True, kw_only=True)
class ClipConfig(ExecutionSettings):
    """``model``: a CLIP catalog key. ``labels``: the zero-shot classes (2 to ``MAX_LABELS``,
    distinct). ``prompt``: the text encoded per label, with ``{label}`` where the label goes
    (CLIP was trained on captions: "a photo of a plant" scores better than "plant").
    ``top_k``: how many labels the output text names. ``image``: which run image (0: first)."""

    model: str
    labels: tuple[str, ...]
    prompt: str = "a photo of {label}"
    top_k: int = 3
    image: int = 0

    def __post_init__(self) -> None:
        super().__post_init__()
        require_text("model", self.model)
        if not 2 <= len(self.labels) <= MAX_LABELS:
            raise ConfigError("labels", f"needs 2 to {MAX_LABELS} labels, got {len(self.labels)}")
        for index, label in enumerate(self.labels):
            require_text(f"labels[{index}]", label)
            if label in self.labels[:index]:
                raise ConfigError(f"labels[{index}]", f"repeats the label {label!r}")
        if LABEL_PLACEHOLDER not in self.prompt:
            raise ConfigError("prompt", f"must contain {LABEL_PLACEHOLDER} (where the label goes)")
        if self.top_k < 1:
            raise ConfigError("top_k", "must be at least 1")
        if not 0 <= self.image < MAX_RUN_IMAGES:
            raise ConfigError("image", f"must be between 0 and {MAX_RUN_IMAGES - 1}")

    def label_texts(self) -> list[str]:
        """What is encoded per label: ``prompt`` with the label filled in."""
        return [self.prompt.replace(LABEL_PLACEHOLDER, label) for label in self.labels]


def ranking_text(ranked: list[dict[str, Any]], top_k: int) -> str:
    """``Image shows: a plant 0.81, a receipt 0.07`` from labels sorted best first."""
    shown = ", ".join(f"{item['label']} {item['probability']:.2f}" for item in ranked[:top_k])
    return f"Image shows: {shown}"


async def execute_clip(context: NodeContext) -> NodeResult:
    config: ClipConfig = context.config
    image = run_image(context.run_input.images, config.image, "clip")
    started = time.perf_counter()
    result = await context.client.clip(
        ClipRequest(model=config.model, image=image, texts=config.label_texts())
    )
    probabilities = zero_shot(result)
    order = sorted(range(len(config.labels)), key=lambda i: -probabilities[i])
    ranked = [
        {
            "label": config.labels[i],
            "probability": round(probabilities[i], 6),
            "similarity": round(result.similarities[i], 6),
        }
        for i in order
    ]
    context.emit(
        "clip.result",
        {
            "model": config.model,
            "image": image.summary(),
            "labels": ranked,
            "top": ranked[0]["label"],
            "duration_ms": round((time.perf_counter() - started) * 1000, 3),
        },
    )
    incoming = context.incoming_text()
    summary = ranking_text(ranked, config.top_k)
    return NodeResult(
        text=f"{summary}\n\n{incoming}" if incoming.strip() else summary,
        query=context.incoming_query(),
        data={
            "labels": [{"label": i["label"], "probability": i["probability"]} for i in ranked],
            "embedding": [round(v, EMBEDDING_DECIMALS) for v in result.image_embedding],
            "embedding_dim": len(result.image_embedding),
        },
    )


KIND = NodeKind(
    name="clip",
    summary="Classifies the run's image zero-shot with CLIP; passes the ranking on as text.",
    config_type=ClipConfig,
    execute=execute_clip,
    hosted=True,
    max_inputs=1,
    models=lambda config: (config.model,),
    new_config={"model": DEFAULT_MODEL, "labels": ["a photo", "a screenshot", "a document"]},
    facts={"max_labels": MAX_LABELS},
)
