"""Evaluation: datasets of example rows, and experiments that run a graph version on them.

A ``Dataset`` belongs to a team and never changes once created (a new upload is a new dataset);
its ``DatasetRow`` values are ``graphs.evaluation.dataset.DatasetRow.to_json()``.

An ``Experiment`` runs one graph version on a dataset's rows (all, or a seeded sample): each
selected row gets an ``ExperimentRow``, whose run is created by ``driver.experiment_advance``
(at most ``concurrency`` at once) and scored once it has finished
(``driver.experiment_row_finished``, sent by the runs app as the run's ``on_finish`` task) and,
with the ``judge`` scorer, once a judge model has graded its answer
(``driver.experiment_row_judged``).
``revision`` grows with every change of the experiment, so the progress socket sends a snapshot
only when it is newer than the last one it sent.
"""

from __future__ import annotations

from django.db import models

from webapp.accounts.models import Team
from webapp.api.model_mixins import BackgroundJob, CreatedRecord
from webapp.graphstore.models import Graph, GraphVersion
from webapp.runs.models import Run


class DatasetSource(models.TextChoices):
    UPLOAD = "upload", "Uploaded file"
    BUILTIN = "builtin", "Built-in dataset"
    RUNS = "runs", "Past runs of a graph"


class Dataset(CreatedRecord):
    """Rows to evaluate graphs on. ``fields``: the optional row fields present in any row
    (``graphs.evaluation.dataset.dataset_fields``), which decide the default scorers;
    ``builtin``: the built-in dataset copied (source ``builtin``); ``filename``: the uploaded
    file's name (source ``upload``)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="datasets")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=DatasetSource.choices)
    builtin = models.CharField(max_length=100, blank=True)
    filename = models.CharField(max_length=255, blank=True)
    row_count = models.PositiveIntegerField()
    fields = models.JSONField(default=list)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"dataset {self.pk} ({self.name})"


class DatasetRow(models.Model):
    """Row ``index`` (from 0, in file order) of a dataset: ``DatasetRow.to_json()``."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="rows")
    index = models.PositiveIntegerField()
    data = models.JSONField()

    class Meta:
        ordering = ("dataset_id", "index")
        constraints = (
            models.UniqueConstraint(fields=["dataset", "index"], name="dataset_row_index_unique"),
        )

    def __str__(self) -> str:
        return f"{self.dataset_id}#{self.index}"


class ExperimentStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE = (ExperimentStatus.QUEUED, ExperimentStatus.RUNNING)
FINISHED = frozenset(
    {ExperimentStatus.COMPLETED, ExperimentStatus.FAILED, ExperimentStatus.CANCELLED}
)


class Experiment(BackgroundJob):
    """``version`` of ``graph`` on ``dataset``: ``sample_size`` rows drawn with ``seed`` (null:
    every row), scored by ``scorers`` (``ScorerSpec.to_json()`` each), at most ``concurrency``
    runs at once; ``routing_only`` runs stop at their routers.

    ``total`` rows were selected; ``done`` of them are scored, ``failed`` of those had a run that
    did not complete. ``summary`` is ``graphs.evaluation.report.summarize`` over the scored rows
    (recomputed at most every ``driver.SUMMARY_INTERVAL_S`` while running, at ``summarized_at``,
    and always at the end); ``error`` says why an experiment failed.
    """

    graph = models.ForeignKey(Graph, on_delete=models.CASCADE, related_name="experiments")
    version = models.ForeignKey(GraphVersion, on_delete=models.CASCADE, related_name="+")
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="experiments")
    sample_size = models.PositiveIntegerField(null=True, blank=True)
    seed = models.BigIntegerField(default=0)
    scorers = models.JSONField(default=list)
    routing_only = models.BooleanField(default=False)
    concurrency = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=ExperimentStatus.choices, default=ExperimentStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    summary = models.JSONField(null=True, blank=True)
    summarized_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = (models.Index(fields=["status"], name="experiment_status"),)

    def __str__(self) -> str:
        return f"experiment {self.pk} of {self.version} on dataset {self.dataset_id}"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def scorer_names(self) -> list[str]:
        return [spec["name"] for spec in self.scorers]


class RowStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    JUDGING = "judging", "Judging"
    SCORED = "scored", "Scored"


UNDER_WAY = (RowStatus.RUNNING, RowStatus.JUDGING)
"""Rows that hold one of the experiment's ``concurrency`` slots: a run, or a judge, at work."""


class ExperimentRow(models.Model):
    """One selected dataset row of an experiment (``index``: the row's index in the dataset).

    ``run`` is created once, when the row starts (``running``); the row is ``scored`` exactly once,
    under its lock, from the run's stored trace: ``observation`` is
    ``graphs.evaluation.scorers.Observation.to_json()``, ``scores`` maps each scorer name to its
    ``Score.to_json()``, ``outcome`` is the run's final status. ``expected_routes`` are the row's
    ``route`` resolved against the version (``{router id: target node id}``).

    With the ``judge`` scorer, a row whose run completed is ``judging`` between its run and its
    judge score: ``observation`` and the pure scores are stored, the judge's job went to the
    judge model's queue at ``judge_sent_at`` (``judge_attempts`` sends so far), and the row is
    ``scored`` when the score comes back (``driver.experiment_row_judged``).
    """

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="rows")
    dataset_row = models.ForeignKey(DatasetRow, on_delete=models.CASCADE, related_name="+")
    index = models.PositiveIntegerField()
    expected_routes = models.JSONField(default=dict)
    run = models.OneToOneField(
        Run, on_delete=models.SET_NULL, null=True, blank=True, related_name="experiment_row"
    )
    status = models.CharField(max_length=10, choices=RowStatus.choices, default=RowStatus.PENDING)
    outcome = models.CharField(max_length=10, blank=True)
    observation = models.JSONField(null=True, blank=True)
    scores = models.JSONField(null=True, blank=True)
    judge_sent_at = models.DateTimeField(null=True, blank=True)
    judge_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("experiment_id", "index")
        constraints = (
            models.UniqueConstraint(
                fields=["experiment", "index"], name="experiment_row_index_unique"
            ),
        )
        indexes = (
            models.Index(fields=["experiment", "status", "index"], name="experiment_row_status"),
        )

    def __str__(self) -> str:
        return f"experiment {self.experiment_id} row {self.index}"
