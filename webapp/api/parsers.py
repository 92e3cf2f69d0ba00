"""JSON request bodies with bounds, checked before any view or serializer walks the data.

DRF's ``JSONParser`` hands every view whatever ``json.load`` builds. Deep nesting then breaks
code that recurses over the data (serializers, ``json.dumps``, database adapters) with a
``RecursionError`` — a 500 — and a body about 1,000 levels deep breaks ``json.load`` itself.
``JSONParser`` here (the API's default parser, ``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``)
answers those with 400s instead:

- ``request_too_large`` (413) for a body over the view's ``max_body_bytes`` (a view attribute or
  property; ``DATA_UPLOAD_MAX_MEMORY_SIZE`` when the view sets none), refused from the declared
  ``Content-Length`` before reading, and never reading more than the limit;
- ``json_too_deep`` (400) for JSON nested deeper than ``settings.OCTOGRAPH_JSON_MAX_DEPTH``
  objects and lists, measured on the text before it is parsed (``nested_deeper_than``);
- ``parse_error`` (400) for anything ``json.loads`` refuses, as DRF does.
"""

from __future__ import annotations

import codecs
import itertools
import json
import re
from typing import Any

from django.conf import settings
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.utils.json import strict_constant

DEFAULT_MAX_DEPTH = 64
"""Objects and lists a request body may nest, unless ``OCTOGRAPH_JSON_MAX_DEPTH`` says otherwise:
far more than any endpoint needs (a graph spec inside a body: 33 at most), far less than
Python's recursion limit (1,000 frames, shared with Django's own)."""


class RequestTooLarge(APIException):  # type: ignore[misc]
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"
    default_detail = "the request body is too large"


class JsonTooDeep(ParseError):  # type: ignore[misc]
    default_code = "json_too_deep"


def max_json_depth() -> int:
    return int(getattr(settings, "OCTOGRAPH_JSON_MAX_DEPTH", DEFAULT_MAX_DEPTH))


_ESCAPE = re.compile(r"\\.", re.DOTALL)
_STRING = re.compile(r'"[^"]*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def nested_deeper_than(text: str, limit: int) -> bool:
    """Whether the JSON ``text`` nests more than ``limit`` objects and lists, read from its
    brackets outside strings before anything parses it: regular expressions and iterators that
    run in C, stopping at the first bracket past the limit, with no recursion. For text that is
    not JSON the answer means little (the parse then fails anyway)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", _ESCAPE.sub("", text)))
    depths = itertools.accumulate(map(_STEP.__getitem__, brackets))
    return next(filter(limit.__lt__, depths), None) is not None


def loads(text: str, *, max_depth: int | None = None, strict: bool = True) -> Any:
    """``json.loads(text)`` for JSON nested at most ``max_depth`` (default ``max_json_depth()``)
    levels, checked before it is parsed; never raises ``RecursionError``. ``strict`` refuses
    ``NaN`` and ``Infinity``. Raises ``ValueError`` (a ``json.JSONDecodeError`` for bad JSON) or
    ``JsonTooDeep`` (a DRF ``ParseError``: 400 ``json_too_deep``)."""
    limit = max_json_depth() if max_depth is None else max_depth
    if nested_deeper_than(text, limit):
        raise JsonTooDeep(
            f"the JSON is nested more than {limit} levels deep; the limit is {limit} levels of "
            "objects and lists"
        )
    try:
        return json.loads(text, parse_constant=strict_constant if strict else None)
    except RecursionError:  # only if the limit is set near Python's recursion limit
        raise JsonTooDeep(f"the JSON is nested too deeply to read (limit: {limit})") from None


class JSONParser(parsers.JSONParser):  # type: ignore[misc]
    """DRF's ``JSONParser`` with a body-size limit and a nesting limit (see the module)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        context = parser_context or {}
        limit = body_limit(context.get("view"))
        request = context.get("request")
        declared = _declared_length(request)
        if declared is not None and declared > limit:
            raise _too_large(limit, declared)
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise _too_large(limit, None)
        encoding = context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(raw, encoding)
            return loads(text, strict=self.strict)
        except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError among them
            raise ParseError(f"JSON parse error - {exc}") from None


def body_limit(view: object) -> int:
    """The view's ``max_body_bytes`` if it sets one (never above ``DATA_UPLOAD_MAX_MEMORY_SIZE``,
    which Django enforces anyway), else that setting."""
    upload_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    own = getattr(view, "max_body_bytes", None)
    if own is None:
        return int(upload_limit) if upload_limit is not None else 2**62
    return min(int(own), int(upload_limit)) if upload_limit is not None else int(own)


def _declared_length(request: Any) -> int | None:
    meta = getattr(request, "META", {})
    try:
        return int(meta.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def _too_large(limit: int, declared: int | None) -> RequestTooLarge:
    sent = f" (this one is {declared:,} bytes)" if declared is not None else ""
    return RequestTooLarge(f"the request body is larger than {limit:,} bytes{sent}")


class MultiPartParser(parsers.MultiPartParser):  # type: ignore[misc]
    """DRF's ``MultiPartParser`` refusing, from the declared ``Content-Length``, a body over the
    view's ``max_body_bytes`` (413) before reading it. Django leaves uploaded files out of
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (it spools them to disk), so without a view limit this adds
    nothing."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        context = parser_context or {}
        view = context.get("view")
        if getattr(view, "max_body_bytes", None) is not None:
            limit = body_limit(view)
            declared = _declared_length(context.get("request"))
            if declared is not None and declared > limit:
                raise _too_large(limit, declared)
        return super().parse(stream, media_type, parser_context)
