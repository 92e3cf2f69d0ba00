"""Reading a call's arguments from what reaches a tool node.

Two sources, tried in this order by ``read_arguments``:

1. A functional-token router's call: the router forwards the argument list its adapter wrote,
   ``('2 * 21')`` or ``('5', 'km', to_unit='mi')`` (``graphs.functional_tokens.call_arguments``),
   read with Python's call syntax, literals only (``ast``; nothing is evaluated). An argument
   list that does not parse (a small model's unescaped apostrophe: ``('what's 6*7')``) counts
   as one argument, the query the router forwarded.
2. Plain text from any other node: a JSON object (arguments by name), a JSON array (by
   position), a parenthesised argument list as in 1, or else the whole text as the one argument.
"""

from __future__ import annotations

import ast
import json

from graphs.tools.schema import CallArguments, JsonScalar

MAX_ARGUMENT_TEXT = 20_000
"""Longer argument lists are not parsed as calls (the text is then one argument)."""


def read_arguments(text: str, router_call: str | None = None) -> CallArguments:
    """The call's arguments: from ``router_call`` (a router's argument list) when given, else from
    ``text`` (see the module doc). Blank text gives no arguments. Never raises."""
    if router_call is not None:
        parsed = parse_argument_list(router_call)
        return parsed if parsed is not None else _single(text)
    stripped = text.strip()
    if stripped.startswith(("{", "[")):
        parsed = parse_json_arguments(stripped)
        if parsed is not None:
            return parsed
    if stripped.startswith("("):
        parsed = parse_argument_list(stripped)
        if parsed is not None:
            return parsed
    return _single(stripped)


def parse_argument_list(text: str) -> CallArguments | None:
    """``('a', 2, unit='km')`` (parentheses optional) as positional and named literals: strings,
    numbers, true/false (``True``/``False``) and ``None``. None when ``text`` is not such a list
    (any other expression, a syntax error, or too long)."""
    text = text.strip()
    if len(text) > MAX_ARGUMENT_TEXT:
        return None
    source = f"f{text}" if text.startswith("(") else f"f({text})"
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    call = tree.body
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name) or call.func.id != "f":
        return None  # e.g. "('a')('b')", which parses as a call of a call
    positional = [_literal(node) for node in call.args]
    named = {kw.arg: _literal(kw.value) for kw in call.keywords if kw.arg is not None}
    if len(named) != len(call.keywords) or not all(ok for ok, _ in [*positional, *named.values()]):
        return None  # **kwargs, *args or a value that is not a literal
    return CallArguments(
        tuple(value for _, value in positional), {name: value for name, (_, value) in named.items()}
    )


def parse_json_arguments(text: str) -> CallArguments | None:
    """A JSON object of named scalar values, or a JSON array of positional ones; None otherwise."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if isinstance(data, dict) and all(_is_scalar(v) for v in data.values()):
        return CallArguments(named=data)
    if isinstance(data, list) and all(_is_scalar(v) for v in data):
        return CallArguments(positional=tuple(data))
    return None


def _single(text: str) -> CallArguments:
    stripped = text.strip()
    return CallArguments(positional=(stripped,)) if stripped else CallArguments()


def _literal(node: ast.expr) -> tuple[bool, JsonScalar]:
    """``(True, value)`` for a literal argument (a signed number too), else ``(False, None)``."""
    negative = isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
        if not (isinstance(node, ast.Constant) and _is_number(node.value)):
            return False, None
    if not isinstance(node, ast.Constant):
        return False, None
    value = node.value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True, -value if negative else value
    if value is None or isinstance(value, str | bool):
        return True, value
    return False, None  # bytes, complex, Ellipsis


def _is_scalar(value: object) -> bool:
    return value is None or isinstance(value, str | bool) or _is_number(value)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
