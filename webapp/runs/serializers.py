"""Output shapes of runs (input serializers live in their views)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from webapp.runs.models import Run, RunEvent


class RunOutput(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.number", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    duration_ms = serializers.SerializerMethodField()

    class Meta:
        model = Run
        fields = (
            "id",
            "graph",
            "version",
            "status",
            "input",
            "output",
            "error",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
            "duration_ms",
            "last_seq",
        )

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_duration_ms(self, run: Run) -> float | None:
        """From start to finish; null until the run has both."""
        if run.started_at is None or run.finished_at is None:
            return None
        return round((run.finished_at - run.started_at).total_seconds() * 1000, 3)


class NodeTimingOutput(serializers.Serializer):
    node = serializers.CharField()
    latency_ms = serializers.FloatField()
    attempts = serializers.IntegerField()
    tokens_in = serializers.IntegerField()
    tokens_out = serializers.IntegerField()


class RunDetailOutput(RunOutput):
    """A run with the timings of its completed nodes, in completion order (from the trace)."""

    timings = serializers.SerializerMethodField()

    class Meta(RunOutput.Meta):
        fields = (*RunOutput.Meta.fields, "timings")

    @extend_schema_field(NodeTimingOutput(many=True))
    def get_timings(self, run: Run) -> list[dict[str, Any]]:
        completed = run.events.filter(type="node.completed").order_by("seq")
        return [
            {
                "node": event.node,
                "latency_ms": event.data.get("latency_ms", 0.0),
                "attempts": event.data.get("attempts", 1),
                "tokens_in": event.data.get("tokens_in", 0),
                "tokens_out": event.data.get("tokens_out", 0),
            }
            for event in completed
        ]


class RunEventOutput(serializers.ModelSerializer):
    """One event in the schema of ``graphs.events`` (whose run ids are strings)."""

    run = serializers.CharField(source="run_id", read_only=True)

    class Meta:
        model = RunEvent
        fields = ("run", "seq", "ts", "type", "node", "data")
