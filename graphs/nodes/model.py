"""``model``: a worker model answering with a system prompt, optionally through a LoRA adapter.

With two or more model predecessors the node is a Mixture-of-Agents aggregator: their answers go
into its system prompt with the Aggregate-and-Synthesize instructions and it answers the question
they answered. Otherwise it answers the text arriving on its incoming edge(s).
"""

from __future__ import annotations

from dataclasses import dataclass

from graphs.nodes.attempt_config import ExecutionSettings, require_text
from graphs.nodes.base import NodeContext, NodeKind, NodeResult
from graphs.nodes.generation import stream
from graphs.problems import ConfigError
from graphs.prompts import aggregate_system_prompt
from graphs.runtime import GenerateRequest, GenerationParams, Message

MAX_TOKENS_LIMIT = 8192


@dataclass(frozen=True, kw_only=True)
class ModelConfig(ExecutionSettings):
    """A worker: ``model`` is a catalog key; ``system`` its instructions; sampling settings."""

    model: str
    system: str = ""
    adapter: str | None = None
    temperature: float = 0.7
    top_p: float = 0.95
    max_tokens: int = 256
    seed: int | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        require_text("model", self.model)
        if not 0 <= self.temperature <= 2:
            raise ConfigError("temperature", "must be between 0 and 2")
        if not 0 < self.top_p <= 1:
            raise ConfigError("top_p", "must be more than 0 and at most 1")
        if not 1 <= self.max_tokens <= MAX_TOKENS_LIMIT:
            raise ConfigError("max_tokens", f"must be between 1 and {MAX_TOKENS_LIMIT}")

    @property
    def params(self) -> GenerationParams:
        return GenerationParams(
            temperature=self.temperature,
            top_p=self.top_p,
            max_tokens=self.max_tokens,
            seed=self.seed,
        )


def is_aggregator(context: NodeContext) -> bool:
    return sum(1 for item in context.upstream if item.source.kind == "model") >= 2


def build_messages(context: NodeContext) -> tuple[list[Message], str]:
    """The chat messages for this node and the question they ask."""
    config: ModelConfig = context.config
    if is_aggregator(context):
        references = [item.result.text for item in context.upstream if item.source.kind == "model"]
        query = context.incoming_query()
        system = aggregate_system_prompt(references, own_system=config.system)
        return [Message("system", system), Message("user", query)], query
    query = context.incoming_text()
    messages = [Message("user", query)]
    if config.system.strip():
        messages.insert(0, Message("system", config.system))
    return messages, query


async def execute_model(context: NodeContext) -> NodeResult:
    """Emit ``node.request``, stream the answer; ``node.completed`` gets the token counts and
    ``GenerationStats`` (finish reason, timings)."""
    config: ModelConfig = context.config
    messages, query = build_messages(context)
    request = GenerateRequest(
        model=config.model, messages=messages, params=config.params, adapter=config.adapter
    )
    text, stats = await stream(context, request)
    return NodeResult(
        text=text.strip(),
        query=query,
        tokens_in=stats.tokens_in,
        tokens_out=stats.tokens_out,
        data={"aggregated": is_aggregator(context), **stats.to_json()},
    )


KIND = NodeKind(
    name="model",
    summary="A worker model; with two or more model inputs it aggregates them (Mixture-of-Agents).",
    config_type=ModelConfig,
    execute=execute_model,
    hosted=True,
    models=lambda config: (config.model,),
    new_config={"system": ""},
)
