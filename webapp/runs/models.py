"""Runs of graph versions and their stored traces.

A ``Run`` holds the engine's ``RunState`` as JSON (``state``): the Celery driver keeps the state
here and every step of the run locks the row, folds one node's outcome in and saves it back.
``RunEvent`` rows are the run's trace: its structural events (everything but ``node.delta``),
copied from the run's Redis event stream with the same ``seq`` numbers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from graphs.images import RunImage
from webapp.graphstore.models import Graph, GraphVersion


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


FINISHED = frozenset({RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.CANCELLED})


class Run(models.Model):
    """One query through one version of a graph.

    ``nodes`` maps each node dispatched to a model host to ``{"task": celery task id,
    "deadline": iso8601}``: the task to revoke on cancel and the time after which the node is
    considered lost. ``last_seq`` is the seq of the last event copied into the trace.
    ``routing_only`` runs stop once their routers have decided (``RunInput.routing_only``).
    ``on_finish`` names a Celery task sent with the run's id once the run has finished (after the
    commit of the step that finished it): how an experiment learns that its row's run is done.
    """

    graph = models.ForeignKey(Graph, on_delete=models.CASCADE, related_name="runs")
    version = models.ForeignKey(GraphVersion, on_delete=models.CASCADE, related_name="runs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    input = models.TextField()
    routing_only = models.BooleanField(default=False)
    on_finish = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    output = models.TextField(blank=True)
    error = models.TextField(blank=True)
    state = models.JSONField(null=True, blank=True)
    nodes = models.JSONField(default=dict, blank=True)
    last_seq = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=["status", "created_at"], name="run_status_created"),)

    def __str__(self) -> str:
        return f"run {self.pk} of {self.version}"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


class RunEvent(models.Model):
    """One structural event of a run's trace, as in ``graphs.events.Event``."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    ts = models.CharField(max_length=40)
    type = models.CharField(max_length=40)
    node = models.CharField(max_length=200, null=True, blank=True)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ("run_id", "seq")
        constraints = (models.UniqueConstraint(fields=["run", "seq"], name="run_event_seq_unique"),)

    def __str__(self) -> str:
        return f"{self.run_id}#{self.seq} {self.type}"

    def to_json(self) -> dict[str, object]:
        """The event in the one event schema (``graphs.events.Event.to_json``)."""
        return {
            "run": str(self.run_id),
            "seq": self.seq,
            "ts": self.ts,
            "type": self.type,
            "node": self.node,
            "data": self.data,
        }


class RunUpload(models.Model):
    """An image the run started with: the original upload, validated and kept as sent, and its
    working copy (``graphs.images.RunImage``: downscaled, re-encoded) that went into the run's
    input. ``number`` is its place in ``RunInput.images``, from 1 (``"image 1"`` in messages and
    ``/api/runs/{id}/images/1/``); ``name`` is the client's file name, if it gave one."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="uploads")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=255, blank=True)
    original_type = models.CharField(max_length=20)
    original = models.BinaryField()
    original_bytes = models.PositiveIntegerField()
    media_type = models.CharField(max_length=20)
    data = models.BinaryField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        ordering = ("run_id", "number")
        constraints = (
            models.UniqueConstraint(fields=["run", "number"], name="run_upload_number_unique"),
        )

    def __str__(self) -> str:
        return f"run {self.run_id} image {self.number}"

    def working_copy(self) -> RunImage:
        return RunImage(self.media_type, bytes(self.data), self.width, self.height)
