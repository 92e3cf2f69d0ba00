"""CLIP on the model hosts without torch: catalog entries of kind ``clip``, the backend's clear
errors (missing weights, wrong kind, undecodable image, open_clip that cannot be imported), and
``ModelRuntime`` dispatching ``clip`` to it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from graphs.images import RunImage
from graphs.runtime import BackendError, ClipRequest, GenerateRequest, Message
from workers.backends.clip_backend import ClipBackend
from workers.catalog import (
    Catalog,
    CatalogError,
    HubModel,
    LocalFolder,
    ModelEntry,
    OpenClipWeights,
    default_catalog,
    read_models_file,
)
from workers.clip_models import decode_image, load_clip, open_clip_import_problem
from workers.runtime import ModelRuntime

# A 1x1 PNG whose pixel is red.
PNG_1x1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763"
    "f8cfc000000301010018dd8db00000000049454e44ae426082"
)


def clip_entry(key: str, source: object) -> ModelEntry:
    return ModelEntry(key=key, display_name=key, family="clip", kind="clip", source=source)  # type: ignore[arg-type]


def image(data: bytes = PNG_1x1) -> RunImage:
    return RunImage("image/png", data, 1, 1)


def test_the_builtin_clip_model_is_openai_vit_b_32_on_the_hub() -> None:
    entry = default_catalog().get("clip-vit-b-32")
    assert entry.kind == "clip"
    assert entry.source == HubModel(repo_id="openai/clip-vit-base-patch32")


def test_a_models_file_registers_open_clip_and_folder_clip_models(tmp_path: Path) -> None:
    path = tmp_path / "models.json"
    checkpoint = tmp_path / "vit.safetensors"
    checkpoint.write_bytes(b"weights")
    models = [
        {"key": "oc", "display_name": "OC", "family": "clip", "kind": "clip",
         "source": {"type": "open_clip", "model_name": "ViT-B-32", "pretrained": str(checkpoint)}},
        {"key": "hf", "display_name": "HF", "family": "clip", "kind": "clip",
         "source": {"type": "folder", "path": str(tmp_path)}},
    ]  # fmt: skip
    path.write_text(json.dumps({"models": models}))

    oc, hf = read_models_file(path)

    assert oc.source == OpenClipWeights(model_name="ViT-B-32", pretrained=str(checkpoint))
    assert hf.source == LocalFolder(str(tmp_path))


@pytest.mark.parametrize(
    ("kind", "source", "message"),
    [
        ("clip", None, "a clip model needs a source"),
        ("clip", HubModel("x/y", gguf_file="m.gguf"), "a clip model's source is a folder"),
        ("transformers", OpenClipWeights("ViT-B-32", "laion"), "open_clip weights are for clip"),
    ],
)
def test_clip_sources_are_checked(kind: str, source: object, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        ModelEntry(key="m", display_name="M", family="clip", kind=kind, source=source)  # type: ignore[arg-type]


def test_open_clip_weights_say_why_they_are_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    assert "open_clip is not installed" in (
        OpenClipWeights("ViT-B-32", "laion2b_s34b_b79k").unavailable_reason() or ""
    )
    monkeypatch.undo()
    monkeypatch.setattr("importlib.util.find_spec", lambda name: object())
    missing = OpenClipWeights("ViT-B-32", str(tmp_path / "none.pt"))
    assert missing.unavailable_reason() == f"open_clip checkpoint {tmp_path}/none.pt does not exist"
    assert OpenClipWeights("ViT-B-32", "laion2b_s34b_b79k").unavailable_reason() is None


def test_a_clip_model_without_weights_fails_with_the_reason(tmp_path: Path) -> None:
    entry = clip_entry("gone", LocalFolder(str(tmp_path / "nothing")))
    with pytest.raises(BackendError, match="CLIP model 'gone' is not available here: no config"):
        load_clip(entry)


def test_undecodable_image_bytes_are_a_backend_error() -> None:
    with pytest.raises(BackendError, match="the run's image is not a readable PNG image"):
        decode_image(image(PNG_1x1[:40]))
    with pytest.raises(BackendError, match="declared as image/jpeg but its content is PNG"):
        decode_image(RunImage("image/jpeg", PNG_1x1, 1, 1))
    assert decode_image(image()).size == (1, 1)


async def test_the_backend_refuses_requests_it_cannot_serve(tmp_path: Path) -> None:
    catalog = Catalog(
        [
            clip_entry("c", LocalFolder(str(tmp_path))),
            ModelEntry(
                key="llm", display_name="L", family="x", kind="transformers",
                source=LocalFolder(str(tmp_path)),
            ),
        ]
    )  # fmt: skip
    backend = ClipBackend(catalog)
    with pytest.raises(BackendError, match="at least one text"):
        await backend.clip(ClipRequest("c", image(), []))
    with pytest.raises(BackendError, match="'llm' is a transformers model, not CLIP"):
        await backend.clip(ClipRequest("llm", image(), ["a"]))
    with pytest.raises(BackendError, match="'c' is a CLIP model"):
        backend.generate(GenerateRequest("c", [Message("user", "hi")]))


async def test_the_runtime_sends_clip_requests_to_the_clip_backend(tmp_path: Path) -> None:
    runtime = ModelRuntime(Catalog([clip_entry("c", LocalFolder(str(tmp_path / "none")))]))
    with pytest.raises(BackendError, match="CLIP model 'c' is not available here"):
        await runtime.clip(ClipRequest("c", image(), ["a photo of a cat"]))
    assert isinstance(runtime.backend_for("c"), ClipBackend)


def test_a_failing_open_clip_import_is_reported_from_a_child_process() -> None:
    open_clip_import_problem.cache_clear()
    try:
        # open_clip is an optional extra, not installed in the dev environment.
        assert open_clip_import_problem() == "ModuleNotFoundError: No module named 'open_clip'"
        assert "open_clip" not in sys.modules
    finally:
        open_clip_import_problem.cache_clear()


def test_open_clip_that_cannot_be_imported_fails_the_node_saying_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("importlib.util.find_spec", lambda name: object())
    monkeypatch.setattr(
        "workers.clip_models.open_clip_import_problem",
        lambda: "RuntimeError: operator torchvision::nms does not exist",
    )
    entry = clip_entry("oc", OpenClipWeights("ViT-B-32", "laion2b_s34b_b79k"))
    with pytest.raises(BackendError, match=r"torchvision::nms does not exist\. Use a transformers"):
        load_clip(entry)
