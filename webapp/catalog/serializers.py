"""Output shapes of the catalog shared with other apps (a training shows the adapter it made)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from webapp.api.serializers import OutputModelSerializer, username_field
from webapp.catalog.models import RouterAdapter
from workers.routing.shipped import ShippedRouterAdapter


class RouterAdapterOutput(OutputModelSerializer):
    """A trained router adapter: use it in a router node as ``{"mode": "functional-token",
    "adapter": name}``. ``graph``, ``version`` and ``router`` say what it was trained for
    (``graph`` is null once that graph is deleted); ``builtin`` is always false."""

    builtin = serializers.SerializerMethodField()
    created_by = username_field()

    # A literal in the schema, so that a client can tell the two kinds of adapter apart by it.
    @extend_schema_field({"type": "boolean", "enum": [False]})
    def get_builtin(self, adapter: RouterAdapter) -> bool:
        return False

    class Meta:
        model = RouterAdapter
        fields = (
            "id",
            "builtin",
            "team",
            "name",
            "base_model",
            "graph",
            "version",
            "router",
            "val_accuracy",
            "train_examples",
            "validation_examples",
            "created_by",
            "created_at",
        )


class BuiltinRouterAdapterOutput(serializers.Serializer):
    """A router adapter shipped with Octograph (``workers/adapters/``), usable by every team:
    ``builtin`` is always true and ``team`` null. ``targets`` is how many edges it routes to;
    ``val_accuracy`` is its accuracy on the ``validation_examples`` held out from its
    ``train_examples``."""

    builtin = serializers.SerializerMethodField()
    team = serializers.SerializerMethodField()
    name = serializers.CharField()
    base_model = serializers.CharField()
    targets = serializers.IntegerField()
    val_accuracy = serializers.FloatField(allow_null=True)
    train_examples = serializers.IntegerField()
    validation_examples = serializers.IntegerField()

    @extend_schema_field({"type": "boolean", "enum": [True]})
    def get_builtin(self, adapter: ShippedRouterAdapter) -> bool:
        return True

    def get_team(self, adapter: ShippedRouterAdapter) -> int | None:
        return None
