"""One router training job: (graph spec, router node id, options) -> a trained adapter folder.

The one place that turns a router's outgoing edges into a trained functional-token adapter, used
by ``octograph train-router`` and by the web app's training task:

1. ``plan_training`` checks, without loading anything, that the router can be trained: every
   outgoing edge has a token and a description, and its model is a local transformers model of
   the catalog whose weights are here (``TrainingError`` says what is wrong otherwise);
2. ``train_router_job`` synthesises examples from the edges (``workers.routing.dataset``), asks
   the router's model for more when ``model_queries_per_edge`` is set, holds out a stratified
   validation share, trains (``train_router``) and saves the adapter folder.

What touches models (the base weights' folder, the client that writes queries, the training
function) comes in a ``TrainingModels``; ``training_models()`` gives the real ones, or the fakes
when the test-only ``OCTOGRAPH_FAKE_TRAINER`` is set.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from graphs.runtime import BackendError, ModelClient, UnknownModelError
from graphs.spec import GraphSpec
from workers import aio, settings
from workers.catalog import ModelEntry, default_catalog
from workers.routing.dataset import (
    DatasetError,
    RouteTarget,
    model_written,
    route_targets,
    split,
    synthesize,
)
from workers.routing.trainer import ProgressFn, TrainConfig, TrainFn, TrainJob, TrainReport


class TrainingError(ValueError):
    """The router cannot be trained as asked. ``field`` names the bad option, if one is."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# Bounds of the options: (smallest, largest) accepted value.
LIMITS: Mapping[str, tuple[float, float]] = {
    "epochs": (1, 50),
    "examples_per_edge": (1, 1000),
    "model_queries_per_edge": (0, 200),
    "validation_fraction": (0.0, 0.9),
}


@dataclass(frozen=True, kw_only=True)
class TrainingOptions:
    """What a user may choose about a training: ``epochs`` over the training set,
    ``examples_per_edge`` synthesised from each edge's description and examples,
    ``model_queries_per_edge`` more written by the router's model (0: none), and the
    ``validation_fraction`` of each edge's examples held out to measure accuracy.

    Raises ``TrainingError`` naming the field when a value is outside ``LIMITS``."""

    epochs: int = 3
    examples_per_edge: int = 40
    model_queries_per_edge: int = 0
    validation_fraction: float = 0.2

    def __post_init__(self) -> None:
        for name, (low, high) in LIMITS.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TrainingError(f"{name} must be a number, got {value!r}", field=name)
            if name != "validation_fraction" and not isinstance(value, int):
                raise TrainingError(f"{name} must be a whole number, got {value!r}", field=name)
            if not low <= value <= high:
                raise TrainingError(
                    f"{name} must be between {low:g} and {high:g}, got {value!r}", field=name
                )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TrainingModels:
    """The model side of a job: ``base_folder`` of a catalog entry's weights (may convert them,
    once), ``client`` that writes queries (made only when some are asked for), ``train``."""

    base_folder: Callable[[ModelEntry], str | Path]
    client: Callable[[], ModelClient]
    train: TrainFn


def training_models() -> TrainingModels:
    """The real models, or the test-only fakes when ``OCTOGRAPH_FAKE_TRAINER`` is set."""
    step_s = settings.fake_trainer()
    if step_s is not None:
        from workers.backends.fake import FakeBackend
        from workers.routing.fake_trainer import FakeTrainer

        return TrainingModels(
            base_folder=lambda entry: entry.key, client=FakeBackend, train=FakeTrainer(step_s)
        )
    from workers.model_store import ModelStore
    from workers.routing.trainer import train_router
    from workers.runtime import ModelRuntime

    return TrainingModels(
        base_folder=lambda entry: ModelStore().resolve(entry).location,
        client=ModelRuntime,
        train=train_router,
    )


@dataclass(frozen=True)
class TrainingPlan:
    """A router that can be trained: its candidates in token order and its model."""

    router: str
    targets: list[RouteTarget]
    model: ModelEntry


def plan_training(spec: GraphSpec, router: str) -> TrainingPlan:
    """Check that node ``router`` of ``spec`` can be trained here; loads nothing.

    Raises ``TrainingError`` when the node is missing or not a router, has fewer than two
    outgoing edges or one without a token or description, or its model is not a local
    transformers model of the catalog with its weights present.
    """
    try:
        targets = route_targets(spec, router)
    except DatasetError as error:
        raise TrainingError(str(error)) from None
    key = spec.node(router).config.model
    try:
        entry = default_catalog().get(key)
    except UnknownModelError:
        raise TrainingError(
            f"router {router!r} uses model {key!r}, which is not in the model catalog: "
            "only built-in or configured local models can be trained"
        ) from None
    if entry.kind != "transformers":
        raise TrainingError(
            f"router {router!r} uses model {key!r}, an OpenAI-compatible endpoint: only local "
            "transformers models can be trained"
        )
    reason = entry.unavailable_reason()
    if reason is not None:
        raise TrainingError(f"model {key!r} of router {router!r} cannot be trained here: {reason}")
    return TrainingPlan(router, targets, entry)


def train_router_job(
    spec: GraphSpec,
    router: str,
    options: TrainingOptions,
    out: str | Path,
    *,
    models: TrainingModels,
    progress: ProgressFn | None = None,
    link: dict[str, str] | None = None,
) -> TrainReport:
    """Train router ``router`` of ``spec`` with ``options`` and save the adapter folder ``out``.

    ``progress`` is called after every step and may raise to stop the job (the exception
    propagates; nothing is saved). ``link`` (what the adapter was trained for) is recorded in the
    adapter's metadata. Raises ``TrainingError`` (``plan_training``'s reasons, or the router's
    model failing to write queries) and whatever ``models`` raise (``BackendError`` when the base
    weights cannot be found or converted).
    """
    plan = plan_training(spec, router)
    examples = synthesize(plan.targets, per_target=options.examples_per_edge)
    if options.model_queries_per_edge:
        try:
            examples += aio.run(
                model_written(
                    models.client(), plan.model.key, plan.targets, options.model_queries_per_edge
                )
            )
        except BackendError as error:
            raise TrainingError(
                f"model {plan.model.key!r} could not write training queries: {error}"
            ) from None
    train, validation = split(examples, options.validation_fraction)
    job = TrainJob(
        base=models.base_folder(plan.model),
        targets=plan.targets,
        train=train,
        validation=validation,
        out=out,
        config=TrainConfig(epochs=options.epochs),
        base_key=plan.model.key,
        link=link,
    )
    return models.train(job, progress)
