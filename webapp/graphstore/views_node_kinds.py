"""``GET /api/node-kinds/``: every node kind the server runs (``graphs.nodes.describe``), so the
editor never repeats a kind's ports, summary, defaults or config schema."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from graphs.nodes.describe import describe_kinds


class NodeKindPortsOutput(serializers.Serializer):
    min_inputs = serializers.IntegerField(help_text="Incoming edges a node needs.")
    max_inputs = serializers.IntegerField(
        allow_null=True, help_text="Incoming edges a node takes at most; null: no limit."
    )
    outputs = serializers.BooleanField(help_text="Whether a node may have outgoing edges.")


class NodeKindOutput(serializers.Serializer):
    name = serializers.CharField(help_text="The kind's name, a spec node's `kind`.")
    summary = serializers.CharField(help_text="What a node of the kind does, in one sentence.")
    hosted = serializers.BooleanField(help_text="Whether it runs on a model host's queue.")
    ports = NodeKindPortsOutput()
    defaults = serializers.DictField(help_text="What the server applies to an absent config key.")
    new_config = serializers.DictField(
        help_text="The config a new node starts with; a required `model` it lacks is filled "
        "with the editor's default model."
    )
    facts = serializers.DictField(help_text="Constants of the kind the editor shows or checks.")
    config_schema = serializers.DictField(help_text="The JSON Schema of the kind's config.")


class NodeKindListApi(APIView):
    # Public, like the code it describes: a shared graph's read-only page draws nodes with it.
    permission_classes = (AllowAny,)

    @extend_schema(responses={200: NodeKindOutput(many=True)})
    def get(self, request: Request) -> Response:
        """Every node kind, in the palette's order."""
        return Response(NodeKindOutput(describe_kinds(), many=True).data)
