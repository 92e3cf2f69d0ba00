"""Output shapes of runs (input serializers live in their views)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from webapp.api.serializers import OutputModelSerializer, username_field
from webapp.runs.models import Run, RunEvent, RunUpload

_JSON_IMAGE_SCHEMA = {
    "oneOf": [
        {
            "type": "string",
            "description": "a base64 data URL, e.g. data:image/png;base64,iVBORw0...",
        },
        {
            "type": "object",
            "properties": {
                "data": {
                    "type": "string",
                    "description": "the image file in base64, or a base64 data URL",
                },
                "media_type": {
                    "type": "string",
                    "description": "its MIME type, if given it must agree with the content",
                },
                "name": {"type": "string", "description": "a file name shown with the image"},
            },
            "required": ["data"],
            "additionalProperties": False,
        },
    ]
}


@extend_schema_field(_JSON_IMAGE_SCHEMA)
class JsonImageField(serializers.Field):
    """One image of a JSON run request: a data URL, or ``{"data", "media_type"?, "name"?}``.
    Only the shape is checked here (``webapp.runs.uploads`` decodes, the service validates)."""

    default_error_messages = {  # noqa: RUF012 - DRF's convention for field error messages
        "shape": "each image is a data URL, or an object with a string 'data' (base64 or a "
        "data URL) and optional strings 'media_type' and 'name'",
    }

    def to_internal_value(self, data: Any) -> str | dict[str, str]:
        if isinstance(data, str):
            return data
        keys = {"data", "media_type", "name"}
        if (
            not isinstance(data, Mapping)
            or "data" not in data
            or not set(data) <= keys
            or not all(isinstance(value, str) for value in data.values())
        ):
            self.fail("shape")
        return dict(data)

    def to_representation(self, value: Any) -> Any:
        return value


class RunOutput(OutputModelSerializer):
    version = serializers.IntegerField(source="version.number", read_only=True)
    created_by = username_field()
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


class RunImageOutput(OutputModelSerializer):
    """An image of the run: its working copy (``media_type``, ``width``, ``height``, ``bytes``,
    ``sha256``: as ``RunImage.summary()`` in the ``run.started`` event), the original's type and
    size, and the ``url`` serving the original."""

    bytes = serializers.SerializerMethodField()
    sha256 = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = RunUpload
        fields = (
            "number",
            "name",
            "media_type",
            "width",
            "height",
            "bytes",
            "sha256",
            "original_type",
            "original_bytes",
            "url",
        )

    def get_bytes(self, upload: RunUpload) -> int:
        return len(upload.data)

    def get_sha256(self, upload: RunUpload) -> str:
        return upload.working_copy().sha256

    def get_url(self, upload: RunUpload) -> str:
        return reverse("run-image", kwargs={"run_id": upload.run_id, "number": upload.number})


class ImageLimitsOutput(serializers.Serializer):
    max_images = serializers.IntegerField()
    media_types = serializers.ListField(child=serializers.CharField())
    max_bytes = serializers.IntegerField(help_text="per image, as uploaded")
    max_pixels = serializers.IntegerField(help_text="width x height, per image")


class NodeTimingOutput(serializers.Serializer):
    node = serializers.CharField()
    latency_ms = serializers.FloatField()
    attempts = serializers.IntegerField()
    tokens_in = serializers.IntegerField()
    tokens_out = serializers.IntegerField()


class RunDetailOutput(RunOutput):
    """A run with its images and the timings of its completed nodes, in completion order (from
    the trace)."""

    images = serializers.SerializerMethodField()
    timings = serializers.SerializerMethodField()

    class Meta(RunOutput.Meta):
        fields = (*RunOutput.Meta.fields, "images", "timings")

    @extend_schema_field(RunImageOutput(many=True))
    def get_images(self, run: Run) -> list[dict[str, Any]]:
        uploads = run.uploads.defer("original").order_by("number")
        return list(RunImageOutput(uploads, many=True).data)

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


class RunEventOutput(OutputModelSerializer):
    """One event in the schema of ``graphs.events`` (whose run ids are strings)."""

    run = serializers.CharField(source="run_id", read_only=True)

    class Meta:
        model = RunEvent
        fields = ("run", "seq", "ts", "type", "node", "data")
