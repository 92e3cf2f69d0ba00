"""Functional-token routers on the real SmolLM2: a small training run, then inference in a run.

One router is trained per session (module fixture, well under 90 s here) on a 3-way task
synthesised from edge descriptions and examples; the tests then use it through the real backend.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from graphs import check
from graphs.engine.local_driver import run_graph
from graphs.engine.state import RunStatus
from graphs.runtime import GenerateRequest, GenerationParams, Message, RouteRequest
from workers.backends.transformers_backend import TransformersBackend
from workers.catalog import default_catalog
from workers.model_cache import ModelCache
from workers.model_store import ModelStore
from workers.routing.dataset import RouteTarget, split, synthesize
from workers.routing.trainer import (
    TrainConfig,
    TrainJob,
    TrainProgress,
    TrainReport,
    train_router,
)
from workers.runtime import ModelRuntime

pytestmark = pytest.mark.slow

SMOLLM2 = "smollm2-135m-instruct"
EXPERTS = {
    "math": ("math: arithmetic, algebra, equations, calculus", "What is 17 times 23?"),
    "code": ("code: Python programming, functions, debugging", "Write a Python function"),
    "cooking": ("cooking: recipes, baking, boiling, kitchen", "How long do I boil an egg?"),
}


def graph(adapter: str) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = [
        {"id": "q", "kind": "input"},
        {
            "id": "r",
            "kind": "router",
            "config": {"model": SMOLLM2, "mode": "functional-token", "adapter": adapter},
        },
        {"id": "out", "kind": "output"},
    ]
    edges: list[dict[str, Any]] = [{"id": "q-r", "source": "q", "target": "r"}]
    for token, (name, (description, example)) in enumerate(EXPERTS.items()):
        nodes.append({"id": name, "kind": "model", "config": {"model": SMOLLM2, "max_tokens": 8}})
        data = {"token": token, "description": description, "examples": [example]}
        edges += [
            {"id": f"r-{name}", "source": "r", "target": name, "data": data},
            {"id": f"{name}-out", "source": name, "target": "out"},
        ]
    return {"spec": 1, "nodes": nodes, "edges": edges}


@pytest.fixture(scope="module")
def trained(
    smollm2_folder: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[TrainReport, list[TrainProgress]]:
    targets = [
        RouteTarget(token, f"r-{name}", name, description, (example,))
        for token, (name, (description, example)) in enumerate(EXPERTS.items())
    ]
    train, validation = split(synthesize(targets, per_target=24, seed=0), 0.25, seed=0)
    progress: list[TrainProgress] = []
    job = TrainJob(
        smollm2_folder,
        targets,
        train,
        validation,
        tmp_path_factory.mktemp("adapters") / "three-way",
        TrainConfig(epochs=4, learning_rate=2e-3, max_query_tokens=48),
        base_key=SMOLLM2,
    )
    report = train_router(job, progress.append)
    return report, progress


def test_small_training_run_learns_a_three_way_task(trained) -> None:
    report, progress = trained
    assert report.val_accuracy is not None
    assert report.val_accuracy >= 0.6, report  # chance is 1/3
    assert [p.step for p in progress] == list(range(1, report.steps + 1))
    assert progress[-1].eta_s == 0
    assert progress[-1].loss < progress[0].loss
    files = {p.name for p in report.folder.iterdir()}
    assert {"adapter_config.json", "functional_tokens.json", "tokenizer.json"} <= files
    size = sum(p.stat().st_size for p in report.folder.iterdir())
    assert size < 10_000_000  # saved without the embedding matrix
    meta = json.loads((report.folder / "functional_tokens.json").read_text())
    assert list(meta["token_ids"]) == ["<nexa_end>", "<nexa_0>", "<nexa_1>", "<nexa_2>"]


async def test_route_is_one_distribution_over_the_candidates(
    trained, smollm2_backend: TransformersBackend
) -> None:
    report, _ = trained
    probabilities = await smollm2_backend.route(
        RouteRequest(SMOLLM2, str(report.folder), "What is 17 times 23?", [0, 1, 2])
    )
    assert abs(sum(probabilities) - 1) < 1e-4
    assert max(range(3), key=lambda i: probabilities[i]) == 0


async def test_full_run_routes_to_the_right_branch_with_a_rewritten_query(
    trained, smollm2_backend: TransformersBackend
) -> None:
    report, _ = trained
    spec, problems = check(graph(str(report.folder)))
    assert spec is not None, problems
    runtime = ModelRuntime(backends={"transformers": smollm2_backend})

    result = await run_graph(spec, "How long do I boil an egg?", runtime)

    assert result.status is RunStatus.COMPLETED, result.error
    decision = next(e for e in result.events if e.type == "router.decision").data
    assert decision["target"] == "cooking"
    assert set(decision["scores"]) == set(EXPERTS)
    assert decision["query"].strip()
    assert "<nexa" not in decision["query"]
    assert result.output.strip()


def test_functional_ids_are_masked_except_a_router_rows_end() -> None:
    """Worker rows may never sample ids past the base vocabulary (functional tokens, reserved
    rows); a router row may sample its own ``<nexa_end>``, which ends it."""
    import torch

    from workers.backends.transformers_decoding import mask_functional

    logits = torch.zeros(2, 10)  # [batch, vocab]; base vocabulary: ids 0-6
    mask_functional(logits, [SimpleNamespace(end_id=None), SimpleNamespace(end_id=8)], 7)

    assert torch.isinf(logits[0, 7:]).all()
    assert (logits[:, :7] == 0).all()
    assert logits[1, 8] == 0
    assert torch.isinf(logits[1, [7, 9]]).all()


async def test_missing_router_adapter_fails_the_run_naming_it(
    smollm2_backend: TransformersBackend, tmp_path: Path
) -> None:
    spec, _ = check(graph(str(tmp_path / "no-such-router")))
    assert spec is not None
    runtime = ModelRuntime(backends={"transformers": smollm2_backend})

    result = await run_graph(spec, "2+2?", runtime)

    assert result.status is RunStatus.FAILED
    assert "no-such-router" in (result.error or "")
    assert "not found" in (result.error or "")


async def test_router_and_a_plain_lora_share_one_base(
    trained,
    smollm2_backend: TransformersBackend,
    weights_cache: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A worker LoRA attached before the router (so it is peft's active adapter) must neither
    break the router's trained token rows nor fail in a batch next to it."""
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    report, _ = trained
    query = RouteRequest(SMOLLM2, str(report.folder), "How long do I boil an egg?", [0, 1, 2])
    expected = await smollm2_backend.route(query)
    base_folder = ModelStore(weights_cache).resolve(default_catalog().get(SMOLLM2)).location
    worker = tmp_path_factory.mktemp("adapters") / "worker-lora"
    config = LoraConfig(r=4, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    get_peft_model(AutoModelForCausalLM.from_pretrained(base_folder), config).save_pretrained(
        worker
    )
    backend = TransformersBackend(default_catalog(), ModelCache(ModelStore(weights_cache)))
    ask = GenerateRequest(
        SMOLLM2, [Message("user", "Hi")], GenerationParams(temperature=0, max_tokens=4), str(worker)
    )
    assert "".join([c.text async for c in backend.generate(ask)])  # worker attached first

    text, probabilities = await asyncio.gather(_text(backend.generate(ask)), backend.route(query))

    assert text
    assert probabilities == pytest.approx(expected, abs=0.02)


async def _text(chunks: Any) -> str:
    return "".join([c.text async for c in chunks])
