"""Router trainings: start one for a router node of a saved version, list a graph's, read one,
cancel it. Editors start and cancel, viewers read; another team's answer 404."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from webapp.api.errors import error_responses
from webapp.api.limits import MAX_VERSION
from webapp.api.request_input import validated
from webapp.graphstore.selectors import graph_for
from webapp.training import selectors, services
from webapp.training.serializers import TrainingOutput
from workers.routing.job import LIMITS, TrainingOptions


def _bounded(name: str, field: type[serializers.Field], help_text: str) -> Any:
    """An optional option field bounded by ``workers.routing.job.LIMITS``, defaulting to
    ``TrainingOptions``'s default."""
    low, high = LIMITS[name]
    default = TrainingOptions.__dataclass_fields__[name].default
    return field(min_value=low, max_value=high, default=default, help_text=help_text)


class GraphTrainingListApi(APIView):
    class TrainingStartInput(serializers.Serializer):
        router = serializers.CharField(max_length=200, help_text="id of the router node")
        version = serializers.IntegerField(
            min_value=1, max_value=MAX_VERSION, required=False, help_text="default: the latest"
        )
        epochs = _bounded("epochs", serializers.IntegerField, "passes over the training set")
        examples_per_edge = _bounded(
            "examples_per_edge",
            serializers.IntegerField,
            "queries synthesised from each edge's description and examples",
        )
        model_queries_per_edge = _bounded(
            "model_queries_per_edge",
            serializers.IntegerField,
            "more queries per edge written by the router's model (0: none)",
        )
        validation_fraction = _bounded(
            "validation_fraction",
            serializers.FloatField,
            "share of each edge's examples held out to measure accuracy",
        )

    class TrainingQuery(serializers.Serializer):
        router = serializers.CharField(
            max_length=200, required=False, help_text="only this router node's trainings"
        )
        limit = serializers.IntegerField(
            min_value=1, max_value=500, default=50, help_text="at most this many trainings"
        )

    @extend_schema(
        parameters=[TrainingQuery],
        responses={200: TrainingOutput(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request, graph_id: int) -> Response:
        """The graph's most recent trainings, newest first."""
        graph = graph_for(user=request.user, graph_id=graph_id)
        query = validated(self.TrainingQuery, request.query_params)
        trainings = selectors.trainings_of(graph, router=query.get("router"))
        return Response(TrainingOutput(trainings[: query["limit"]], many=True).data)

    @extend_schema(
        request=TrainingStartInput,
        responses={201: TrainingOutput, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, graph_id: int) -> Response:
        """Train a router node of a saved version (default: the latest) from its outgoing
        edges' descriptions and examples (editors). The training is queued; follow it with
        ``GET /api/trainings/{id}/`` or ``/ws/trainings/{id}/``. 409 while that router is
        already being trained."""
        graph = graph_for(user=request.user, graph_id=graph_id)
        fields = validated(self.TrainingStartInput, request.data)
        training = services.training_start(
            graph=graph,
            actor=request.user,
            router=fields.pop("router"),
            version=fields.pop("version", None),
            options=TrainingOptions(**fields),
        )
        return Response(TrainingOutput(training).data, status=status.HTTP_201_CREATED)


class TrainingDetailApi(APIView):
    @extend_schema(responses={200: TrainingOutput, **error_responses(404)})
    def get(self, request: Request, training_id: int) -> Response:
        """The training's status, progress, error or adapter, and timings."""
        training = selectors.training_for(user=request.user, training_id=training_id)
        return Response(TrainingOutput(training).data)


class TrainingCancelApi(APIView):
    @extend_schema(request=None, responses={200: TrainingOutput, **error_responses(403, 404)})
    def post(self, request: Request, training_id: int) -> Response:
        """Cancel the training (editors); a finished training is returned unchanged."""
        training = selectors.training_for(user=request.user, training_id=training_id)
        return Response(
            TrainingOutput(services.training_cancel(training=training, actor=request.user)).data
        )
