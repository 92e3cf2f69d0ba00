"""The base of the API's model-backed output serializers."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class OutputModelSerializer(serializers.ModelSerializer):  # type: ignore[misc]
    """A model serializer that only ever renders answers: every field in ``Meta.fields`` is
    read-only.

    Rendering is unchanged (a model instance has every attribute, so every field is always in
    the answer); what changes is the OpenAPI schema: read-only fields are listed as required,
    where a model field with a default or ``blank=True`` would otherwise read as optional, and
    the front end's generated types (frontend/src/api/schema.d.ts) would say so too.
    Fields declared on the class keep their own arguments: declare those ``read_only=True``.
    """

    def get_extra_kwargs(self) -> dict[str, Any]:
        extra_kwargs: dict[str, Any] = super().get_extra_kwargs()
        for name in self.Meta.fields:
            extra_kwargs[name] = {**extra_kwargs.get(name, {}), "read_only": True}
        return extra_kwargs


def username_field() -> serializers.SlugRelatedField:
    """A user foreign key with ``on_delete=SET_NULL`` (``created_by``, ``author``), rendered as
    the user's username, or null once that user is deleted."""
    return serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)


def version_number_field() -> serializers.IntegerField:
    """A ``GraphVersion`` foreign key (``version``), rendered as the version's number."""
    return serializers.IntegerField(source="version.number", read_only=True)
