"""``tool``: calls one function with the arguments a router generated (Octopus v2 actions).

The function is a built-in (``graphs.tools.builtins``: calculator, convert_units, date_add,
date_diff, weekday), whose argument schema is fixed, or a webhook (``graphs.tools.webhook``) that
declares its own ``arguments``. The call's arguments come from the one incoming edge
(``graphs.tools.calls.read_arguments``): the argument list a functional-token router wrote
(``<nexa_k>('5', 'km', 'mi')<nexa_end>``, forwarded in the router's result data under
``CALL_ARGUMENTS``), or else the text arriving (a JSON object or array, an argument list, or the
text as the single argument). They are bound to the schema, every problem reported per argument.

Events: ``tool.call`` ``{name, backend, raw, arguments}`` (``arguments``: the bound values, null
when they did not fit the schema), then ``tool.result`` with either ``{result, output,
duration_ms}`` or ``{error, duration_ms}`` (plus ``problems`` for bad arguments: each
``{argument, expected, got}``). A failed call fails the node with the same message.

The result's ``text`` (``2 * 21 = 42``) flows on to the next node.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from graphs.functional_tokens import CALL_ARGUMENTS
from graphs.nodes.attempt_config import ExecutionSettings, require_text
from graphs.nodes.base import NodeContext, NodeKind, NodeResult
from graphs.problems import ConfigError
from graphs.tools.base import ToolError, ToolOutput
from graphs.tools.builtins import BUILTINS
from graphs.tools.calls import read_arguments
from graphs.tools.schema import (
    ArgumentsError,
    ArgumentSpec,
    JsonScalar,
    bind_arguments,
    check_schema,
)
from graphs.tools.webhook import WebhookAccess, WebhookConfig, call_webhook

DEFAULT_TOOL_TIMEOUT_S = 30.0
MAX_TOOL_TIMEOUT_S = 120.0
"""Tool nodes are not hosted: the Celery driver runs them in the task that advances the run, after
its step has committed (outside the run's lock), and that task's other work waits for them, so
one call may take at most this long."""


@dataclass(frozen=True, kw_only=True)
class ToolConfig(ExecutionSettings):
    """``function`` names a built-in, or, with ``webhook`` set, the webhook's function (whose
    ``arguments`` schema is then declared here). ``description`` says what it does (shown on the
    canvas; built-ins have their own). ``timeout_s`` bounds one call; ``retries`` (default 0:
    actions need not be idempotent) repeats a call the webhook's server failed transiently."""

    function: str
    description: str = ""
    arguments: tuple[ArgumentSpec, ...] = ()
    webhook: WebhookConfig | None = None
    timeout_s: float = DEFAULT_TOOL_TIMEOUT_S
    retries: int = 0

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.timeout_s > MAX_TOOL_TIMEOUT_S:
            raise ConfigError("timeout_s", f"a tool call may take at most {MAX_TOOL_TIMEOUT_S:g} s")
        require_text("function", self.function)
        if self.webhook is not None:
            if not self.function.isidentifier():
                raise ConfigError("function", "must be an identifier (letters, digits, _)")
            check_schema(self.arguments)
            return
        builtin = BUILTINS.get(self.function)
        if builtin is None:
            raise ConfigError(
                "function",
                f"unknown built-in function {self.function!r} (built-ins: {', '.join(BUILTINS)}); "
                "to call your own service, add a 'webhook'",
            )
        if self.arguments:
            raise ConfigError(
                "arguments",
                f"built-in function '{self.function}' has a fixed argument schema "
                f"({signature(builtin.arguments)}); remove 'arguments'",
            )

    @property
    def schema(self) -> tuple[ArgumentSpec, ...]:
        """The arguments a call binds to."""
        return self.arguments if self.webhook is not None else BUILTINS[self.function].arguments

    @property
    def backend(self) -> str:
        return "builtin" if self.webhook is None else "webhook"


def signature(arguments: tuple[ArgumentSpec, ...]) -> str:
    """``value: number, from_unit: string, unit?: string`` (``?``: optional)."""
    return ", ".join(f"{a.name}{'' if a.required else '?'}: {a.type}" for a in arguments)


def router_call(context: NodeContext) -> str | None:
    """The argument list a functional-token router wrote, if that is what arrives."""
    for item in context.upstream:
        value = item.result.data.get(CALL_ARGUMENTS)
        if isinstance(value, str):
            return value
    return None


async def call_function(
    config: ToolConfig, arguments: dict[str, JsonScalar], webhooks: WebhookAccess
) -> ToolOutput:
    """Run the configured function on bound ``arguments`` (a webhook with ``webhooks``' access);
    raises ``ToolError``."""
    if config.webhook is not None:
        return await call_webhook(
            config.webhook, arguments, timeout_s=config.timeout_s, access=webhooks
        )
    return BUILTINS[config.function].run(arguments)


async def execute_tool(context: NodeContext) -> NodeResult:
    config: ToolConfig = context.config
    text = context.incoming_text()
    written = router_call(context)
    call: dict[str, Any] = {
        "name": config.function,
        "backend": config.backend,
        "raw": written if written is not None else text,
    }
    try:
        arguments = bind_arguments(config.function, config.schema, read_arguments(text, written))
    except ArgumentsError as error:
        context.emit("tool.call", {**call, "arguments": None})
        problems = [problem.to_json() for problem in error.problems]
        context.emit("tool.result", {"error": str(error), "problems": problems, "duration_ms": 0})
        raise
    context.emit("tool.call", {**call, "arguments": arguments})
    started = time.perf_counter()
    try:
        output = await call_function(config, arguments, context.webhooks)
    except ToolError as error:
        context.emit("tool.result", {"error": str(error), "duration_ms": _since(started)})
        raise
    context.emit(
        "tool.result",
        {"result": output.value, "output": output.text, "duration_ms": _since(started)},
    )
    return NodeResult(
        text=output.text,
        query=context.incoming_query(),
        data={"tool": config.function, "result": output.value},
    )


def _since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)


KIND = NodeKind(
    name="tool",
    summary="Calls a function (built-in or webhook) with the arguments a router generated.",
    config_type=ToolConfig,
    execute=execute_tool,
    hosted=False,
    max_inputs=1,
    new_config={"function": "calculator"},
    facts={
        "max_timeout_s": MAX_TOOL_TIMEOUT_S,
        "builtins": [
            {
                "name": builtin.name,
                "summary": builtin.description,
                "arguments": [argument.to_json() for argument in builtin.arguments],
            }
            for builtin in BUILTINS.values()
        ],
    },
)
