"""Loading CLIP models: transformers ``CLIPModel`` folders or hub ids, and open_clip weights.

Both loaders return a ``ClipEncoder``: unit-norm image and text embeddings and the model's
``logit_scale``. Transformers CLIP needs no torchvision: images are prepared by the PIL image
processor (``CLIPImageProcessorPil``). open_clip is the optional ``open-clip`` extra; it imports
torchvision, and the torchvision on PyPI for torch 2.13 is a CUDA build that cannot be imported
next to the CPU torch (and, once installed, breaks transformers' image imports in the same
environment). ``open_clip_importable`` therefore tries the import in a child process first, so a
broken torchvision fails the node with its reason and never touches this process.

Every failure is a ``BackendError`` naming the model, the source and what to do.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from graphs.images import RunImage
from graphs.runtime import BackendError
from workers.catalog import HubModel, LocalFolder, ModelEntry, OpenClipWeights
from workers.model_cache import BUILD_LOCK
from workers.model_store import available_source, quiet_transformers

OPEN_CLIP_PROBE_TIMEOUT_S = 120


@dataclass(frozen=True)
class ClipEncoder:
    """A loaded CLIP model (torch values are typed ``Any``: this module imports torch lazily).

    ``prepare`` turns a PIL image into the image tower's input batch, ``tokenize`` texts into
    the text tower's input; ``image_features`` and ``text_features`` run the towers (projected
    embeddings, [batch, dim]); ``model.logit_scale`` is the log of CLIP's inverse temperature.
    """

    key: str
    model: Any
    prepare: Callable[[Any], Any]
    tokenize: Callable[[list[str]], Any]
    image_features: Callable[[Any], Any]
    text_features: Callable[[Any], Any]

    def encode_image(self, image: Any) -> Any:
        """[dim] unit-norm embedding of a PIL image."""
        import torch

        with torch.inference_mode():
            features = self.image_features(self.prepare(image))[0].float()
        return features / features.norm()

    def encode_texts(self, texts: list[str]) -> Any:
        """[len(texts), dim] unit-norm embeddings."""
        import torch

        with torch.inference_mode():
            features = self.text_features(self.tokenize(texts)).float()
        return features / features.norm(dim=-1, keepdim=True)

    @property
    def logit_scale(self) -> float:
        return float(self.model.logit_scale.detach().exp())


def decode_image(image: RunImage) -> Any:
    """The run image as an RGB PIL image, decoded with the guards of an upload
    (``workers.images.decode_run_image``: content type, pixel limit); ``BackendError`` saying
    what is wrong otherwise."""
    from workers.images import ImageError, decode_run_image

    try:
        return decode_run_image(image).convert("RGB")
    except ImageError as error:
        raise BackendError(str(error)) from error


def load_clip(entry: ModelEntry) -> ClipEncoder:
    """Load ``entry`` (kind ``clip``). Blocking (seconds); raises ``BackendError``."""
    source = available_source(
        entry, "clip", f"model {entry.key!r} is a {entry.kind} model, not a CLIP model"
    )
    try:
        if isinstance(source, OpenClipWeights):
            return _load_open_clip(entry.key, source)
        if isinstance(source, LocalFolder):
            return _load_transformers_clip(entry.key, str(Path(source.path).expanduser()), None)
        if isinstance(source, HubModel):
            return _load_transformers_clip(entry.key, source.repo_id, source.revision)
    except BackendError:
        raise
    except Exception as error:
        raise BackendError(
            f"cannot load CLIP model {entry.key!r} from {source.describe()}: "
            f"{type(error).__name__}: {error}"
        ) from error
    raise BackendError(f"CLIP model {entry.key!r} has an unsupported source {source.describe()}")


def _load_transformers_clip(key: str, location: str, revision: str | None) -> ClipEncoder:
    import torch
    from transformers import AutoTokenizer, CLIPImageProcessorPil, CLIPModel

    quiet_transformers()
    with BUILD_LOCK:  # from_pretrained patches torch.nn.init process-wide (see model_cache)
        model = CLIPModel.from_pretrained(location, revision=revision, dtype=torch.float32).eval()
    processor = CLIPImageProcessorPil.from_pretrained(location, revision=revision)
    tokenizer = AutoTokenizer.from_pretrained(location, revision=revision)
    max_length = model.config.text_config.max_position_embeddings

    def prepare(image: Any) -> Any:
        return processor(images=image, return_tensors="pt")["pixel_values"]

    def tokenize(texts: list[str]) -> Any:
        return tokenizer(
            texts, padding=True, truncation=True, max_length=max_length, return_tensors="pt"
        )

    return ClipEncoder(
        key=key,
        model=model,
        prepare=prepare,
        tokenize=tokenize,
        image_features=lambda pixels: _pooled(model.get_image_features(pixel_values=pixels)),
        text_features=lambda tokens: _pooled(model.get_text_features(**tokens)),
    )


def _pooled(output: Any) -> Any:
    """transformers 5 returns a model output whose ``pooler_output`` is the projected
    embedding; older versions return the tensor itself."""
    return getattr(output, "pooler_output", output)


def _load_open_clip(key: str, source: OpenClipWeights) -> ClipEncoder:
    problem = open_clip_import_problem()
    if problem is not None:
        raise BackendError(
            f"CLIP model {key!r} needs open_clip, which cannot be imported here: {problem}. "
            "Use a transformers CLIP folder instead, or host this model where torchvision "
            "matches torch (see the README's CLIP section)"
        )
    import open_clip

    pretrained = source.pretrained
    if source.is_local_file:
        pretrained = str(Path(pretrained).expanduser())
    with BUILD_LOCK:
        model, _, preprocess = open_clip.create_model_and_transforms(
            source.model_name, pretrained=pretrained
        )
    model.eval()
    tokenizer = open_clip.get_tokenizer(source.model_name)
    return ClipEncoder(
        key=key,
        model=model,
        prepare=lambda image: preprocess(image).unsqueeze(0),
        tokenize=tokenizer,
        image_features=model.encode_image,
        text_features=model.encode_text,
    )


@cache
def open_clip_import_problem() -> str | None:
    """None when ``import open_clip`` works in this interpreter, else the error's last line.

    Tried in a child process once per process: a torchvision built for another torch fails
    half-way through its import and would leave this process's transformers unable to import
    image models.
    """
    try:
        probe = subprocess.run(
            [sys.executable, "-c", "import open_clip"],
            capture_output=True,
            text=True,
            timeout=OPEN_CLIP_PROBE_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"importing open_clip took over {OPEN_CLIP_PROBE_TIMEOUT_S} s"
    if probe.returncode == 0:
        return None
    lines = [line for line in probe.stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else f"the import exited with status {probe.returncode}"
