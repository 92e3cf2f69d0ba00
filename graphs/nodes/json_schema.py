"""The JSON Schema of a node kind's config, derived from its config dataclass.

The schema describes what ``graphs.nodes.config.parse_config`` accepts (the same annotations:
str, int, float, bool, Literal, X | None, tuple[X, ...], Mapping[str, X], nested config
dataclasses) with each field's default; range checks made in ``__post_init__`` are not in it, so
the server stays the judge of a config and names what it refuses. The editor draws a form from
the schema for kinds without a hand-written inspector.
"""

from __future__ import annotations

import dataclasses
import inspect
import types
import typing
from collections.abc import Mapping
from typing import Any

from graphs.nodes.config import type_hints

_SCALARS = {str: "string", int: "integer", float: "number", bool: "boolean", type(None): "null"}


def config_schema(config_type: type) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) object for ``config_type``: its fields as ``properties``
    (with ``default`` where the field has one), the fields without a default as ``required``,
    no other keys allowed, and the dataclass's docstring as ``description``.

    Raises ``TypeError`` for an annotation ``parse_config`` would not accept either.
    """
    hints = type_hints(config_type)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in dataclasses.fields(config_type):
        schema = annotation_schema(hints[field.name])
        default = field_default(field)
        if default is dataclasses.MISSING:
            required.append(field.name)
        else:
            schema["default"] = default
        properties[field.name] = schema
    schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = required
    description = inspect.getdoc(config_type)
    if description:
        schema["description"] = description
    return schema


def config_defaults(config_type: type) -> dict[str, Any]:
    """Each field that has a default, with that default as JSON (what the server applies when
    the key is absent)."""
    defaults = {}
    for field in dataclasses.fields(config_type):
        default = field_default(field)
        if default is not dataclasses.MISSING:
            defaults[field.name] = default
    return defaults


def field_default(field: dataclasses.Field[Any]) -> Any:
    """The field's default as JSON (tuples become lists), or ``dataclasses.MISSING``."""
    if field.default is not dataclasses.MISSING:
        return _as_json(field.default)
    if field.default_factory is not dataclasses.MISSING:
        return _as_json(field.default_factory())
    return dataclasses.MISSING


def _as_json(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_as_json(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _as_json(item) for key, item in value.items()}
    return value


def annotation_schema(annotation: Any) -> dict[str, Any]:
    """The JSON Schema of the values ``annotation`` accepts."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [annotation_schema(arg) for arg in typing.get_args(annotation)]}
    if dataclasses.is_dataclass(annotation):
        return config_schema(typing.cast(type, annotation))
    if origin is tuple:
        return {"type": "array", "items": annotation_schema(typing.get_args(annotation)[0])}
    if origin is Mapping:
        item = typing.get_args(annotation)[1]
        return {"type": "object", "additionalProperties": annotation_schema(item)}
    if origin is typing.Literal:
        return {"enum": list(typing.get_args(annotation))}
    if annotation in _SCALARS:
        return {"type": _SCALARS[annotation]}
    raise TypeError(f"unsupported config annotation {annotation!r}")
