"""The catalog API: models usable in graphs, each team's registered endpoints and its trained
router adapters.

API keys are write-only: inputs accept ``api_key``; outputs only say ``has_api_key``.
"""

from __future__ import annotations

from typing import Any, get_args

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from webapp.accounts.selectors import team_for
from webapp.api.errors import error_responses
from webapp.api.limits import MAX_ID
from webapp.api.request_input import validated
from webapp.api.serializers import OutputModelSerializer
from webapp.api.team_query import TeamQuery, narrowed_to_team
from webapp.catalog import selectors, services
from webapp.catalog.connection_check import ConnectionReport, FailureCode, Stage
from webapp.catalog.models import Endpoint
from webapp.catalog.queue_status import UNKNOWN, queue_statuses
from webapp.catalog.serializers import BuiltinRouterAdapterOutput, RouterAdapterOutput
from workers.catalog import ModelEntry
from workers.celery_app import ENDPOINTS_QUEUE, node_queue

PRICE_MAX = 1e9
"""The largest price per million tokens the API takes (bounds the OpenAPI schema)."""


def _printable_ascii(key: str) -> None:
    if not all(" " <= char <= "~" for char in key):
        raise serializers.ValidationError(
            "an API key is printable ASCII (it travels in an HTTP header)"
        )


def api_key_field(**options: Any) -> serializers.CharField:
    """An endpoint's API key as an input: optional, write-only, printable ASCII."""
    return serializers.CharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        write_only=True,
        validators=[_printable_ascii],
        **options,
    )


class ModelOutput(serializers.Serializer):
    """A model a graph node may name in ``config.model``. ``team`` and ``endpoint`` are set for
    a team's registered endpoint, null for the workers' built-in models."""

    key = serializers.CharField()
    display_name = serializers.CharField()
    family = serializers.CharField()
    kind = serializers.ChoiceField(choices=["transformers", "openai", "clip"])
    available = serializers.BooleanField()
    unavailable_reason = serializers.CharField(allow_null=True)
    team = serializers.IntegerField(allow_null=True)
    team_name = serializers.CharField(
        allow_null=True, help_text="the endpoint's team name; null for built-in models"
    )
    endpoint = serializers.IntegerField(allow_null=True)
    price_per_million_tokens = serializers.FloatField(
        allow_null=True, help_text="USD per million tokens (in + out); null when not priced"
    )
    source = serializers.CharField(
        help_text="where it comes from: its weights (e.g. a package, a folder, a hub id) or, "
        "for an HTTP model, its base URL and model name"
    )
    queue = serializers.CharField(
        help_text="the Celery queue its nodes go to: model.<key>, or endpoints (shared by every "
        "team endpoint)"
    )
    served = serializers.BooleanField(
        allow_null=True,
        help_text="whether a live worker consumes the queue now; null when Redis cannot say",
    )
    waiting = serializers.IntegerField(
        allow_null=True,
        help_text="tasks waiting in the queue for a worker; null when Redis cannot say",
    )


def _with_queue_status(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add ``served`` and ``waiting`` to rows that name their ``queue`` (one Redis read)."""
    statuses = queue_statuses(row["queue"] for row in rows)
    for row in rows:
        status_ = statuses.get(row["queue"], UNKNOWN)
        row["served"], row["waiting"] = status_.served, status_.waiting
    return rows


def _builtin_row(entry: ModelEntry) -> dict[str, Any]:
    reason = entry.unavailable_reason()
    return {
        "key": entry.key,
        "display_name": entry.display_name,
        "family": entry.family,
        "kind": entry.kind,
        "available": reason is None,
        "unavailable_reason": reason,
        "team": None,
        "team_name": None,
        "endpoint": None,
        "price_per_million_tokens": entry.price_per_million_tokens,
        "source": _source(entry),
        "queue": node_queue(entry.key),
    }


def _source(entry: ModelEntry) -> str:
    if entry.source is not None:
        return entry.source.describe()
    return f"{entry.base_url} ({entry.model_name})"


def _endpoint_row(endpoint: Endpoint) -> dict[str, Any]:
    return {
        "key": endpoint.key,
        "display_name": endpoint.display_name or endpoint.key,
        "family": "openai",
        "kind": "openai",
        "available": True,
        "unavailable_reason": None,
        "team": endpoint.team_id,
        "team_name": endpoint.team.name,
        "endpoint": endpoint.pk,
        "price_per_million_tokens": endpoint.price_per_million_tokens,
        "source": f"{endpoint.base_url} ({endpoint.model_name})",
        "queue": ENDPOINTS_QUEUE,
    }


class ModelListApi(APIView):
    @extend_schema(
        parameters=[TeamQuery],
        responses={200: ModelOutput(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request) -> Response:
        """Built-in models, then the endpoints of the user's teams (or of ``?team=``), each with
        whether a worker serves its queue now and how many tasks wait there (null: Redis down)."""
        endpoints = narrowed_to_team(request, selectors.endpoints_visible_to(request.user))
        rows = [_builtin_row(entry) for entry in selectors.builtin_models()]
        rows += [_endpoint_row(endpoint) for endpoint in endpoints]
        return Response(ModelOutput(_with_queue_status(rows), many=True).data)


class EndpointOutput(OutputModelSerializer):
    class Meta:
        model = Endpoint
        fields = (
            "id",
            "team",
            "key",
            "display_name",
            "base_url",
            "model_name",
            "has_api_key",
            "price_per_million_tokens",
            "created_at",
            "updated_at",
        )


class EndpointListApi(APIView):
    class EndpointCreateInput(serializers.Serializer):
        team = serializers.IntegerField(min_value=1, max_value=MAX_ID)
        key = serializers.CharField(max_length=100)
        display_name = serializers.CharField(max_length=200, required=False, default="")
        base_url = serializers.URLField(max_length=500)
        model_name = serializers.CharField(max_length=200)
        api_key = api_key_field(default="")
        price_per_million_tokens = serializers.FloatField(
            required=False,
            allow_null=True,
            default=None,
            min_value=0,
            max_value=PRICE_MAX,
            help_text="USD per million tokens (in + out), for experiments' cost; default: none",
        )

    @extend_schema(responses=EndpointOutput(many=True))
    def get(self, request: Request) -> Response:
        """Endpoints of every team the user belongs to."""
        return Response(
            EndpointOutput(selectors.endpoints_visible_to(request.user), many=True).data
        )

    @extend_schema(
        request=EndpointCreateInput,
        responses={201: EndpointOutput, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request) -> Response:
        """Register an OpenAI-compatible endpoint for a team (editors)."""
        fields = validated(self.EndpointCreateInput, request.data)
        team = team_for(user=request.user, team_id=fields.pop("team"))
        endpoint = services.endpoint_create(team=team, actor=request.user, **fields)
        return Response(EndpointOutput(endpoint).data, status=status.HTTP_201_CREATED)


class EndpointDetailApi(APIView):
    class EndpointUpdateInput(serializers.Serializer):
        display_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
        base_url = serializers.URLField(max_length=500, required=False)
        model_name = serializers.CharField(max_length=200, required=False)
        api_key = api_key_field(
            help_text='a new key; "" removes the stored one; leave out to keep it'
        )
        price_per_million_tokens = serializers.FloatField(
            required=False,
            allow_null=True,
            min_value=0,
            max_value=PRICE_MAX,
            help_text="USD per million tokens (in + out); null removes it; leave out to keep it",
        )

    @extend_schema(responses={200: EndpointOutput, **error_responses(404)})
    def get(self, request: Request, endpoint_id: int) -> Response:
        endpoint = selectors.endpoint_for(user=request.user, endpoint_id=endpoint_id)
        return Response(EndpointOutput(endpoint).data)

    @extend_schema(
        request=EndpointUpdateInput,
        responses={200: EndpointOutput, **error_responses(400, 403, 404)},
    )
    def patch(self, request: Request, endpoint_id: int) -> Response:
        """Change an endpoint (editors); its key cannot change."""
        endpoint = selectors.endpoint_for(user=request.user, endpoint_id=endpoint_id)
        data = validated(self.EndpointUpdateInput, request.data)
        endpoint = services.endpoint_update(endpoint=endpoint, actor=request.user, **data)
        return Response(EndpointOutput(endpoint).data)

    @extend_schema(responses={204: None, **error_responses(403, 404)})
    def delete(self, request: Request, endpoint_id: int) -> Response:
        """Remove an endpoint (editors)."""
        endpoint = selectors.endpoint_for(user=request.user, endpoint_id=endpoint_id)
        services.endpoint_delete(endpoint=endpoint, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ConnectionReportOutput(serializers.Serializer):
    """The outcome of a connection test (``webapp.catalog.connection_check``): a failed test is
    a 200 with ``ok`` false, ``stage`` the request that failed and ``code`` how."""

    ok = serializers.BooleanField()
    message = serializers.CharField()
    code = serializers.ChoiceField(allow_null=True, choices=list(get_args(FailureCode)))
    stage = serializers.ChoiceField(allow_null=True, choices=list(get_args(Stage)))
    models = serializers.ListField(
        child=serializers.CharField(), help_text="the model ids GET /models listed"
    )
    model_listed = serializers.BooleanField(
        allow_null=True, help_text="whether the model name is among them; null: none listed"
    )
    reply = serializers.CharField(allow_null=True, help_text="the one-line chat's answer")
    elapsed_ms = serializers.IntegerField()


def _report(report: ConnectionReport) -> Response:
    return Response(ConnectionReportOutput(report).data)


class EndpointCheckApi(APIView):
    class EndpointCheckInput(serializers.Serializer):
        team = serializers.IntegerField(min_value=1, max_value=MAX_ID)
        base_url = serializers.URLField(max_length=500)
        model_name = serializers.CharField(max_length=200)
        api_key = api_key_field(default="")

    @extend_schema(
        operation_id="models_endpoints_test_draft",
        request=EndpointCheckInput,
        responses={200: ConnectionReportOutput, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        """Test an endpoint before registering it (editors of ``team``): list its models and
        chat one line. Takes up to about 10 s; nothing is saved."""
        fields = validated(self.EndpointCheckInput, request.data)
        team = team_for(user=request.user, team_id=fields.pop("team"))
        return _report(services.endpoint_check_draft(team=team, actor=request.user, **fields))


class EndpointDetailCheckApi(APIView):
    class EndpointRecheckInput(serializers.Serializer):
        base_url = serializers.URLField(max_length=500, required=False)
        model_name = serializers.CharField(max_length=200, required=False)
        api_key = api_key_field(
            help_text="try this key instead of the stored one; leave out to use the stored key"
        )

    @extend_schema(
        operation_id="models_endpoints_test_saved",
        request=EndpointRecheckInput,
        responses={200: ConnectionReportOutput, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, endpoint_id: int) -> Response:
        """Test a registered endpoint with its stored key (any member), or with changed values
        given in the body (editors), before saving them. Nothing is saved."""
        endpoint = selectors.endpoint_for(user=request.user, endpoint_id=endpoint_id)
        data = validated(self.EndpointRecheckInput, request.data)
        return _report(services.endpoint_check(endpoint=endpoint, actor=request.user, **data))


class RouterAdapterListApi(APIView):
    @extend_schema(
        parameters=[TeamQuery],
        responses={
            200: PolymorphicProxySerializer(
                component_name="RouterAdapterChoice",
                serializers=[BuiltinRouterAdapterOutput, RouterAdapterOutput],
                resource_type_field_name=None,
                many=True,
            ),
            **error_responses(400, 404),
        },
    )
    def get(self, request: Request) -> Response:
        """The router adapters shipped with Octograph (``builtin: true``, by name), then those
        trained by the user's teams (or by ``?team=``), newest first."""
        adapters = narrowed_to_team(request, selectors.router_adapters_visible_to(request.user))
        builtin = BuiltinRouterAdapterOutput(selectors.builtin_router_adapters(), many=True)
        return Response([*builtin.data, *RouterAdapterOutput(adapters, many=True).data])
