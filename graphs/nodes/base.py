"""What every node kind provides, and what its executor receives and returns.

A node kind is one module in ``graphs/nodes/``: a frozen config dataclass, an async executor,
optionally a ``validate`` hook for rules about its place in the graph, and one ``NodeKind`` value
registered in ``graphs/nodes/registry.py`` (see CONTRIBUTING.md). ``graphs.nodes.describe``
serves what the editor needs of it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from graphs.images import MAX_RUN_IMAGES, RunImage
from graphs.problems import Problem
from graphs.runtime import ModelClient
from graphs.spec import EdgeSpec, GraphSpec, NodeSpec
from graphs.tools.webhook import NO_WEBHOOK_ACCESS, WebhookAccess


@dataclass(frozen=True)
class RunInput:
    """What a run starts from: the user's text and any images (validated working copies).

    ``routing_only`` asks for the routing decisions alone (an evaluation that scores only them):
    routers skip their rewrite, and the run completes, with an empty output, as soon as every
    router has settled (``graphs.engine.scheduler``)."""

    text: str
    images: tuple[RunImage, ...] = ()
    routing_only: bool = False

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ValueError("the run needs a non-empty input text")
        if len(self.images) > MAX_RUN_IMAGES:
            raise ValueError(f"a run takes at most {MAX_RUN_IMAGES} images")

    def summary(self) -> dict[str, Any]:
        """What events show of the input: the text and each image's ``RunImage.summary()``
        (never the images' bytes)."""
        data: dict[str, Any] = {"text": self.text}
        if self.images:
            data["images"] = [image.summary() for image in self.images]
        if self.routing_only:
            data["routing_only"] = True
        return data

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text}
        if self.images:
            data["images"] = [image.to_json() for image in self.images]
        if self.routing_only:
            data["routing_only"] = True
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RunInput:
        images = tuple(RunImage.from_json(image) for image in data.get("images", ()))
        return cls(
            text=str(data["text"]),
            images=images,
            routing_only=bool(data.get("routing_only", False)),
        )


@dataclass(frozen=True)
class NodeResult:
    """A finished node's output, folded back into the run state.

    ``text`` flows along the node's outgoing edges; ``query`` is the question being answered
    (so an aggregator can show its proposers' shared question); ``route`` is the id of the one
    outgoing edge a router activated; ``data`` goes into the ``node.completed`` event as is.
    """

    text: str
    query: str
    tokens_in: int = 0
    tokens_out: int = 0
    route: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "query": self.query,
            "tokens_in": self.tokens_in,
            "tokens_out": self.tokens_out,
            "route": self.route,
            "data": dict(self.data),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> NodeResult:
        return cls(
            text=data["text"],
            query=data["query"],
            tokens_in=data.get("tokens_in", 0),
            tokens_out=data.get("tokens_out", 0),
            route=data.get("route"),
            data=data.get("data", {}),
        )


@dataclass(frozen=True)
class Upstream:
    """One active incoming edge of a node, with the result of the node at its source."""

    edge: EdgeSpec
    source: NodeSpec
    result: NodeResult


EmitEvent = Callable[[str, Mapping[str, Any]], None]


@dataclass(frozen=True)
class NodeContext:
    """Everything an executor may use. ``emit(type, data)`` publishes an event about this node;
    ``webhooks`` is what the server lets webhook tools use (default: no secret, no private
    host)."""

    spec: GraphSpec
    node: NodeSpec
    upstream: tuple[Upstream, ...]
    run_input: RunInput
    client: ModelClient
    emit: EmitEvent
    webhooks: WebhookAccess = NO_WEBHOOK_ACCESS

    @property
    def config(self) -> Any:
        return self.node.config

    @property
    def outgoing(self) -> tuple[EdgeSpec, ...]:
        return self.spec.outgoing[self.node.id]

    def incoming_text(self) -> str:
        """The texts arriving on the active incoming edges, in edge order, blank-line separated."""
        return "\n\n".join(item.result.text for item in self.upstream)

    def incoming_query(self) -> str:
        """The question carried by the first active incoming edge (the run input at the start)."""
        return self.upstream[0].result.query if self.upstream else self.run_input.text


class Executor(Protocol):
    def __call__(self, context: NodeContext) -> Awaitable[NodeResult]: ...


@dataclass(frozen=True)
class NodeKind:
    """One kind of node.

    ``hosted`` kinds call a model and run on that model's worker queue; the others are cheap and
    run wherever the run is advanced. ``models(config)`` lists the catalog keys a node needs.
    ``min_inputs``/``max_inputs``/``allows_outputs`` are its ports (checked for every kind by
    ``graphs.validation``); ``validate(spec, node)`` returns the problems of rules only this kind
    has (called for each node of the kind once the spec is parsed; ``node.config`` is ``None``
    when its config was refused). ``new_config`` is the config a node added in the editor starts
    with (a required ``model`` it lacks is filled with the editor's default model); ``facts`` are
    constants of the kind the editor shows or checks, served as they are.
    """

    name: str
    summary: str
    config_type: type
    execute: Executor
    hosted: bool
    min_inputs: int = 1
    max_inputs: int | None = None
    allows_outputs: bool = True
    models: Callable[[Any], tuple[str, ...]] = field(default=lambda config: ())
    validate: Callable[[GraphSpec, NodeSpec], list[Problem]] = field(default=lambda spec, node: [])
    new_config: Mapping[str, Any] = field(default_factory=dict)
    facts: Mapping[str, Any] = field(default_factory=dict)
