"""Output shapes of the catalog shared with other apps (a training shows the adapter it made)."""

from __future__ import annotations

from rest_framework import serializers

from webapp.catalog.models import RouterAdapter


class RouterAdapterOutput(serializers.ModelSerializer):
    """A trained router adapter: use it in a router node as ``{"mode": "functional-token",
    "adapter": name}``. ``graph``, ``version`` and ``router`` say what it was trained for
    (``graph`` is null once that graph is deleted)."""

    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = RouterAdapter
        fields = (
            "id",
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
