"""Trainings of functional-token routers, started from a router node of a saved graph version.

A ``Training`` is queued by ``services.training_start``, run by the ``training.train_router``
task on the ``training`` queue, and ends completed (with the ``RouterAdapter`` it registered),
failed (with the reason) or cancelled. ``revision`` grows with every change of the row, so the
progress socket sends a snapshot only when it is newer than the last one it sent.
"""

from __future__ import annotations

from django.db import models

from webapp.api.model_mixins import BackgroundJob
from webapp.catalog.models import RouterAdapter
from webapp.graphstore.models import Graph, GraphVersion


class TrainingStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE = (TrainingStatus.QUEUED, TrainingStatus.RUNNING)
FINISHED = frozenset({TrainingStatus.COMPLETED, TrainingStatus.FAILED, TrainingStatus.CANCELLED})


class Training(BackgroundJob):
    """One training of router node ``router`` of ``version``.

    ``options`` are the ``workers.routing.job.TrainingOptions`` it was started with;
    ``progress`` the last ``TrainProgress`` reported (step, total_steps, epoch, loss,
    val_accuracy, elapsed_s, eta_s), null until the first step.
    """

    graph = models.ForeignKey(Graph, on_delete=models.CASCADE, related_name="trainings")
    version = models.ForeignKey(GraphVersion, on_delete=models.CASCADE, related_name="trainings")
    router = models.CharField(max_length=200)
    options = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=TrainingStatus.choices, default=TrainingStatus.QUEUED
    )
    progress = models.JSONField(null=True, blank=True)
    adapter = models.ForeignKey(
        RouterAdapter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=["graph", "router"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_training_per_router",
            ),
        )

    def __str__(self) -> str:
        return f"training {self.pk} of {self.router} in {self.version}"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED
