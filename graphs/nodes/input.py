"""``input``: where a run starts. It passes the user's text on unchanged."""

from __future__ import annotations

from dataclasses import dataclass

from graphs.nodes.base import NodeContext, NodeKind, NodeResult


@dataclass(frozen=True, kw_only=True)
class InputConfig:
    """No settings yet: the run supplies the text."""


async def execute_input(context: NodeContext) -> NodeResult:
    text = context.run_input.text
    return NodeResult(text=text, query=text)


KIND = NodeKind(
    name="input",
    summary="The user's query: where every run starts.",
    config_type=InputConfig,
    execute=execute_input,
    hosted=False,
    min_inputs=0,
    max_inputs=0,
)
