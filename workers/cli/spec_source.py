"""Reading a graph for the CLI: a JSON file or ``template:NAME``, with errors a user can act on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graphs.templates import TEMPLATES

TEMPLATE_PREFIX = "template:"


class SourceError(Exception):
    """The graph could not be read; the message says why (missing file, bad JSON, ...)."""


def read_spec_json(source: str) -> Any:
    """The spec JSON named by ``source``: a file path or ``template:NAME``.

    Raises ``SourceError`` for an unknown template, an unreadable file or malformed JSON
    (naming the line and column).
    """
    if source.startswith(TEMPLATE_PREFIX):
        name = source.removeprefix(TEMPLATE_PREFIX)
        if name not in TEMPLATES:
            raise SourceError(f"unknown template {name!r} (known: {', '.join(TEMPLATES)})")
        return TEMPLATES[name].spec()
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError(f"{source}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(f"{source}: cannot read: {error}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise SourceError(
            f"{source}: not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
