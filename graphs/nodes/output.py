"""``output``: the run's answer: the text arriving on its active incoming edges."""

from __future__ import annotations

from dataclasses import dataclass

from graphs.nodes.base import NodeContext, NodeKind, NodeResult


@dataclass(frozen=True, kw_only=True)
class OutputConfig:
    """No settings yet."""


async def execute_output(context: NodeContext) -> NodeResult:
    return NodeResult(text=context.incoming_text(), query=context.incoming_query())


KIND = NodeKind(
    name="output",
    summary="The run's answer.",
    config_type=OutputConfig,
    execute=execute_output,
    hosted=False,
    allows_outputs=False,
)
