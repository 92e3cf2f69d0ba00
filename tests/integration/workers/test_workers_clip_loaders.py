"""The CLIP loaders on torch without real weights: a folder that is not a CLIP model fails naming
model and source, and open_clip weights load through open_clip's API (a stand-in module: the
real open_clip cannot be installed next to the CPU torch, see the README's CLIP section)."""

from __future__ import annotations

import importlib.machinery
import math
import sys
import types
from pathlib import Path
from typing import Any, ClassVar

import pytest
import torch

from graphs.images import RunImage
from graphs.runtime import BackendError, ClipRequest
from workers.backends.clip_backend import ClipBackend
from workers.catalog import Catalog, LocalFolder, ModelEntry, OpenClipWeights
from workers.clip_models import load_clip

# A 1x1 PNG whose pixel is red.
RED_PIXEL = RunImage(
    "image/png",
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d7"
        "63f8cfc000000301010018dd8db00000000049454e44ae426082"
    ),
    1,
    1,
)


def clip_entry(key: str, source: LocalFolder | OpenClipWeights) -> ModelEntry:
    return ModelEntry(key=key, display_name=key, family="clip", kind="clip", source=source)


def test_a_folder_that_is_not_clip_fails_naming_model_and_source(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{not json")
    with pytest.raises(BackendError, match=f"cannot load CLIP model 'bad' from folder {tmp_path}"):
        load_clip(clip_entry("bad", LocalFolder(str(tmp_path))))


class StandInOpenClip(torch.nn.Module):
    """What ``open_clip.create_model_and_transforms`` returns a model as: ``encode_image``,
    ``encode_text`` and ``logit_scale`` (log of 100). Images embed as their mean colour;
    texts as the colour their first token names."""

    COLOURS: ClassVar[dict[int, list[float]]] = {1: [1.0, 0.0, 0.0], 2: [0.0, 1.0, 0.0]}

    def __init__(self) -> None:
        super().__init__()
        self.logit_scale = torch.nn.Parameter(torch.tensor(math.log(100.0)))

    def encode_image(self, pixels: torch.Tensor) -> torch.Tensor:
        return pixels.mean(dim=(2, 3))

    def encode_text(self, tokens: torch.Tensor) -> torch.Tensor:
        return torch.tensor([self.COLOURS[int(row[0])] + [0.0] for row in tokens])[:, :3]


def stand_in_open_clip(created: list[tuple[str, str]]) -> types.ModuleType:
    """A module with open_clip's loading API, recording ``(model_name, pretrained)``."""
    module = types.ModuleType("open_clip")
    module.__spec__ = importlib.machinery.ModuleSpec("open_clip", None)

    def create_model_and_transforms(name: str, pretrained: str) -> tuple[Any, Any, Any]:
        created.append((name, pretrained))
        to_tensor = lambda picture: torch.tensor(  # noqa: E731 - open_clip's preprocess is a callable
            [[[c / 255 for c in picture.getpixel((0, 0))]]]
        ).permute(2, 0, 1)
        return StandInOpenClip(), None, to_tensor

    module.create_model_and_transforms = create_model_and_transforms  # type: ignore[attr-defined]
    module.get_tokenizer = lambda name: (
        lambda texts: torch.tensor(  # type: ignore[attr-defined]
            [[1 if "red" in t else 2] for t in texts]
        )
    )
    return module


async def test_open_clip_weights_load_through_open_clips_api(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    created: list[tuple[str, str]] = []
    monkeypatch.setitem(sys.modules, "open_clip", stand_in_open_clip(created))
    monkeypatch.setattr("workers.clip_models.open_clip_import_problem", lambda: None)
    checkpoint = tmp_path / "vit.pt"
    checkpoint.write_bytes(b"weights")
    backend = ClipBackend(Catalog([clip_entry("oc", OpenClipWeights("ViT-B-32", str(checkpoint)))]))

    result = await backend.clip(ClipRequest("oc", RED_PIXEL, ["a red thing", "a green thing"]))

    assert created == [("ViT-B-32", str(checkpoint))]
    assert result.logit_scale == pytest.approx(100.0)
    assert len(result.image_embedding) == 3
    assert result.similarities[0] > result.similarities[1]
