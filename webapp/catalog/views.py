"""The catalog API: models usable in graphs, each team's registered endpoints and its trained
router adapters.

API keys are write-only: inputs accept ``api_key``; outputs only say ``has_api_key``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from webapp.accounts.selectors import team_for
from webapp.api.errors import error_responses
from webapp.api.limits import MAX_ID
from webapp.api.team_query import TeamQuery, narrowed_to_team
from webapp.catalog import selectors, services
from webapp.catalog.models import Endpoint
from webapp.catalog.serializers import RouterAdapterOutput
from workers.catalog import ModelEntry

PRICE_MAX = 1e9
"""The largest price per million tokens the API takes (bounds the OpenAPI schema)."""


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
    endpoint = serializers.IntegerField(allow_null=True)
    price_per_million_tokens = serializers.FloatField(
        allow_null=True, help_text="USD per million tokens (in + out); null when not priced"
    )


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
        "endpoint": None,
        "price_per_million_tokens": entry.price_per_million_tokens,
    }


def _endpoint_row(endpoint: Endpoint) -> dict[str, Any]:
    return {
        "key": endpoint.key,
        "display_name": endpoint.display_name or endpoint.key,
        "family": "openai",
        "kind": "openai",
        "available": True,
        "unavailable_reason": None,
        "team": endpoint.team_id,
        "endpoint": endpoint.pk,
        "price_per_million_tokens": endpoint.price_per_million_tokens,
    }


class ModelListApi(APIView):
    @extend_schema(
        parameters=[TeamQuery],
        responses={200: ModelOutput(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request) -> Response:
        """Built-in models, then the endpoints of the user's teams (or of ``?team=``)."""
        endpoints = narrowed_to_team(request, selectors.endpoints_visible_to(request.user))
        rows = [_builtin_row(entry) for entry in selectors.builtin_models()]
        rows += [_endpoint_row(endpoint) for endpoint in endpoints]
        return Response(ModelOutput(rows, many=True).data)


class EndpointOutput(serializers.ModelSerializer):
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
        api_key = serializers.CharField(
            max_length=1000, required=False, default="", write_only=True
        )
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
        data = self.EndpointCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        team = team_for(user=request.user, team_id=fields.pop("team"))
        endpoint = services.endpoint_create(team=team, actor=request.user, **fields)
        return Response(EndpointOutput(endpoint).data, status=status.HTTP_201_CREATED)


class EndpointDetailApi(APIView):
    class EndpointUpdateInput(serializers.Serializer):
        display_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
        base_url = serializers.URLField(max_length=500, required=False)
        model_name = serializers.CharField(max_length=200, required=False)
        api_key = serializers.CharField(
            max_length=1000,
            required=False,
            allow_blank=True,
            write_only=True,
            help_text='a new key; "" removes the stored one; leave out to keep it',
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
        data = self.EndpointUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint = services.endpoint_update(
            endpoint=endpoint, actor=request.user, **data.validated_data
        )
        return Response(EndpointOutput(endpoint).data)

    @extend_schema(responses={204: None, **error_responses(403, 404)})
    def delete(self, request: Request, endpoint_id: int) -> Response:
        """Remove an endpoint (editors)."""
        endpoint = selectors.endpoint_for(user=request.user, endpoint_id=endpoint_id)
        services.endpoint_delete(endpoint=endpoint, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RouterAdapterListApi(APIView):
    @extend_schema(
        parameters=[TeamQuery],
        responses={200: RouterAdapterOutput(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request) -> Response:
        """Router adapters trained by the user's teams (or by ``?team=``), newest first."""
        adapters = narrowed_to_team(request, selectors.router_adapters_visible_to(request.user))
        return Response(RouterAdapterOutput(adapters, many=True).data)
