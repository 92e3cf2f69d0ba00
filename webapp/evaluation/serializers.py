"""Output shapes of datasets and experiments (input serializers live in their views)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from webapp.api.serializers import (
    OutputModelSerializer,
    username_field,
    version_number_field,
)
from webapp.evaluation import selectors
from webapp.evaluation.models import Dataset, Experiment

_ANY_OBJECT = {"type": "object", "additionalProperties": True}


@extend_schema_field(_ANY_OBJECT)
class JsonObjectField(serializers.Field):
    """A JSON object passed through as it is (e.g. a ``report.summarize`` summary)."""

    def to_representation(self, value: Any) -> Any:
        return value

    def to_internal_value(self, data: Any) -> Any:  # output only
        return data


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "description": "a target's node id or label"},
            {"type": "object", "additionalProperties": {"type": "string"}},
        ],
        "nullable": True,
    }
)
class RouteField(JsonObjectField):
    """A row's ``route``: a target's id or label, or ``{router id: target}``."""


class DatasetOutput(OutputModelSerializer):
    """A dataset: ``source`` is ``upload``, ``builtin`` or ``runs``; ``fields`` the optional row
    fields present (they decide the default scorers)."""

    fields = serializers.ListField(child=serializers.CharField(), read_only=True)
    created_by = username_field()

    class Meta:
        model = Dataset
        fields = (
            "id",
            "team",
            "name",
            "description",
            "source",
            "builtin",
            "filename",
            "row_count",
            "fields",
            "created_by",
            "created_at",
        )


class BuiltinDatasetOutput(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    licence = serializers.CharField()
    rows = serializers.IntegerField()


class DatasetRowsOutput(serializers.Serializer):
    """``count`` rows in all; ``rows``: each ``{"index", "input", ...}`` with the optional fields
    it has (``expected``, ``choices``, ``answer``, ``route``, ``metadata``, ``images``)."""

    count = serializers.IntegerField()
    rows = serializers.ListField(child=JsonObjectField())


class ScorerOutput(serializers.Serializer):
    """A scorer: ``needs`` the row fields it requires; ``routing_only`` when routing decisions
    suffice; ``supported`` is false for scorers the web app cannot run (every scorer runs
    today; ``judge`` needs its ``model`` option)."""

    name = serializers.CharField()
    description = serializers.CharField()
    needs = serializers.ListField(child=serializers.CharField())
    routing_only = serializers.BooleanField()
    supported = serializers.BooleanField()


class DatasetRefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ProgressOutput(serializers.Serializer):
    """Rows ``done`` (scored) of ``total``, of which ``failed`` had a run that did not complete;
    ``running`` rows under way (their run, or their judge, at work); ``eta_s`` extrapolates the
    rate so far (null before the first row)."""

    done = serializers.IntegerField()
    total = serializers.IntegerField()
    failed = serializers.IntegerField()
    running = serializers.IntegerField()
    elapsed_s = serializers.FloatField()
    eta_s = serializers.FloatField(allow_null=True)


class ExperimentOutput(OutputModelSerializer):
    """An experiment: what the REST API returns and what ``/ws/experiments/{id}/`` sends on
    every change. ``scorers``: ``{"name", ...options}`` each; ``sample``: null for every row;
    ``summary``: ``graphs.evaluation.report.summarize`` over the rows scored so far (null before
    the first), the same shape as ``octograph eval --json``."""

    version = version_number_field()
    dataset = serializers.SerializerMethodField()
    sample = serializers.IntegerField(source="sample_size", read_only=True, allow_null=True)
    scorers = serializers.ListField(child=JsonObjectField(), read_only=True)
    progress = serializers.SerializerMethodField()
    summary = JsonObjectField(read_only=True, allow_null=True)
    created_by = username_field()

    class Meta:
        model = Experiment
        fields = (
            "id",
            "graph",
            "version",
            "dataset",
            "sample",
            "seed",
            "scorers",
            "routing_only",
            "concurrency",
            "status",
            "total",
            "done",
            "failed",
            "progress",
            "summary",
            "error",
            "revision",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
        )

    @extend_schema_field(DatasetRefOutput)
    def get_dataset(self, experiment: Experiment) -> dict[str, Any]:
        return {"id": experiment.dataset_id, "name": experiment.dataset.name}

    @extend_schema_field(ProgressOutput)
    def get_progress(self, experiment: Experiment) -> dict[str, Any]:
        return selectors.progress_of(experiment)


class ExperimentRowOutput(serializers.Serializer):
    """One row of an experiment: the dataset row's fields, the row's ``status`` (``pending``,
    ``running``, ``judging`` (its run finished; a judge model is grading it), ``scored``), its
    run (``run``: open it at ``/graphs/{graph}?run={run}``) and
    the run's ``outcome`` (completed, failed or cancelled), ``output`` and ``error``; ``scores``:
    ``{scorer: {"value", "detail"}}``; ``decisions``: ``{router: {"target", "probability"}}``."""

    index = serializers.IntegerField()
    input = serializers.CharField()
    expected = serializers.CharField(allow_null=True)
    choices = serializers.ListField(child=serializers.CharField(), allow_null=True)
    answer = serializers.CharField(allow_null=True)
    route = RouteField(allow_null=True)
    expected_routes = serializers.DictField(child=serializers.CharField())
    metadata = JsonObjectField()
    status = serializers.CharField()
    outcome = serializers.CharField(allow_null=True)
    run = serializers.IntegerField(allow_null=True)
    output = serializers.CharField(allow_null=True)
    error = serializers.CharField(allow_null=True)
    scores = JsonObjectField()
    decisions = JsonObjectField()
    latency_ms = serializers.FloatField(allow_null=True)
    tokens_in = serializers.IntegerField(allow_null=True)
    tokens_out = serializers.IntegerField(allow_null=True)


class ExperimentRowsOutput(serializers.Serializer):
    count = serializers.IntegerField()
    rows = ExperimentRowOutput(many=True)


class CompareOutput(serializers.Serializer):
    """``base``: the first experiment; ``metrics``: ``{other experiment id: {scorer: {"a", "b",
    "delta", "test", "p_value", "low", "high"}}}`` (``report.compare`` against the base, on the
    ``scorers`` they share); ``changed``: rows whose score differs between the base and any
    other, with each experiment's scores and run."""

    dataset = DatasetRefOutput()
    experiments = ExperimentOutput(many=True)
    base = serializers.IntegerField()
    scorers = serializers.ListField(child=serializers.CharField())
    metrics = JsonObjectField()
    changed = serializers.ListField(child=JsonObjectField())


class ParetoPointOutput(serializers.Serializer):
    experiment = serializers.IntegerField()
    graph = serializers.IntegerField()
    graph_name = serializers.CharField()
    version = serializers.IntegerField()
    label = serializers.CharField()
    routing_only = serializers.BooleanField()
    quality = serializers.FloatField()
    latency_p50 = serializers.FloatField(allow_null=True)
    tokens = serializers.FloatField(allow_null=True)


class ParetoFrontierOutput(serializers.Serializer):
    latency = serializers.ListField(child=serializers.IntegerField())
    tokens = serializers.ListField(child=serializers.IntegerField())


class ParetoOutput(serializers.Serializer):
    """Each completed experiment on the dataset with a value for ``metric`` as a point; the
    ids of the experiments on each frontier (``latency``: quality vs median latency, ``tokens``:
    quality vs mean tokens per row), by increasing cost."""

    dataset = serializers.IntegerField()
    metric = serializers.CharField(allow_null=True)
    points = ParetoPointOutput(many=True)
    frontier = ParetoFrontierOutput()
