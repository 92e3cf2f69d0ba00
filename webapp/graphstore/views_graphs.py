"""Graphs: list, create (from a spec, a template or an uploaded JSON file), read, edit, delete,
fork and diff, plus the engine's templates. Another team's graphs answer 404."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from webapp.accounts.selectors import team_for
from webapp.api import parsers
from webapp.api.errors import error_responses
from webapp.api.limits import MAX_ID, MAX_VERSION
from webapp.api.pagination import PageQuery, page_response, paginated
from webapp.api.request_input import validated
from webapp.api.team_query import TeamQuery, narrowed_to_team
from webapp.errors import Invalid
from webapp.graphstore import selectors, services
from webapp.graphstore.limits import SpecBodyLimit, graph_limits
from webapp.graphstore.serializers import GraphDetailOutput, GraphOutput, TemplateOutput
from webapp.graphstore.template_specs import template_spec

UNTITLED = "Untitled graph"


def _detail(request: Request, graph_id: int) -> Response:
    graph = selectors.graph_for(user=request.user, graph_id=graph_id)
    return Response(GraphDetailOutput(graph).data)


class GraphListApi(SpecBodyLimit, APIView):
    class GraphQuery(serializers.Serializer):
        search = serializers.CharField(
            required=False,
            max_length=200,
            help_text="only graphs whose name, slug or description contains this (any case)",
        )

    class GraphCreateInput(serializers.Serializer):
        team = serializers.IntegerField(min_value=1, max_value=MAX_ID)
        name = serializers.CharField(max_length=200, required=False)
        slug = serializers.SlugField(max_length=100, required=False, default="")
        description = serializers.CharField(required=False, default="", allow_blank=True)
        message = serializers.CharField(
            max_length=500, required=False, default="", allow_blank=True
        )
        spec = serializers.JSONField(required=False, help_text="the spec of version 1")
        template = serializers.CharField(
            max_length=100, required=False, help_text="instead of spec: a template's name"
        )
        template_options = serializers.DictField(
            required=False,
            help_text="with template: the options it takes (its `options`), e.g. moa-mixed's "
            '{"proposers": [model keys]} (default: the built-in model and every team endpoint)',
        )

        def validate(self, data: dict[str, Any]) -> dict[str, Any]:
            if ("spec" in data) == ("template" in data):
                raise serializers.ValidationError("give exactly one of 'spec' and 'template'")
            if "template_options" in data and "template" not in data:
                raise serializers.ValidationError("template_options go with a template")
            return data

    @extend_schema(
        operation_id="graphs_list",
        parameters=[TeamQuery, GraphQuery, PageQuery],
        responses={200: paginated(GraphOutput), **error_responses(400, 404)},
    )
    def get(self, request: Request) -> Response:
        """Graphs of the user's teams (or of ``?team=``), those matching ``?search=`` when given,
        most recently changed first, a page at a time."""
        query = validated(self.GraphQuery, request.query_params)
        graphs = narrowed_to_team(request, selectors.graphs_visible_to(request.user))
        if query.get("search"):
            graphs = selectors.graphs_matching(graphs, query["search"])
        return page_response(request, graphs, GraphOutput)

    @extend_schema(
        request=GraphCreateInput,
        responses={201: GraphDetailOutput, **error_responses(400, 403, 404, 409, 413)},
    )
    def post(self, request: Request) -> Response:
        """Create a graph from a spec or a template (editors of the team). A spec over the
        graph limits answers 400 naming the limit (``too_many_nodes``, ``too_many_edges``,
        ``spec_too_large``, ``spec_too_deep``); a body over twice the spec limit, 413."""
        fields = validated(self.GraphCreateInput, request.data)
        team = team_for(user=request.user, team_id=fields.pop("team"))
        if "template" in fields:
            template = selectors.template_named(fields.pop("template"))
            options = fields.pop("template_options", {})
            fields["spec"] = template_spec(template=template, team=team, options=options)
            fields.setdefault("name", template.title)
        fields.setdefault("name", _title_of(fields["spec"]))
        graph = services.graph_create(team=team, actor=request.user, **fields)
        return _created(request, graph.pk)


def _title_of(spec: object) -> str:
    meta = spec.get("meta") if isinstance(spec, dict) else None
    title = meta.get("title") if isinstance(meta, dict) else None
    return title[:200] if isinstance(title, str) and title.strip() else UNTITLED


def _created(request: Request, graph_id: int) -> Response:
    response = _detail(request, graph_id)
    response.status_code = status.HTTP_201_CREATED
    return response


class GraphImportApi(SpecBodyLimit, APIView):
    parser_classes = (parsers.MultiPartParser, FormParser)

    class GraphImportInput(serializers.Serializer):
        team = serializers.IntegerField(min_value=1, max_value=MAX_ID)
        file = serializers.FileField(help_text="a spec JSON file, as exported")
        name = serializers.CharField(max_length=200, required=False)

    @extend_schema(
        request={"multipart/form-data": GraphImportInput},
        responses={201: GraphDetailOutput, **error_responses(400, 403, 404, 413)},
    )
    def post(self, request: Request) -> Response:
        """Create a graph from an uploaded spec JSON file (editors of the team). To import a
        file as a new version of an existing graph, post its content to ``versions/``."""
        data = validated(self.GraphImportInput, request.data)
        team = team_for(user=request.user, team_id=data["team"])
        spec = _read_json_file(data["file"])
        graph = services.graph_create(
            team=team,
            actor=request.user,
            name=data.get("name") or _title_of(spec),
            spec=spec,
            message=f"Imported from {data['file'].name}"[:500],
        )
        return _created(request, graph.pk)


def _read_json_file(upload: Any) -> Any:
    """The file's JSON; ``Invalid`` (``file_too_large``, ``bad_json``, ``json_too_deep``) when
    it is over the request limit of specs, not UTF-8 JSON, or nested past the JSON limit."""
    limit = graph_limits().body_bytes
    if upload.size > limit:
        raise Invalid(
            f"the file is {upload.size:,} bytes; the limit is {limit:,}",
            code="file_too_large",
            field="file",
            limit=limit,
            actual=upload.size,
        )
    try:
        return parsers.loads(upload.read().decode("utf-8"))
    except parsers.JsonTooDeep as exc:
        raise Invalid(str(exc.detail), code="json_too_deep", field="file") from None
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError among them
        raise Invalid(f"the file is not JSON: {exc}", code="bad_json", field="file") from None


class GraphDetailApi(APIView):
    class GraphUpdateInput(serializers.Serializer):
        name = serializers.CharField(max_length=200, required=False)
        slug = serializers.SlugField(max_length=100, required=False)
        description = serializers.CharField(required=False, allow_blank=True)

    @extend_schema(responses={200: GraphDetailOutput, **error_responses(404)})
    def get(self, request: Request, graph_id: int) -> Response:
        """The graph with its latest version's spec."""
        return _detail(request, graph_id)

    @extend_schema(
        request=GraphUpdateInput,
        responses={200: GraphDetailOutput, **error_responses(400, 403, 404, 409)},
    )
    def patch(self, request: Request, graph_id: int) -> Response:
        """Rename, re-describe or re-slug the graph (editors). Specs change through versions."""
        graph = selectors.graph_for(user=request.user, graph_id=graph_id)
        data = validated(self.GraphUpdateInput, request.data)
        services.graph_update(graph=graph, actor=request.user, **data)
        return _detail(request, graph_id)

    @extend_schema(responses={204: None, **error_responses(403, 404)})
    def delete(self, request: Request, graph_id: int) -> Response:
        """Delete the graph, its versions and share links (owners)."""
        graph = selectors.graph_for(user=request.user, graph_id=graph_id)
        services.graph_delete(graph=graph, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GraphForkApi(APIView):
    class GraphForkInput(serializers.Serializer):
        team = serializers.IntegerField(min_value=1, max_value=MAX_ID)
        name = serializers.CharField(max_length=200, required=False, default="")
        version = serializers.IntegerField(
            min_value=1, max_value=MAX_VERSION, required=False, help_text="default: the latest"
        )

    @extend_schema(
        request=GraphForkInput,
        responses={201: GraphDetailOutput, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, graph_id: int) -> Response:
        """Copy a version (default: the latest) into a new graph of a team you edit."""
        graph = selectors.graph_for(user=request.user, graph_id=graph_id)
        data = validated(self.GraphForkInput, request.data)
        number = data.get("version", graph.latest_version)
        version = selectors.version_of(graph=graph, number=number)
        team = team_for(user=request.user, team_id=data["team"])
        fork = services.graph_fork(
            version=version, team=team, actor=request.user, name=data["name"]
        )
        return _created(request, fork.pk)


class DiffOutput(serializers.Serializer):
    """See ``graphs.diff`` for the shape of ``nodes``, ``edges`` and ``meta``."""

    to = serializers.IntegerField()
    nodes = serializers.JSONField()
    edges = serializers.JSONField()
    meta = serializers.JSONField()

    def get_fields(self) -> dict[str, serializers.Field]:
        # "from" is a Python keyword, so it cannot be declared as a class attribute.
        return {"from": serializers.IntegerField(), **super().get_fields()}


class GraphDiffApi(APIView):
    class DiffQuery(serializers.Serializer):
        to = serializers.IntegerField(min_value=1, max_value=MAX_VERSION)

        def get_fields(self) -> dict[str, serializers.Field]:
            return {
                "from": serializers.IntegerField(min_value=1, max_value=MAX_VERSION),
                **super().get_fields(),
            }

    @extend_schema(parameters=[DiffQuery], responses={200: DiffOutput, **error_responses(400, 404)})
    def get(self, request: Request, graph_id: int) -> Response:
        """What changed from version ``from`` to version ``to`` (nodes and edges added, removed,
        changed with their fields, and moved)."""
        graph = selectors.graph_for(user=request.user, graph_id=graph_id)
        query = validated(self.DiffQuery, request.query_params)
        diff = selectors.graph_diff(
            graph=graph,
            from_number=query["from"],
            to_number=query["to"],
        )
        return Response(DiffOutput(diff).data)


class TemplateListApi(APIView):
    @extend_schema(responses=TemplateOutput(many=True))
    def get(self, request: Request) -> Response:
        """The engine's ready-made graphs; create one with ``POST /api/graphs/ {"template"}``."""
        return Response(TemplateOutput(selectors.templates(), many=True).data)
