"""Output shapes of the graph store (input serializers live in their views)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from graphs.templates import Template
from webapp.accounts.models import Role
from webapp.api.serializers import (
    OutputModelSerializer,
    username_field,
    version_number_field,
)
from webapp.graphstore.models import Graph, GraphVersion, ShareLink
from webapp.graphstore.selectors import latest_version_of


class VersionSummaryOutput(OutputModelSerializer):
    author = username_field()

    class Meta:
        model = GraphVersion
        fields = ("number", "message", "author", "created_at")


class VersionOutput(VersionSummaryOutput):
    spec = serializers.JSONField(read_only=True)

    class Meta(VersionSummaryOutput.Meta):
        fields = (*VersionSummaryOutput.Meta.fields, "spec")


class ForkSourceOutput(serializers.Serializer):
    graph = serializers.IntegerField()
    version = serializers.IntegerField()


class GraphOutput(OutputModelSerializer):
    """``role`` is the requesting user's role in the graph's team (from the selectors)."""

    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    created_by = username_field()
    forked_from = serializers.SerializerMethodField()

    class Meta:
        model = Graph
        fields = (
            "id",
            "team",
            "name",
            "slug",
            "description",
            "latest_version",
            "role",
            "forked_from",
            "created_by",
            "created_at",
            "updated_at",
        )

    @extend_schema_field(ForkSourceOutput(allow_null=True))
    def get_forked_from(self, graph: Graph) -> Any:
        source = graph.forked_from
        return None if source is None else {"graph": source.graph_id, "version": source.number}


class GraphDetailOutput(GraphOutput):
    """A graph with its latest version, spec included."""

    latest = serializers.SerializerMethodField()

    class Meta(GraphOutput.Meta):
        fields = (*GraphOutput.Meta.fields, "latest")

    @extend_schema_field(VersionOutput)
    def get_latest(self, graph: Graph) -> Any:
        return VersionOutput(latest_version_of(graph)).data


class ShareLinkOutput(OutputModelSerializer):
    version = version_number_field()
    url = serializers.SerializerMethodField()
    created_by = username_field()

    class Meta:
        model = ShareLink
        fields = ("id", "version", "token", "url", "created_by", "created_at", "revoked_at")

    def get_url(self, link: ShareLink) -> str:
        return f"/api/share/{link.token}/"


class SharedVersionOutput(serializers.Serializer):
    """What a share link shows: the graph's name and description and one version. Nothing
    about its team or its other versions."""

    name = serializers.CharField(source="graph.name")
    description = serializers.CharField(source="graph.description")
    version = VersionOutput(source="*")


class TemplateOutput(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    spec = serializers.JSONField()
    options = serializers.ListField(
        child=serializers.CharField(),
        help_text="the template_options it takes at creation (proposers: a list of model keys)",
    )

    def to_representation(self, template: Template) -> dict[str, Any]:
        spec = template.spec()
        return {
            "name": template.name,
            "title": spec["meta"]["title"],
            "description": spec["meta"]["description"],
            "spec": spec,
            "options": list(template.options),
        }
