"""Runs: start one on a graph, list a graph's runs, read a run and its trace, cancel it.
Access follows the graph's: another team's runs answer 404; viewers may run."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from webapp.api.errors import error_responses
from webapp.api.limits import MAX_VERSION
from webapp.graphstore.selectors import graph_for
from webapp.runs import selectors, services
from webapp.runs.serializers import RunDetailOutput, RunEventOutput, RunOutput

MAX_SEQ = 2**31 - 1
PAGE = 1000


class GraphRunListApi(APIView):
    class RunCreateInput(serializers.Serializer):
        input = serializers.CharField(
            trim_whitespace=False, max_length=services.MAX_INPUT_CHARS, help_text="the query"
        )
        version = serializers.IntegerField(
            min_value=1, max_value=MAX_VERSION, required=False, help_text="default: the latest"
        )

    class RunQuery(serializers.Serializer):
        limit = serializers.IntegerField(
            min_value=1, max_value=500, default=50, help_text="at most this many runs"
        )

    @extend_schema(
        parameters=[RunQuery], responses={200: RunOutput(many=True), **error_responses(400, 404)}
    )
    def get(self, request: Request, graph_id: int) -> Response:
        """The graph's most recent runs, newest first."""
        graph = graph_for(user=request.user, graph_id=graph_id)
        query = self.RunQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        runs = selectors.runs_of(graph)[: query.validated_data["limit"]]
        return Response(RunOutput(runs, many=True).data)

    @extend_schema(
        request=RunCreateInput, responses={201: RunDetailOutput, **error_responses(400, 404)}
    )
    def post(self, request: Request, graph_id: int) -> Response:
        """Run a version of the graph (default: the latest) on ``input`` (viewers may run).
        The run is queued; follow it with ``GET /api/runs/{id}/`` and its events."""
        graph = graph_for(user=request.user, graph_id=graph_id)
        data = self.RunCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        run = services.run_create(
            graph=graph,
            actor=request.user,
            text=data.validated_data["input"],
            version=data.validated_data.get("version"),
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
