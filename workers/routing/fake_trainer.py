"""A stand-in for ``train_router`` for tests and browser tests ONLY: it loads and trains nothing.

``FakeTrainer`` is called like ``train_router`` and behaves like it from the outside: it reports
one ``TrainProgress`` per step (batches of ``TrainConfig.batch_size``, ``epochs`` passes), with a
falling loss and a validation accuracy rising to 1.0 by the last step, stops when the progress
callback raises, and writes an adapter folder with the same ``functional_tokens.json`` metadata
plus an ``adapter_config.json`` (so adapter references resolve to it), but no weights. Training
jobs use it when ``OCTOGRAPH_FAKE_TRAINER`` is set (``workers.routing.job.training_models``).
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path

from graphs.functional_tokens import functional_token_names
from workers.routing.trainer import (
    ProgressFn,
    TrainJob,
    TrainProgress,
    TrainReport,
    training_record,
)

FAKE_BASE_VOCAB = 1000
"""The base vocabulary the fake adapter's functional tokens are numbered after."""


class FakeTrainer:
    """``train_router`` without a model: ``step_s`` seconds per step, nothing learned."""

    def __init__(self, step_s: float = 0.0) -> None:
        self.step_s = step_s

    def __call__(self, job: TrainJob, progress: ProgressFn | None = None) -> TrainReport:
        """Report every step, then write the adapter folder ``job.out`` (a ``TrainFn``)."""
        config, targets, train, validation = job.config, job.targets, job.train, job.validation
        total = math.ceil(len(train) / config.batch_size) * config.epochs
        started = time.perf_counter()
        for step in range(1, total + 1):
            time.sleep(self.step_s)
            elapsed = time.perf_counter() - started
            if progress is not None:
                progress(
                    TrainProgress(
                        step=step,
                        total_steps=total,
                        epoch=math.ceil(step * config.epochs / total),
                        loss=round(2.0 * (1 - step / total) + 0.05, 4),
                        val_accuracy=round(step / total, 4) if validation else None,
                        elapsed_s=elapsed,
                        eta_s=elapsed / step * (total - step),
                    )
                )
        folder = Path(job.out)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "adapter_config.json").write_text(json.dumps({"fake": True}) + "\n")
        names = functional_token_names(max(t.token for t in targets) + 1)
        accuracy = 1.0 if validation else None
        seconds = time.perf_counter() - started
        job.write_meta(
            base_vocab=FAKE_BASE_VOCAB,
            token_ids={name: FAKE_BASE_VOCAB + i for i, name in enumerate(names)},
            training={
                **training_record(config, train, validation, accuracy, seconds),
                "fake": True,
            },
        )
        return TrainReport(folder, total, seconds, len(train), len(validation), accuracy)
