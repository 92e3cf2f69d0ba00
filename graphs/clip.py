"""CLIP in the engine: the zero-shot decision read off a ``ClipResult`` (pure arithmetic),
and the run image a CLIP-using node looks at."""

from __future__ import annotations

import math
from collections.abc import Sequence

from graphs.images import RunImage
from graphs.runtime import BackendError, ClipResult


class MissingImageError(BackendError):
    """A node that looks at the run's image ran in a run without one (fails the node)."""


def run_image(images: Sequence[RunImage], index: int, node_kind: str) -> RunImage:
    """The run's image number ``index``; raises ``MissingImageError`` saying what is missing."""
    if index < len(images):
        return images[index]
    if not images:
        raise MissingImageError(
            f"this {node_kind} node needs an image, and the run has none: "
            "start the run with an image (run panel upload, CLI --image, API images)"
        )
    raise MissingImageError(
        f"this {node_kind} node reads image {index + 1}, and the run has only {len(images)}"
    )


def zero_shot(result: ClipResult) -> list[float]:
    """One probability per compared text: ``softmax(logit_scale * similarities)``, as CLIP
    classifies zero-shot. Raises ``ValueError`` when the result compares no texts."""
    if not result.similarities:
        raise ValueError("a zero-shot decision needs at least one text")
    logits = [result.logit_scale * s for s in result.similarities]
    top = max(logits)
    weights = [math.exp(v - top) for v in logits]
    total = sum(weights)
    return [w / total for w in weights]
