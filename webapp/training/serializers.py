"""Output shapes of trainings (input serializers live in their views)."""

from __future__ import annotations

from rest_framework import serializers

from webapp.api.serializers import (
    OutputModelSerializer,
    username_field,
    version_number_field,
)
from webapp.catalog.serializers import RouterAdapterOutput
from webapp.training.models import Training


class TrainingOptionsOutput(serializers.Serializer):
    epochs = serializers.IntegerField()
    examples_per_edge = serializers.IntegerField()
    model_queries_per_edge = serializers.IntegerField()
    validation_fraction = serializers.FloatField()


class TrainingProgressOutput(serializers.Serializer):
    """The last step reported: ``val_accuracy`` is null before the first validation, ``eta_s``
    extrapolates the mean step time so far."""

    step = serializers.IntegerField()
    total_steps = serializers.IntegerField()
    epoch = serializers.IntegerField()
    loss = serializers.FloatField()
    val_accuracy = serializers.FloatField(allow_null=True)
    elapsed_s = serializers.FloatField()
    eta_s = serializers.FloatField()


class TrainingOutput(OutputModelSerializer):
    """A training: what the REST API returns and what ``/ws/trainings/{id}/`` sends on every
    change. ``progress`` is null until the first step, ``adapter`` until it has completed."""

    version = version_number_field()
    options = TrainingOptionsOutput(read_only=True)
    progress = TrainingProgressOutput(read_only=True, allow_null=True)
    adapter = RouterAdapterOutput(read_only=True, allow_null=True)
    created_by = username_field()

    class Meta:
        model = Training
        fields = (
            "id",
            "graph",
            "version",
            "router",
            "status",
            "options",
            "progress",
            "error",
            "adapter",
            "revision",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
        )
