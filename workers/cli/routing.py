"""``octograph route`` and ``octograph train-router``: one router decision, and router training."""

from __future__ import annotations

import asyncio
import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from graphs import GraphSpec
from graphs.nodes.router import route_input
from workers import settings

EXIT_FAILED = 1


def route(spec: GraphSpec, router: str, text: str, *, as_json: bool) -> int:
    """Print the decision of ``router`` on ``text``: JSON, or one readable line per candidate."""
    from graphs.runtime import BackendError
    from workers.runtime import ModelRuntime

    try:
        decision = asyncio.run(route_input(spec, router, text, ModelRuntime()))
    except (ValueError, BackendError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    if as_json:
        print(json.dumps(decision, ensure_ascii=False, indent=2))
        return 0
    print(f"{decision['target']} (edge {decision['edge']}, token {decision['token']})")
    candidates: Any = decision["candidates"]
    for candidate in candidates:
        print(f"  {candidate['probability']:.4f}  {candidate['target']}")
    print(f"query: {decision['query']}")
    return 0


def adapter_name(source: str, router: str) -> str:
    """Default adapter name: the graph file's stem (or template name) and the router node."""
    stem = Path(source.removeprefix("template:")).stem
    return re.sub(r"[^A-Za-z0-9_-]+", "-", f"{stem}-{router}").strip("-")


def train(
    spec: GraphSpec,
    source: str,
    router: str,
    *,
    name: str | None,
    out: str | None,
    epochs: int,
    per_target: int,
    model_queries: int,
    validation: float,
) -> int:
    """Train ``router`` (``workers.routing.job``): data synthesised from its edges, plus
    ``model_queries`` per edge written by the router's model; save the adapter, print how to use
    it.

    The adapter goes to ``--out`` or ``OCTOGRAPH_ADAPTERS_DIR/<name>``; progress lines (step,
    loss, validation accuracy, ETA) go to stderr.
    """
    from graphs.runtime import BackendError
    from workers.routing.job import (
        TrainingError,
        TrainingOptions,
        plan_training,
        train_router_job,
        training_models,
    )
    from workers.routing.trainer import TrainProgress

    try:
        options = TrainingOptions(
            epochs=epochs,
            examples_per_edge=per_target,
            model_queries_per_edge=model_queries,
            validation_fraction=validation,
        )
        plan = plan_training(spec, router)
    except TrainingError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    name = name or adapter_name(source, router)
    if out is None:
        directory = settings.adapters_dir()
        if directory is None:
            print(
                "error: set OCTOGRAPH_ADAPTERS_DIR (where adapters are kept) or pass --out",
                file=sys.stderr,
            )
            return EXIT_FAILED
        folder = directory / name
    else:
        folder = Path(out)
    if model_queries:
        print(f"asking {plan.model.key} for {model_queries} queries per edge...", file=sys.stderr)

    def show(p: TrainProgress) -> None:
        accuracy = "-" if p.val_accuracy is None else f"{p.val_accuracy:.1%}"
        print(
            f"step {p.step}/{p.total_steps}  epoch {p.epoch}  loss {p.loss:.4f}  "
            f"val acc {accuracy}  eta {p.eta_s:.0f}s",
            file=sys.stderr,
            flush=True,
        )

    try:
        report = train_router_job(
            spec,
            router,
            options,
            folder,
            models=training_models(),
            progress=show,
            link={"graph": source, "router": router},
        )
    except (TrainingError, BackendError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    accuracy = "n/a" if report.val_accuracy is None else f"{report.val_accuracy:.1%}"
    print(
        f"saved router adapter {folder} ({report.steps} steps, {report.seconds:.0f} s, "
        f"validation accuracy {accuracy} on {report.validation_examples} held-out queries)"
    )
    config: Mapping[str, str] = {
        "mode": "functional-token",
        "adapter": name if out is None else str(folder),
    }
    print(f"use it: set the config of router {router!r} to include {json.dumps(config)}")
    return 0
