"""Reading a request's body or query through an input serializer."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


def validated(input_serializer: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    """``data`` (``request.data`` or ``request.query_params``) read by ``input_serializer``: its
    ``validated_data``. Raises ``ValidationError`` (400, every field's problem) when invalid."""
    serializer = input_serializer(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
