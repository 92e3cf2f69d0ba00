"""Writes for trainings: start, run (the task), record progress, cancel.

``training_start`` checks the router can be trained (``workers.routing.job.plan_training``)
before queueing anything (``TRAIN_TASK``, sent by name after the commit), so a bad request fails
at once with the reason. ``training_run`` is the ``training.train_router`` task: it runs
``train_router_job`` into
``OCTOGRAPH_ADAPTERS_DIR/<adapter name>`` with a progress callback that stores each step (at most
every ``PROGRESS_INTERVAL_S``) and stops the job, by raising ``TrainingStopped``, once the row is
no longer running (cancelled). On success it registers the adapter in the catalog
(``RouterAdapter``) in the same transaction that completes the training; a training cancelled
or failed leaves no adapter folder behind.

Every change bumps the row's ``revision`` and notifies the training's sockets after the commit.
"""

from __future__ import annotations

import logging
import re
import shutil
import time
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from graphs import SpecError, load_spec
from graphs.runtime import BackendError
from webapp.accounts.access import require_role
from webapp.accounts.models import Role
from webapp.catalog.services import router_adapter_register
from webapp.errors import Conflict, Invalid
from webapp.graphstore.models import Graph
from webapp.graphstore.selectors import latest_version_of, version_of
from webapp.training import notify
from webapp.training.models import ACTIVE, Training, TrainingStatus
from workers import settings
from workers.celery_app import app
from workers.routing.job import (
    TrainingError,
    TrainingModels,
    TrainingOptions,
    plan_training,
    train_router_job,
    training_models,
)
from workers.routing.trainer import TrainProgress, TrainReport

AnyUser = AbstractBaseUser | AnonymousUser
log = logging.getLogger(__name__)

TRAIN_TASK = "training.train_router"
"""The task that runs a queued training (``webapp.training.tasks.train_router``), sent by name:
the task imports this module, never the reverse."""

PROGRESS_INTERVAL_S = 0.5
"""Progress is stored (and the row checked for a cancel) at most this often, and at the last
step."""


class TrainingStopped(Exception):
    """Raised by the progress callback to stop a training that is no longer running."""


@transaction.atomic
def training_start(
    *,
    graph: Graph,
    actor: AnyUser,
    router: str,
    options: TrainingOptions,
    version: int | None = None,
) -> Training:
    """Queue a training of node ``router`` of ``version`` (default: the latest) with
    ``options`` (editors).

    Raises ``NotFound``/``Forbidden`` (access), ``Invalid`` (``not_trainable``: the node is not
    a router, lacks described edges or has a model that cannot be trained; ``invalid_graph``:
    the version no longer loads) and ``Conflict`` (``training_running``: the router is already
    being trained; ``training`` names that training).
    """
    require_role(user=actor, team=graph.team, role=Role.EDITOR, what="graph")
    graph_version = (
        latest_version_of(graph) if version is None else version_of(graph=graph, number=version)
    )
    try:
        plan_training(load_spec(graph_version.spec), router)
    except SpecError as error:
        raise Invalid(f"the graph version does not load: {error}", code="invalid_graph") from None
    except TrainingError as error:
        raise Invalid(str(error), code="not_trainable", field="router") from None
    running = Training.objects.filter(graph=graph, router=router, status__in=ACTIVE).first()
    if running is not None:
        raise _already_training(router, running.pk)
    try:
        with transaction.atomic():
            training = Training.objects.create(
                graph=graph,
                version=graph_version,
                router=router,
                options=options.to_json(),
                created_by=actor,
            )
    except IntegrityError:  # a concurrent start got there first
        raise _already_training(router, None) from None
    # ``ignore_result`` as ``Task.delay`` would (``task_ignore_result``).
    transaction.on_commit(lambda: app.send_task(TRAIN_TASK, args=[training.pk], ignore_result=True))
    return training


def _already_training(router: str, training_id: int | None) -> Conflict:
    return Conflict(
        f"router {router!r} is already being trained; cancel that training or wait for it",
        code="training_running",
        training=training_id,
    )


def training_cancel(*, training: Training, actor: AnyUser) -> Training:
    """Cancel ``training`` (editors): a queued one never starts, a running one stops at its next
    progress report and leaves no adapter. A finished training is returned unchanged."""
    require_role(user=actor, team=training.graph.team, role=Role.EDITOR, what="training")
    with transaction.atomic():
        locked = _locked(training.pk)
        if locked is None or locked.finished:
            return locked or training
        _finish(locked, TrainingStatus.CANCELLED, f"cancelled by {actor.get_username()}")
        return locked


def training_run(*, training_id: int, models: TrainingModels | None = None) -> None:
    """Run a queued training (the ``training.train_router`` task) with ``models`` (default:
    ``training_models()``, the real trainer unless ``OCTOGRAPH_FAKE_TRAINER`` is set).

    Does nothing for a training that is not queued; fails one found running (delivered again
    after its worker died). Every failure is stored as the training's ``error``.
    """
    training = _begin(training_id)
    if training is None:
        return
    name = adapter_name(training)
    folder: Path | None = None
    try:
        directory = settings.adapters_dir()
        if directory is None:
            raise TrainingError(
                "OCTOGRAPH_ADAPTERS_DIR is not set on the training worker: set it to the folder "
                "where the model hosts look for adapters"
            )
        folder = directory / name
        report = train_router_job(
            load_spec(training.version.spec),
            training.router,
            TrainingOptions(**training.options),
            folder,
            models=models or training_models(),
            progress=_ProgressRecorder(training.pk),
            link={
                "graph": str(training.graph_id),
                "version": str(training.version.number),
                "router": training.router,
                "training": str(training.pk),
            },
        )
    except TrainingStopped:
        _discard(folder)
        return
    # TrainingError, SpecError, SettingsError and the trainer's refusals are ValueErrors.
    except (ValueError, BackendError) as error:
        _fail(training.pk, str(error), folder)
        return
    except Exception as error:  # a crash must not leave the training running forever
        log.exception("training %s crashed", training.pk)
        _fail(training.pk, f"the training crashed: {type(error).__name__}: {error}", folder)
        return
    _complete(training.pk, report, name)


def adapter_name(training: Training) -> str:
    """The adapter's name under ``OCTOGRAPH_ADAPTERS_DIR``: graph slug, router and training id
    (unique, and a plain name, never a path)."""
    raw = f"{training.graph.slug}-{training.router}-t{training.pk}"
    return re.sub(r"[^A-Za-z0-9_-]+", "-", raw).strip("-")[-200:]


class _ProgressRecorder:
    """The job's progress callback: stores a step at most every ``PROGRESS_INTERVAL_S`` (and
    the last one), and raises ``TrainingStopped`` once the training is no longer running."""

    def __init__(self, training_id: int) -> None:
        self.training_id = training_id
        self.stored_at: float | None = None

    def __call__(self, progress: TrainProgress) -> None:
        now = time.monotonic()
        last = progress.step >= progress.total_steps
        if not last and self.stored_at is not None and now - self.stored_at < PROGRESS_INTERVAL_S:
            return
        self.stored_at = now
        with transaction.atomic():
            training = _locked(self.training_id)
            if training is None or training.status != TrainingStatus.RUNNING:
                raise TrainingStopped
            training.progress = {
                "step": progress.step,
                "total_steps": progress.total_steps,
                "epoch": progress.epoch,
                "loss": progress.loss,
                "val_accuracy": progress.val_accuracy,
                "elapsed_s": round(progress.elapsed_s, 3),
                "eta_s": round(progress.eta_s, 3),
            }
            _save(training, "progress")


def _begin(training_id: int) -> Training | None:
    """Mark a queued training running; the training, or None when it is not to run."""
    with transaction.atomic():
        training = _locked(training_id)
        if training is None or training.finished:
            return None
        if training.status == TrainingStatus.RUNNING:
            _finish(training, TrainingStatus.FAILED, "its worker stopped before it finished")
            return None
        training.status = TrainingStatus.RUNNING
        training.started_at = timezone.now()
        _save(training, "status", "started_at")
        return training


def _complete(training_id: int, report: TrainReport, name: str) -> None:
    """Register the adapter and complete the training, unless it was cancelled meanwhile."""
    with transaction.atomic():
        training = _locked(training_id)
        if training is None or training.status != TrainingStatus.RUNNING:
            _discard(report.folder)
            return
        training.adapter = router_adapter_register(
            version=training.version,
            router=training.router,
            name=name,
            folder=str(Path(report.folder).resolve()),
            base_model=load_spec(training.version.spec).node(training.router).config.model,
            val_accuracy=report.val_accuracy,
            train_examples=report.train_examples,
            validation_examples=report.validation_examples,
            created_by=training.created_by,
        )
        training.save(update_fields=["adapter"])
        _finish(training, TrainingStatus.COMPLETED, "")


def _fail(training_id: int, reason: str, folder: Path | None) -> None:
    _discard(folder)
    with transaction.atomic():
        training = _locked(training_id)
        if training is not None and not training.finished:
            _finish(training, TrainingStatus.FAILED, reason)


def _discard(folder: Path | None) -> None:
    """Remove the adapter folder of a training that did not complete, if it was written."""
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def _finish(training: Training, status: TrainingStatus, error: str) -> None:
    training.status = status
    training.error = error
    training.finished_at = timezone.now()
    _save(training, "status", "error", "finished_at")


def _save(training: Training, *fields: str) -> None:
    """Save ``fields`` with the next revision and notify the sockets after the commit."""
    training.revision += 1
    training.save(update_fields=[*fields, "revision"])
    notify.training_changed(training.pk, training.revision)


def _locked(training_id: int) -> Training | None:
    trainings = Training.objects.select_for_update(of=("self",)).select_related("version", "graph")
    return trainings.filter(pk=training_id).first()
