"""A node kind defined outside ``graphs/nodes/``, registered only where a test asks for it
(``OCTOGRAPH_EXTRA_NODE_KINDS=tests.node_kinds_extra``): it proves a kind needs nothing but its
module and a registry entry to reach the palette, with an inspector form generated from its
config's JSON Schema."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from graphs.nodes.base import NodeContext, NodeKind, NodeResult
from graphs.problems import ConfigError


@dataclass(frozen=True, kw_only=True)
class StampConfig:
    """``stamp`` is written ``repeat`` times ``where`` the text is (before or after it),
    in capitals when ``shout``."""

    stamp: str = "checked"
    repeat: int = 1
    where: Literal["before", "after"] = "before"
    shout: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.repeat <= 5:
            raise ConfigError("repeat", "must be between 1 and 5")


async def execute_stamp(context: NodeContext) -> NodeResult:
    config: StampConfig = context.config
    stamp = " ".join([config.stamp.upper() if config.shout else config.stamp] * config.repeat)
    text = context.incoming_text()
    stamped = f"{stamp} {text}" if config.where == "before" else f"{text} {stamp}"
    return NodeResult(text=stamped, query=context.incoming_query())


KINDS = (
    NodeKind(
        name="stamp",
        summary="Stamps the text passing through (a test-only kind).",
        config_type=StampConfig,
        execute=execute_stamp,
        hosted=False,
        max_inputs=1,
    ),
)
