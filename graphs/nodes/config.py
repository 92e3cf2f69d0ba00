"""Turning a node's raw ``config`` JSON object into its typed config dataclass.

Each node kind declares a frozen dataclass; its fields are the accepted keys, their annotations
the accepted JSON types, and its ``__post_init__`` checks ranges by raising ``ConfigError``.
A field may itself be such a dataclass (a nested JSON object), a tuple of them (a list of
objects) or ``Mapping[str, X]`` (an object whose values are X). ``parse_config`` reports every
problem it can find, naming the field by its path: ``arguments[1].type``.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

from graphs.problems import ConfigError

C = TypeVar("C")

_JSON_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}


def _accepts(annotation: Any, value: Any) -> bool:
    """Whether JSON ``value`` fits ``annotation``: str, int, float, bool, Literal, X | None,
    tuple[X, ...], Mapping[str, X] or a config dataclass (any object: its own fields are checked
    when it is built)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_accepts(arg, value) for arg in typing.get_args(annotation))
    if dataclasses.is_dataclass(annotation):
        return isinstance(value, Mapping)
    if origin is Mapping:
        item = typing.get_args(annotation)[1]
        return isinstance(value, Mapping) and all(
            isinstance(key, str) and _accepts(item, v) for key, v in value.items()
        )
    if annotation is type(None):
        return value is None
    if origin is tuple:
        (item, _ellipsis) = typing.get_args(annotation)
        return isinstance(value, list | tuple) and all(_accepts(item, v) for v in value)
    if origin is typing.Literal:
        return value in typing.get_args(annotation)
    if annotation is bool:
        return isinstance(value, bool)
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if annotation is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if annotation is str:
        return isinstance(value, str)
    raise TypeError(f"unsupported config annotation {annotation!r}")


def describe_type(annotation: Any) -> str:
    """A person-readable name of what ``annotation`` accepts: ``a string or null``."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(describe_type(arg) for arg in typing.get_args(annotation))
    if annotation is type(None):
        return "null"
    if dataclasses.is_dataclass(annotation):
        return "an object"
    if origin is tuple:
        return "a list of " + _plural(describe_type(typing.get_args(annotation)[0]))
    if origin is Mapping:
        return "an object of " + _plural(describe_type(typing.get_args(annotation)[1]))
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(annotation))
    return _JSON_NAMES.get(annotation, str(annotation))


def _plural(description: str) -> str:
    """``a string`` -> ``strings``, ``an object`` -> ``objects``."""
    return description.removeprefix("an ").removeprefix("a ") + "s"


def _convert(annotation: Any, value: Any, path: str) -> tuple[Any, list[ConfigError]]:
    """``value`` (which ``_accepts(annotation, value)``) as the config holds it, and the errors of
    the nested objects in it, named by their path under ``path``.

    JSON lists become tuples (configs are frozen), ints become floats where floats are due,
    objects become their config dataclass (``parse_config``) or a dict.
    """
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        member = next(arg for arg in typing.get_args(annotation) if _accepts(arg, value))
        return _convert(member, value, path)
    if origin is tuple:
        item = typing.get_args(annotation)[0]
        items: list[Any] = []
        errors: list[ConfigError] = []
        for index, element in enumerate(value):
            converted, element_errors = _convert(item, element, f"{path}[{index}]")
            items.append(converted)
            errors += element_errors
        return tuple(items), errors
    if dataclasses.is_dataclass(annotation):
        nested, errors = parse_config(typing.cast(type, annotation), value)
        return nested, [ConfigError(f"{path}.{error.field}", error.message) for error in errors]
    if origin is Mapping:
        return dict(value), []
    if annotation is float and isinstance(value, int):
        return float(value), []
    return value, []


@functools.cache
def type_hints(config_type: type) -> dict[str, Any]:
    """``typing.get_type_hints`` of a config dataclass, resolved once per type (it re-evaluates
    every annotation on each call: most of the time validating a large graph took)."""
    return typing.get_type_hints(config_type)


def parse_config(config_type: type[C], raw: object) -> tuple[C | None, list[ConfigError]]:
    """Build ``config_type`` from ``raw``; return ``(config, [])`` or ``(None, errors)``.

    Errors name the key (the path, inside nested objects): unknown keys, missing required keys,
    wrong JSON types, and whatever the dataclasses' ``__post_init__`` rejects.
    """
    if not isinstance(raw, Mapping):
        return None, [ConfigError("config", "must be an object")]
    hints = type_hints(typing.cast(type, config_type))
    fields = {f.name: f for f in dataclasses.fields(config_type)}  # type: ignore[arg-type]
    errors = [
        ConfigError(key, f"unknown setting (allowed: {', '.join(sorted(fields))})")
        for key in raw
        if key not in fields
    ]
    values: dict[str, Any] = {}
    for name, field in fields.items():
        required = (
            field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
        )
        if name not in raw:
            if required:
                errors.append(ConfigError(name, "is required"))
            continue
        value = raw[name]
        if not _accepts(hints[name], value):
            errors.append(ConfigError(name, f"must be {describe_type(hints[name])}"))
            continue
        values[name], nested_errors = _convert(hints[name], value, name)
        errors += nested_errors
    if errors:
        return None, errors
    try:
        return config_type(**values), []
    except ConfigError as error:
        return None, [error]
