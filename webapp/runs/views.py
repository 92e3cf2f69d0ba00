"""Runs: start one on a graph (text and images), list a graph's runs, read a run, its trace and
its images, cancel it. Access follows the graph's: another team's runs answer 404; viewers may
run."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from graphs.images import IMAGE_MEDIA_TYPES, MAX_RUN_IMAGES
from webapp.api.errors import error_responses
from webapp.api.limits import MAX_VERSION
from webapp.api.pagination import PageQuery, page_response, paginated
from webapp.api.parsers import JSONParser, MultiPartParser
from webapp.graphstore.selectors import graph_for
from webapp.runs import selectors, services, uploads
from webapp.runs.serializers import (
    ImageLimitsOutput,
    JsonImageField,
    RunDetailOutput,
    RunEventOutput,
    RunOutput,
)
from workers.images import ImageLimits

MAX_SEQ = 2**31 - 1
PAGE = 1000


class GraphRunListApi(APIView):
    parser_classes = (JSONParser, MultiPartParser)

    class RunCreateInput(serializers.Serializer):
        input = serializers.CharField(
            trim_whitespace=False, max_length=services.MAX_INPUT_CHARS, help_text="the query"
        )
        version = serializers.IntegerField(
            min_value=1, max_value=MAX_VERSION, required=False, help_text="default: the latest"
        )

    class RunCreateJsonInput(RunCreateInput):
        images = serializers.ListField(
            child=JsonImageField(),
            required=False,
            help_text=f"at most {MAX_RUN_IMAGES} images (PNG, JPEG, WebP or GIF)",
        )

    class RunCreateMultipartInput(RunCreateInput):
        images = serializers.ListField(
            child=serializers.FileField(allow_empty_file=True, use_url=False),
            required=False,
            help_text=f"image files, at most {MAX_RUN_IMAGES} (PNG, JPEG, WebP or GIF)",
        )

    @extend_schema(
        operation_id="graphs_runs_list",
        parameters=[PageQuery],
        responses={200: paginated(RunOutput), **error_responses(400, 404)},
    )
    def get(self, request: Request, graph_id: int) -> Response:
        """The graph's runs, newest first, a page at a time."""
        graph = graph_for(user=request.user, graph_id=graph_id)
        return page_response(request, selectors.runs_of(graph), RunOutput)

    @extend_schema(
        request={
            "application/json": RunCreateJsonInput,
            "multipart/form-data": RunCreateMultipartInput,
        },
        responses={201: RunDetailOutput, **error_responses(400, 404, 413, 503)},
    )
    def post(self, request: Request, graph_id: int) -> Response:
        """Run a version of the graph (default: the latest) on ``input`` and optional
        ``images`` (viewers may run): JSON with each image a data URL or ``{"data": base64 or
        a data URL, "media_type", "name"}``, or multipart with repeated ``images`` files. An
        image that is refused answers 400 with its ``code`` and ``image`` (its number, from
        1). The run is queued; follow it with ``GET /api/runs/{id}/`` and its events. 503
        (``queue_unavailable``, with ``Retry-After``) when the task queue cannot be reached:
        no run was created."""
        graph = graph_for(user=request.user, graph_id=graph_id)
        multipart = request.content_type.startswith("multipart/")
        shape = self.RunCreateMultipartInput if multipart else self.RunCreateJsonInput
        data = shape(data=request.data)
        data.is_valid(raise_exception=True)
        images = data.validated_data.get("images", [])
        checked = services.images_check(
            uploads.from_files(images, ImageLimits.from_settings())
            if multipart
            else uploads.from_json(images)
        )
        run = services.run_create(
            graph=graph,
            actor=request.user,
            text=data.validated_data["input"],
            version=data.validated_data.get("version"),
            images=checked,
        )
        return Response(RunDetailOutput(run).data, status=status.HTTP_201_CREATED)


class RunDetailApi(APIView):
    @extend_schema(responses={200: RunDetailOutput, **error_responses(404)})
    def get(self, request: Request, run_id: int) -> Response:
        """The run's status, output or error, and timings."""
        return Response(RunDetailOutput(selectors.run_for(user=request.user, run_id=run_id)).data)


class RunEventListApi(APIView):
    class EventQuery(serializers.Serializer):
        after = serializers.IntegerField(
            min_value=0, max_value=MAX_SEQ, default=0, help_text="only events with a larger seq"
        )

    @extend_schema(
        parameters=[EventQuery], responses={200: RunEventOutput(many=True), **error_responses(404)}
    )
    def get(self, request: Request, run_id: int) -> Response:
        """The run's stored trace (structural events; no deltas) after ``after``, in ``seq``
        order, at most 1000 at a time: ask again after the last ``seq`` received."""
        run = selectors.run_for(user=request.user, run_id=run_id)
        query = self.EventQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        events = selectors.trace_of(run, after=query.validated_data["after"], limit=PAGE)
        return Response(RunEventOutput(events, many=True).data)


class RunCancelApi(APIView):
    @extend_schema(request=None, responses={200: RunDetailOutput, **error_responses(403, 404)})
    def post(self, request: Request, run_id: int) -> Response:
        """Cancel the run (its creator or an editor); a finished run is returned unchanged."""
        run = selectors.run_for(user=request.user, run_id=run_id)
        run = services.run_cancel(run=run, actor=request.user)
        return Response(RunDetailOutput(run).data)


class RunImageApi(APIView):
    @extend_schema(
        responses={
            (200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description="the image file")
            for media_type in IMAGE_MEDIA_TYPES
        }
        | error_responses(404),
    )
    def get(self, request: Request, run_id: int, number: int) -> HttpResponse:
        """Image ``number`` (from 1) of the run, as uploaded (validated on upload), to whoever
        may read the run."""
        run = selectors.run_for(user=request.user, run_id=run_id)
        upload = selectors.upload_of(run, number=number)
        response = HttpResponse(bytes(upload.original), content_type=upload.original_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=False, filename=upload.name or f"image-{number}"
        )
        response["Cache-Control"] = "private, max-age=86400, immutable"
        # The bytes are a validated image, but never let a browser treat them as a document.
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class ImageLimitsApi(APIView):
    @extend_schema(responses={200: ImageLimitsOutput})
    def get(self, request: Request) -> Response:
        """What a run's images may be: their number, types, bytes and pixels (for clients to
        check before uploading; the server checks again)."""
        limits = ImageLimits.from_settings()
        return Response(
            {
                "max_images": MAX_RUN_IMAGES,
                "media_types": list(IMAGE_MEDIA_TYPES),
                "max_bytes": limits.max_bytes,
                "max_pixels": limits.max_pixels,
            }
        )
