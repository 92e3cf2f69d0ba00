"""Limits on what clients send, without a database: graph specs (``webapp.graphstore.limits``),
JSON bodies (``webapp.api.parsers``) and WebSocket query values (``webapp.ws``)."""

from __future__ import annotations

import io
import json
import time
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from webapp import ws
from webapp.api import parsers
from webapp.graphstore.limits import GraphLimits, GraphTooLarge, check_spec_limits, graph_limits

LIMITS = GraphLimits(nodes=10, edges=20, spec_bytes=2_000, depth=6)


def nested(levels: int, *, leaf: Any = 0) -> Any:
    value = leaf
    for _ in range(levels):
        value = [value]
    return value


def refusal(spec: object, limits: GraphLimits = LIMITS) -> dict[str, Any]:
    with pytest.raises(GraphTooLarge) as refused:
        check_spec_limits(spec, limits)
    return {"code": refused.value.code, "message": refused.value.message, **refused.value.details}


def test_a_spec_within_every_limit_passes() -> None:
    check_spec_limits({"nodes": [{"id": "a", "config": {"x": [[1]]}}], "edges": []}, LIMITS)


def test_too_many_nodes_names_the_limit_and_the_count() -> None:
    assert refusal({"nodes": [{}] * 11}) == {
        "code": "too_many_nodes",
        "message": "the graph has 11 nodes; the limit is 10",
        "field": "spec.nodes",
        "limit": 10,
        "actual": 11,
    }


def test_too_many_edges_names_the_limit_and_the_count() -> None:
    body = refusal({"nodes": [], "edges": [{}] * 21})
    assert (body["code"], body["limit"], body["actual"]) == ("too_many_edges", 20, 21)


def test_nesting_is_counted_from_the_spec_object() -> None:
    check_spec_limits({"meta": nested(5)}, LIMITS)  # 6 levels: the spec, then 5 lists
    body = refusal({"meta": nested(6)})
    assert body == {
        "code": "spec_too_deep",
        "message": "the spec is nested 7 levels deep; the limit is 6 levels of objects and lists",
        "field": "spec",
        "limit": 6,
        "actual": 7,
    }


@pytest.mark.parametrize("levels", [500, 10_000, 100_000])
def test_deep_nesting_is_refused_without_recursion_in_milliseconds(levels: int) -> None:
    started = time.perf_counter()
    body = refusal({"nodes": [], "meta": nested(levels)}, GraphLimits())
    assert (body["code"], body["actual"]) == ("spec_too_deep", levels + 1)
    assert time.perf_counter() - started < 1.0


def test_nesting_past_the_byte_limit_is_reported_as_a_lower_bound() -> None:
    body = refusal({"meta": nested(10_000)}, GraphLimits(spec_bytes=2_000))
    assert body["code"] == "spec_too_deep"
    assert body["message"].startswith("the spec is nested more than ")
    assert 32 < body["actual"] < 10_000


def test_the_size_is_the_compact_utf8_json_and_counts_escapes() -> None:
    spec = {"meta": {"note": "é" * 10}}
    exact = len(json.dumps(spec, ensure_ascii=False, separators=(",", ":")).encode())
    check_spec_limits(spec, GraphLimits(spec_bytes=exact))
    assert refusal(spec, GraphLimits(spec_bytes=exact - 1))["actual"] == exact
    quotes = {"meta": {"note": '"' * 10}}  # each quote is escaped: 2 bytes
    exact = len(json.dumps(quotes, ensure_ascii=False, separators=(",", ":")).encode())
    assert refusal(quotes, GraphLimits(spec_bytes=exact - 1))["actual"] == exact


def test_a_huge_spec_is_refused_after_reading_about_the_limit() -> None:
    spec = {"nodes": [], "meta": {"numbers": [0] * 5_000_000, "text": "x" * 10_000_000}}
    started = time.perf_counter()
    body = refusal(spec, GraphLimits())
    assert body["code"] == "spec_too_large"
    assert body["message"].startswith("the spec is more than ")
    assert body["actual"] > 2_000_000
    assert time.perf_counter() - started < 1.0


def test_many_small_values_stop_the_walk_at_the_byte_limit() -> None:
    spec = {"nodes": [], "meta": [[0, 0]] * 3_000_000}
    started = time.perf_counter()
    assert refusal(spec, GraphLimits())["code"] == "spec_too_large"
    assert time.perf_counter() - started < 1.0


def test_values_that_are_not_specs_are_left_to_validation() -> None:
    for value in (None, "text", 3, [], [1, 2], {"nodes": "not a list"}):
        check_spec_limits(value, LIMITS)


def test_limits_come_from_the_setting_and_bad_values_fail_loudly() -> None:
    with override_settings(OCTOGRAPH_GRAPH_LIMITS={"nodes": 5}):
        assert graph_limits() == GraphLimits(nodes=5)
    with (
        override_settings(OCTOGRAPH_GRAPH_LIMITS={"node": 5}),
        pytest.raises(ImproperlyConfigured, match="unknown keys"),
    ):
        graph_limits()
    with (
        override_settings(OCTOGRAPH_GRAPH_LIMITS={"depth": 0}),
        pytest.raises(ImproperlyConfigured, match="positive integer"),
    ):
        graph_limits()
    assert GraphLimits(spec_bytes=1_000).body_bytes == 2_000 + 64 * 1024


# --- JSON bodies ------------------------------------------------------------------------------


@pytest.mark.parametrize("levels", [65, 500, 10_000, 100_000])
def test_json_nested_past_the_limit_is_a_parse_error_not_a_recursion_error(levels: int) -> None:
    text = "[" * levels + "]" * levels
    started = time.perf_counter()
    with pytest.raises(parsers.JsonTooDeep) as refused:
        parsers.loads(text, max_depth=64)
    assert refused.value.get_codes() == "json_too_deep"
    assert str(refused.value.detail) == (
        "the JSON is nested more than 64 levels deep; the limit is 64 levels of objects and lists"
    )
    assert time.perf_counter() - started < 1.0


def test_json_within_the_depth_limit_is_read() -> None:
    assert parsers.loads("[" * 64 + "]" * 64, max_depth=64) == nested(63, leaf=[])


def test_json_refuses_nan_like_drf() -> None:
    with pytest.raises(ValueError, match="Out of range float values"):
        parsers.loads('{"x": NaN}')


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("0", 0),
        ("[]", 1),
        ('"[[[{{{"', 0),
        ('{"a": "\\"[{"}', 1),
        ('{"a": {"b": [{"c": "]]]]\\\\"}]}}', 4),
        ("[[1], [2, [3]], {}]", 3),
    ],
)
def test_nesting_is_read_from_brackets_outside_strings(text: str, depth: int) -> None:
    assert parsers.nested_deeper_than(text, depth - 1) is (depth > 0)
    assert not parsers.nested_deeper_than(text, depth)


class _View:
    max_body_bytes = 100


def _parse(body: bytes, *, view: object = None, declared: int | None = None) -> Any:
    meta = {"CONTENT_LENGTH": str(len(body) if declared is None else declared)}
    request = type("Request", (), {"META": meta})()
    context = {"view": view, "request": request, "encoding": "utf-8"}
    return parsers.JSONParser().parse(io.BytesIO(body), "application/json", context)


def test_a_body_over_the_views_limit_is_refused_from_its_declared_length() -> None:
    with pytest.raises(parsers.RequestTooLarge) as refused:
        _parse(b"{}", view=_View(), declared=10_000_000)
    assert refused.value.status_code == 413
    assert str(refused.value.detail) == (
        "the request body is larger than 100 bytes (this one is 10,000,000 bytes)"
    )


def test_a_body_over_the_limit_without_a_true_length_is_read_only_to_the_limit() -> None:
    with pytest.raises(parsers.RequestTooLarge):
        _parse(b'{"x": "' + b"a" * 500 + b'"}', view=_View(), declared=10)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=50)
def test_views_without_a_limit_get_the_upload_limit() -> None:
    assert _parse(b'{"a": 1}') == {"a": 1}
    with pytest.raises(parsers.RequestTooLarge):
        _parse(b'{"a": "' + b"a" * 60 + b'"}')


def test_bad_json_and_bad_utf8_are_parse_errors() -> None:
    for body in (b"{", b'"\xff"', b"\xff\xfe"):
        with pytest.raises(parsers.ParseError):
            _parse(body)


# --- WebSocket query values -------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        b"after=%C2%B2",  # superscript two: str.isdigit() says True
        b"after=-1",
        b"after=",
        b"after=1e3",
        b"after=%EF%BC%91",  # fullwidth one
        b"after=+1",
        b"after=%201",
        b"after=2147483648",
        b"after=" + b"9" * 5000,
        b"after=1&after=2",
        b"after=0&after=0",
    ],
)
def test_malformed_query_integers_are_refused(query: bytes) -> None:
    with pytest.raises(ws.BadQuery):
        ws.query_int(query, "after", default=0, maximum=2**31 - 1)


def test_query_integers_in_range_are_read() -> None:
    assert ws.query_int(b"", "after", default=0, maximum=10) == 0
    assert ws.query_int(b"token=x&after=7", "after", default=0, maximum=10) == 7
    assert ws.query_int(b"after=0010", "after", default=0, maximum=10) == 10
