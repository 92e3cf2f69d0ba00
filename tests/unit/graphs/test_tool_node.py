"""The ``tool`` node kind: its config, its events, and runs where a router calls a built-in."""

from __future__ import annotations

from typing import Any

import pytest

from graphs import check, load_spec
from graphs.engine.local_driver import RunResult, run_graph
from graphs.engine.state import RunStatus
from graphs.functional_tokens import CALL_ARGUMENTS
from graphs.runtime import GenerateRequest
from tests.unit.graphs.compact_specs import router_fan, spec_json
from workers.backends.fake import FakeBackend


def single_tool(config: dict[str, Any]) -> dict[str, Any]:
    """input -> tool -> output."""
    return spec_json(
        [("q", "input", {}), ("t", "tool", config), ("out", "output", {})],
        [("q", "t"), ("t", "out")],
    )


def problems_of(spec: dict[str, Any]) -> list[tuple[str, str | None, str | None, str]]:
    _, problems = check(spec)
    return [(p.code, p.node, p.field, p.message) for p in problems]


def events_of(result: RunResult, kind: str) -> list[dict[str, Any]]:
    return [dict(e.data) for e in result.events if e.type == kind]


WEBHOOK = {"url": "https://hooks.example.com/search"}


@pytest.mark.parametrize(
    ("config", "field", "message"),
    [
        ({}, "config.function", "is required"),
        ({"function": "search"}, "config.function", "unknown built-in function 'search'"),
        (
            {"function": "calculator", "arguments": [{"name": "x"}]},
            "config.arguments",
            "fixed argument schema (expression: string); remove 'arguments'",
        ),
        (
            {
                "function": "search",
                "webhook": WEBHOOK,
                "arguments": [{"name": "q", "type": "text"}],
            },
            "config.arguments[0].type",
            "must be one of 'string', 'number', 'integer', 'boolean'",
        ),
        (
            {"function": "search", "webhook": WEBHOOK, "arguments": [{"name": "q", "kind": "x"}]},
            "config.arguments[0].kind",
            "unknown setting",
        ),
        (
            {"function": "search", "webhook": WEBHOOK, "arguments": [{"name": "2q"}]},
            "config.arguments[0].name",
            "must be an identifier",
        ),
        (
            {"function": "search", "webhook": WEBHOOK, "arguments": [{"name": "q"}, {"name": "q"}]},
            "config.arguments[1].name",
            "another argument is named 'q'",
        ),
        (
            {"function": "search", "webhook": WEBHOOK, "arguments": ["q"]},
            "config.arguments",
            "must be a list of objects",
        ),
        (
            {"function": "search", "webhook": {"url": "ftp://example.com"}},
            "config.webhook.url",
            "must be an http:// or https:// URL",
        ),
        (
            {"function": "search", "webhook": {**WEBHOOK, "method": "FETCH"}},
            "config.webhook.method",
            "must be one of 'GET', 'POST'",
        ),
        (
            {"function": "search", "webhook": {**WEBHOOK, "headers_from_env": {"X-Key": "sk-123"}}},
            "config.webhook.headers_from_env",
            "'sk-123' is not an environment variable name",
        ),
        (
            {
                "function": "search",
                "webhook": {**WEBHOOK, "headers_from_env": {"X-Key": "DATABASE_URL"}},
            },
            "config.webhook.headers_from_env",
            "'DATABASE_URL' cannot be read; tools may read only environment variables named "
            "OCTOGRAPH_TOOL_SECRET_<NAME>",
        ),
        (
            {"function": "search", "webhook": {**WEBHOOK, "headers_from_env": {"X-Key": 3}}},
            "config.webhook.headers_from_env",
            "must be an object of strings",
        ),
        (
            {"function": "search bar", "webhook": WEBHOOK},
            "config.function",
            "must be an identifier",
        ),
        ({"function": "weekday", "timeout_s": 0}, "config.timeout_s", "more than 0"),
        ({"function": "weekday", "timeout_s": 600}, "config.timeout_s", "at most 120 s"),
    ],
)
def test_config_errors_name_the_field(config: dict[str, Any], field: str, message: str) -> None:
    found = problems_of(single_tool(config))
    assert len(found) == 1, found
    code, node, found_field, found_message = found[0]
    assert (code, node, found_field) == ("bad_config", "t", field)
    assert message in found_message


def test_a_webhook_tool_declares_its_arguments() -> None:
    spec = load_spec(
        single_tool(
            {
                "function": "search_products",
                "description": "Searches the shop",
                "arguments": [
                    {"name": "query", "description": "what to look for"},
                    {"name": "max_price", "type": "number", "required": False},
                ],
                "webhook": {
                    **WEBHOOK,
                    "headers_from_env": {"Authorization": "OCTOGRAPH_TOOL_SECRET_SHOP"},
                },
            }
        )
    )
    config = spec.node("t").config
    assert [a.name for a in config.schema] == ["query", "max_price"]
    assert config.webhook.headers_from_env == {"Authorization": "OCTOGRAPH_TOOL_SECRET_SHOP"}
    assert (config.timeout_s, config.retries) == (30.0, 0)


def test_a_tool_takes_one_incoming_edge() -> None:
    spec = spec_json(
        [
            ("q", "input", {}),
            ("a", "model", {"model": "m"}),
            ("b", "model", {"model": "m"}),
            ("t", "tool", {"function": "calculator"}),
            ("out", "output", {}),
        ],
        [("q", "a"), ("q", "b"), ("a", "t"), ("b", "t"), ("t", "out")],
    )
    assert [(code, node) for code, node, _, _ in problems_of(spec)] == [("too_many_inputs", "t")]


def tool_router(reply_call: str) -> tuple[dict[str, Any], FakeBackend]:
    """input -> functional-token router -> calculator | convert_units | date_add -> output; the
    router adapter picks ``convert_units`` and writes ``reply_call`` after its token."""

    def reply(request: GenerateRequest) -> str:
        return reply_call if request.prefix else "unused"

    spec = router_fan(
        {"model": "router", "mode": "functional-token", "adapter": "tools"},
        [
            ("calc", "tool", {"function": "calculator"}, "arithmetic"),
            ("units", "tool", {"function": "convert_units"}, "unit conversion"),
            ("dates", "tool", {"function": "date_add"}, "date arithmetic"),
        ],
    )
    return spec, FakeBackend(routes=lambda request: [0.05, 0.9, 0.05], reply=reply)


async def test_a_functional_token_router_calls_a_tool_that_computes_the_answer() -> None:
    spec, client = tool_router("('26.2', 'miles', to_unit='km')<nexa_end>")

    result = await run_graph(load_spec(spec), "How long is a marathon in km?", client)

    assert result.status is RunStatus.COMPLETED, result.error
    assert result.output == "26.2 mi = 42.1648128 km"
    router_done = [e.data for e in result.events if e.type == "node.completed" and e.node == "r"]
    assert router_done[0][CALL_ARGUMENTS] == "('26.2', 'miles', to_unit='km')"
    assert events_of(result, "tool.call") == [
        {
            "name": "convert_units",
            "backend": "builtin",
            "raw": "('26.2', 'miles', to_unit='km')",
            "arguments": {"value": 26.2, "from_unit": "miles", "to_unit": "km"},
        }
    ]
    (tool_result,) = events_of(result, "tool.result")
    assert tool_result["result"] == pytest.approx(42.1648128)
    assert tool_result["output"] == "26.2 mi = 42.1648128 km"
    assert tool_result["duration_ms"] >= 0
    kinds = [(e.type, e.node) for e in result.events if e.node == "units"]
    assert kinds == [
        ("node.started", "units"),
        ("tool.call", "units"),
        ("tool.result", "units"),
        ("node.completed", "units"),
    ]
    completed = [e.data for e in result.events if e.type == "node.completed" and e.node == "units"]
    assert completed[0]["tool"] == "convert_units"


async def test_bad_arguments_fail_the_node_naming_each_argument() -> None:
    spec, client = tool_router("('twenty', 'km')<nexa_end>")

    result = await run_graph(load_spec(spec), "convert twenty km", client)

    assert result.status is RunStatus.FAILED
    (failed,) = events_of(result, "node.failed")
    assert failed["code"] == "backend"
    assert failed["error"] == (
        "invalid arguments for tool 'convert_units': argument 'value': expected a number, "
        "got 'twenty'; argument 'to_unit': expected a string, got nothing (it is required)"
    )
    assert events_of(result, "tool.call")[0]["arguments"] is None
    (tool_result,) = events_of(result, "tool.result")
    assert tool_result["problems"] == [
        {"argument": "value", "expected": "a number", "got": "'twenty'"},
        {"argument": "to_unit", "expected": "a string", "got": "nothing (it is required)"},
    ]
    assert result.error == f"node 'units' failed: {failed['error']}"


async def test_a_failing_computation_fails_the_node_with_its_reason() -> None:
    result = await run_graph(
        load_spec(single_tool({"function": "calculator"})), "1 / (2 - 2)", FakeBackend()
    )
    assert result.status is RunStatus.FAILED
    assert events_of(result, "node.failed")[0]["error"] == "division by zero"
    (tool_result,) = events_of(result, "tool.result")
    assert tool_result["error"] == "division by zero"
    assert "result" not in tool_result


@pytest.mark.parametrize(
    ("config", "text", "output"),
    [
        ({"function": "calculator"}, "17 * 23", "17 * 23 = 391"),
        (
            {"function": "date_diff"},
            '{"start": "2024-01-01", "end": "2024-12-25"}',
            "from 2024-01-01 to 2024-12-25: 359 days (51 weeks and 2 days)",
        ),
        (
            {"function": "date_add"},
            '["2024-01-31", 1, "month"]',
            "2024-01-31 + 1 month = 2024-02-29 (Thursday)",
        ),
        (
            {"function": "date_add"},
            "('2024-03-10', -10)",
            "2024-03-10 - 10 days = 2024-02-29 (Thursday)",
        ),
        ({"function": "weekday"}, "1969-07-20", "1969-07-20 is a Sunday"),
    ],
)
async def test_text_from_any_node_is_json_an_argument_list_or_one_argument(
    config: dict[str, Any], text: str, output: str
) -> None:
    result = await run_graph(load_spec(single_tool(config)), text, FakeBackend())
    assert result.status is RunStatus.COMPLETED, result.error
    assert result.output == output
    assert events_of(result, "tool.call")[0]["raw"] == text


async def test_a_model_can_phrase_the_tool_result() -> None:
    spec = spec_json(
        [
            ("q", "input", {}),
            ("t", "tool", {"function": "calculator"}),
            ("m", "model", {"model": "writer"}),
            ("out", "output", {}),
        ],
        [("q", "t"), ("t", "m"), ("m", "out")],
    )
    client = FakeBackend(reply=lambda request: f"The answer: {request.messages[-1].content}")
    result = await run_graph(load_spec(spec), "2 ** 10", client)
    assert result.output == "The answer: 2 ** 10 = 1024"
