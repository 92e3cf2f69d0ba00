"""A graph's versions: list, save (optimistic concurrency), read, export and restore.

A save names the version it started from in ``expected_version``; when another save got there
first the answer is 409 ``version_conflict`` with the latest version in ``latest``.
"""

from __future__ import annotations

from collections.abc import Callable

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from webapp.api.errors import error_responses
from webapp.api.limits import MAX_VERSION
from webapp.api.pagination import PageQuery, page_response, paginated
from webapp.api.request_input import validated
from webapp.graphstore import selectors, services
from webapp.graphstore.limits import SpecBodyLimit
from webapp.graphstore.models import GraphVersion
from webapp.graphstore.serializers import VersionOutput, VersionSummaryOutput

CONFLICT = OpenApiResponse(
    inline_serializer(
        "VersionConflict",
        {
            "code": serializers.CharField(),
            "message": serializers.CharField(),
            "latest": VersionOutput(),
        },
    ),
    description="another save got there first; `latest` is the newest version",
)


def _saved(save: Callable[[], GraphVersion]) -> Response:
    """Run a save; 201 with the new version, or 409 with the latest one."""
    try:
        version = save()
    except services.VersionConflict as conflict:
        return Response(
            {
                "code": conflict.code,
                "message": conflict.message,
                "latest": VersionOutput(conflict.latest).data,
            },
            status=status.HTTP_409_CONFLICT,
        )
    return Response(VersionOutput(version).data, status=status.HTTP_201_CREATED)


class ExpectedVersionInput(serializers.Serializer):
    expected_version = serializers.IntegerField(
        min_value=0, max_value=MAX_VERSION, help_text="the latest version when the edit began"
    )


class VersionListApi(SpecBodyLimit, APIView):
    class VersionSaveInput(ExpectedVersionInput):
        spec = serializers.JSONField()
        message = serializers.CharField(
            max_length=500, required=False, default="", allow_blank=True
        )

    @extend_schema(
        operation_id="graphs_versions_list",
        parameters=[PageQuery],
        responses={200: paginated(VersionSummaryOutput), **error_responses(400, 404)},
    )
    def get(self, request: Request, graph_id: int) -> Response:
        """The graph's versions, newest first, without specs, a page at a time."""
        graph = selectors.graph_for(user=request.user, graph_id=graph_id)
        return page_response(request, selectors.versions_of(graph), VersionSummaryOutput)

    @extend_schema(
        request=VersionSaveInput,
        responses={201: VersionOutput, 409: CONFLICT, **error_responses(400, 403, 404, 413)},
    )
    def post(self, request: Request, graph_id: int) -> Response:
        """Save a spec as the next version (editors). Invalid specs answer 400
        ``invalid_graph`` with ``problems``, each naming its node or edge id and field; specs
        over the graph limits, 400 naming the limit (as graph creation)."""
        graph = selectors.graph_for(user=request.user, graph_id=graph_id)
        data = validated(self.VersionSaveInput, request.data)
        return _saved(lambda: services.graph_save(graph=graph, actor=request.user, **data))


class VersionDetailApi(APIView):
    @extend_schema(responses={200: VersionOutput, **error_responses(404)})
    def get(self, request: Request, graph_id: int, number: int) -> Response:
        """One version with its spec."""
        graph = selectors.graph_for(user=request.user, graph_id=graph_id)
        return Response(VersionOutput(selectors.version_of(graph=graph, number=number)).data)


class VersionExportApi(APIView):
    @extend_schema(
        responses={
            200: OpenApiResponse(description="the spec JSON, as a file"),
            **error_responses(404),
        }
    )
    def get(self, request: Request, graph_id: int, number: int) -> Response:
        """The version's spec JSON as a download (import it with ``/api/graphs/import/``)."""
        graph = selectors.graph_for(user=request.user, graph_id=graph_id)
        version = selectors.version_of(graph=graph, number=number)
        filename = f"{graph.slug}-v{version.number}.json"
        return Response(
            version.spec, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
        )


class VersionRestoreApi(APIView):
    @extend_schema(
        request=ExpectedVersionInput,
        responses={201: VersionOutput, 409: CONFLICT, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, graph_id: int, number: int) -> Response:
        """Save this version's spec again as the newest version (editors)."""
        graph = selectors.graph_for(user=request.user, graph_id=graph_id)
        version = selectors.version_of(graph=graph, number=number)
        data = validated(ExpectedVersionInput, request.data)
        return _saved(
            lambda: services.version_restore(
                version=version,
                actor=request.user,
                expected_version=data["expected_version"],
            )
        )
