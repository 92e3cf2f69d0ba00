"""A tool's typed argument schema, and binding the arguments of one call to it.

A call brings positional values (in schema order) and/or named values. ``bind_arguments`` checks
every argument against its ``ArgumentSpec`` and reports *every* problem at once, each naming the
argument, what it expected and what came, in an ``ArgumentsError``.

Small models write every argument as a string (``<nexa_2>('5', 'km', 'mi')``), so values are
coerced where the meaning is unambiguous: ``'5'`` is the number 5, ``'true'`` is true, the
number 5 given for a string argument is ``'5'``. Nothing else is guessed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from graphs.problems import ConfigError
from graphs.tools.base import ToolError

ArgumentType = Literal["string", "number", "integer", "boolean"]
JsonScalar = str | int | float | bool | None

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_EXPECTED: dict[ArgumentType, str] = {
    "string": "a string",
    "number": "a number",
    "integer": "an integer",
    "boolean": "true or false",
}
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


@dataclass(frozen=True, kw_only=True)
class ArgumentSpec:
    """One argument of a tool: ``name`` (an identifier), its JSON ``type``, whether a call must
    give it, and a ``description`` (what a router is trained to fill in)."""

    name: str
    type: ArgumentType = "string"
    description: str = ""
    required: bool = True

    def __post_init__(self) -> None:
        if not _IDENTIFIER.match(self.name):
            raise ConfigError(
                "name", "must be an identifier (letters, digits, _; not a digit first)"
            )

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "type": self.type,
            "description": self.description,
            "required": self.required,
        }


def check_schema(arguments: Sequence[ArgumentSpec]) -> None:
    """Raise ``ConfigError`` naming ``arguments[i].name`` when two arguments share a name."""
    seen: set[str] = set()
    for index, argument in enumerate(arguments):
        if argument.name in seen:
            raise ConfigError(
                f"arguments[{index}].name", f"another argument is named '{argument.name}'"
            )
        seen.add(argument.name)


@dataclass(frozen=True)
class CallArguments:
    """The arguments of one call as written: positional values, then named ones."""

    positional: tuple[JsonScalar, ...] = ()
    named: Mapping[str, JsonScalar] = field(default_factory=dict)


@dataclass(frozen=True)
class ArgumentProblem:
    """What is wrong with one argument: ``argument`` is its name (``#3`` for a positional value
    beyond the schema), ``expected`` and ``got`` are phrases for people."""

    argument: str
    expected: str
    got: str

    def __str__(self) -> str:
        return f"argument '{self.argument}': expected {self.expected}, got {self.got}"

    def to_json(self) -> dict[str, str]:
        return {"argument": self.argument, "expected": self.expected, "got": self.got}


class ArgumentsError(ToolError):
    """A call's arguments do not fit the tool's schema; ``problems`` lists each one."""

    def __init__(self, tool: str, problems: Sequence[ArgumentProblem]) -> None:
        self.problems = tuple(problems)
        details = "; ".join(str(problem) for problem in self.problems)
        super().__init__(f"invalid arguments for tool '{tool}': {details}")


def bind_arguments(
    tool: str, schema: Sequence[ArgumentSpec], call: CallArguments
) -> dict[str, JsonScalar]:
    """The call's values by argument name, coerced to their types, in schema order; optional
    arguments not given (or given as null) are left out.

    Raises ``ArgumentsError`` listing every problem: a value of the wrong type, a required
    argument missing, more positional values than arguments, an unknown name, an argument given
    both by position and by name.
    """
    problems: list[ArgumentProblem] = []
    given: dict[str, JsonScalar] = {}
    for index, value in enumerate(call.positional):
        if index >= len(schema):
            problems.append(
                ArgumentProblem(
                    f"#{index + 1}",
                    f"at most {len(schema)} argument(s) ({_names(schema)})",
                    f"an extra value {_show(value)}",
                )
            )
            continue
        given[schema[index].name] = value
    known = {argument.name for argument in schema}
    for name, value in call.named.items():
        if name not in known:
            problems.append(
                ArgumentProblem(
                    name, f"one of the arguments {_names(schema)}", "an unknown argument"
                )
            )
        elif name in given:
            problems.append(
                ArgumentProblem(name, "one value", "a value by position and another by name")
            )
        else:
            given[name] = value
    bound: dict[str, JsonScalar] = {}
    for argument in schema:
        value = given.get(argument.name)
        if value is None:
            if argument.required:
                problems.append(
                    ArgumentProblem(
                        argument.name, _EXPECTED[argument.type], "nothing (it is required)"
                    )
                )
            continue
        coerced = coerce(argument.type, value)
        if coerced is None:
            problems.append(ArgumentProblem(argument.name, _EXPECTED[argument.type], _show(value)))
        else:
            bound[argument.name] = coerced
    if problems:
        raise ArgumentsError(tool, problems)
    return bound


def coerce(kind: ArgumentType, value: JsonScalar) -> JsonScalar:
    """``value`` as a ``kind``, or None when it is not one (the module doc says what converts)."""
    if kind == "string":
        if isinstance(value, str):
            return value
        return str(value) if _is_number(value) else None
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        return True if text in _TRUE else False if text in _FALSE else None
    number = _number(value)
    if number is None or kind == "number":
        return number
    if isinstance(number, float):
        return int(number) if number.is_integer() else None
    return number


def _number(value: JsonScalar) -> int | float | None:
    if _is_number(value):
        assert isinstance(value, int | float)  # _is_number says so; narrows for mypy
        return value if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _names(schema: Sequence[ArgumentSpec]) -> str:
    return ", ".join(argument.name for argument in schema) or "none"


def _show(value: JsonScalar) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
