"""The deterministic scheduler: which nodes may start, and what a node's result changes.

Pure functions over ``RunState`` (no I/O, no clock): every driver calls them in the same order for
the same results, so every driver emits the same events. Each call returns the ``EventDraft``s it
caused, for the driver to stamp and publish.

Rules: a node becomes ready when every predecessor has settled and at least one edge into it is
active; if none is, it is skipped, and skipping spreads downstream. A completed node activates
all its outgoing edges, except a router, which activates only the edge it chose. The run completes
when nothing is left to run, with the text of its completed output node(s); a routing-only run
(``RunInput.routing_only``) completes as soon as every router has settled, with an empty output, and
nodes still ready or running are abandoned. A run fails on the first failed node; it can be
cancelled at any time. Calls after the run finished change nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graphs.engine.execution import NodeFailure, NodeOutcome
from graphs.engine.state import SETTLED, GraphPlan, NodeStatus, RunState, RunStatus
from graphs.events import EventDraft, EventType
from graphs.nodes.base import NodeResult, RunInput, Upstream
from graphs.nodes.registry import NODE_KINDS
from graphs.spec import GraphSpec


class Scheduler:
    """Advances runs of one graph. Holds only facts derived from the spec; state is passed in."""

    def __init__(self, spec: GraphSpec) -> None:
        self.spec = spec
        self.plan = GraphPlan(spec)

    def begin(self, run_input: RunInput) -> tuple[RunState, list[EventDraft]]:
        """A fresh run state whose input node is ready, and the ``run.started`` event."""
        state = RunState(
            run_input=run_input,
            status={node.id: NodeStatus.PENDING for node in self.spec.nodes},
            waiting={node.id: len(self.spec.incoming[node.id]) for node in self.spec.nodes},
        )
        for node in self.spec.nodes_of_kind("input"):
            self._mark_ready(state, node.id)
        started = EventDraft(
            EventType.RUN_STARTED, data={"input": run_input.summary(), "nodes": len(state.status)}
        )
        return state, [started]

    def start_ready(self, state: RunState) -> tuple[list[str], list[EventDraft]]:
        """Mark every ready node running; return their ids (spec order) and ``node.started``s."""
        if state.finished:
            return [], []
        started = sorted(state.ready, key=self.plan.order.__getitem__)
        state.ready.clear()
        drafts = []
        for node_id in started:
            state.status[node_id] = NodeStatus.RUNNING
            drafts.append(EventDraft(EventType.NODE_STARTED, node_id, self._started_data(node_id)))
        return started, drafts

    def upstream(self, state: RunState, node_id: str) -> tuple[Upstream, ...]:
        """The active edges into ``node_id`` with their sources' results, in edge order."""
        return tuple(
            Upstream(
                edge=edge, source=self.spec.node(edge.source), result=state.results[edge.source]
            )
            for edge in self.spec.incoming[node_id]
            if edge.id in state.active_edges
        )

    def complete(
        self, state: RunState, node_id: str, result: NodeResult, **metrics: Any
    ) -> list[EventDraft]:
        """Fold a node's result in; ``metrics`` (latency_ms, attempts) join ``node.completed``."""
        if state.finished or state.status[node_id] is not NodeStatus.RUNNING:
            return []
        state.status[node_id] = NodeStatus.COMPLETED
        state.results[node_id] = result
        data = {
            "output": result.text,
            "tokens_in": result.tokens_in,
            "tokens_out": result.tokens_out,
            **metrics,
            **result.data,
        }
        if result.route is not None:
            data["route"] = result.route
        drafts = [EventDraft(EventType.NODE_COMPLETED, node_id, data)]
        drafts += self._settle(state, [node_id])
        return drafts + self._finish_if_done(state)

    def fold(
        self, state: RunState, node_id: str, outcome: NodeOutcome | NodeFailure
    ) -> list[EventDraft]:
        """Fold what running a node gave (``execute_node``'s outcome or failure) into ``state``."""
        if isinstance(outcome, NodeFailure):
            return self.fail(state, node_id, outcome.message, outcome.code)
        return self.complete(
            state,
            node_id,
            outcome.result,
            latency_ms=outcome.latency_ms,
            attempts=outcome.attempts,
        )

    def fail(self, state: RunState, node_id: str, error: str, code: str) -> list[EventDraft]:
        """A node failed for good (after its retries): the run fails with the node's error."""
        if state.finished:
            return []
        state.status[node_id] = NodeStatus.FAILED
        state.run_status = RunStatus.FAILED
        state.error = f"node '{node_id}' failed: {error}"
        return [
            EventDraft(EventType.NODE_FAILED, node_id, {"error": error, "code": code}),
            EventDraft(EventType.RUN_FAILED, data={"error": state.error, "node": node_id}),
        ]

    def cancel(self, state: RunState, reason: str) -> list[EventDraft]:
        """Stop the run; nodes still running are abandoned by the driver."""
        if state.finished:
            return []
        state.run_status = RunStatus.CANCELLED
        state.error = reason
        return [EventDraft(EventType.RUN_CANCELLED, data={"reason": reason})]

    def output(self, state: RunState) -> str:
        """The run's answer: the completed output nodes' texts, in spec order."""
        return "\n\n".join(
            state.results[node.id].text
            for node in self.spec.nodes_of_kind("output")
            if state.status[node.id] is NodeStatus.COMPLETED
        )

    def _started_data(self, node_id: str) -> dict[str, Any]:
        node = self.spec.node(node_id)
        data: dict[str, Any] = {"kind": node.kind}
        models = NODE_KINDS[node.kind].models(node.config)
        if models:
            data["model"] = models[0]
        if node_id in self.plan.layers and self.plan.is_mixture:
            data["layer"] = self.plan.layers[node_id]
        return data

    def _mark_ready(self, state: RunState, node_id: str) -> None:
        state.status[node_id] = NodeStatus.READY
        state.ready.append(node_id)

    def _settle(self, state: RunState, settled: Iterable[str]) -> list[EventDraft]:
        """Propagate settled nodes to their successors: activate edges, ready or skip targets."""
        drafts: list[EventDraft] = []
        queue = list(settled)
        while queue:
            node_id = queue.pop()
            drafts += self._layer_event(state, node_id)
            result = (
                state.results.get(node_id)
                if state.status[node_id] is NodeStatus.COMPLETED
                else None
            )
            for edge in self.spec.outgoing[node_id]:
                if result is not None and result.route in (None, edge.id):
                    state.active_edges.add(edge.id)
                state.waiting[edge.target] -= 1
                if state.waiting[edge.target] > 0:
                    continue
                if any(e.id in state.active_edges for e in self.spec.incoming[edge.target]):
                    self._mark_ready(state, edge.target)
                else:
                    state.status[edge.target] = NodeStatus.SKIPPED
                    reason = self._skip_reason(state, edge.target)
                    drafts.append(
                        EventDraft(EventType.NODE_SKIPPED, edge.target, {"reason": reason})
                    )
                    queue.append(edge.target)
        return drafts

    def _skip_reason(self, state: RunState, node_id: str) -> str:
        for edge in self.spec.incoming[node_id]:
            result = state.results.get(edge.source)
            if result is not None and result.route is not None:
                return f"router '{edge.source}' chose edge '{result.route}'"
        return "every node leading here was skipped"

    def _layer_event(self, state: RunState, node_id: str) -> list[EventDraft]:
        """``layer.completed`` once every model node of ``node_id``'s MoA layer has settled."""
        if not self.plan.is_mixture or node_id not in self.plan.layers:
            return []
        layer = self.plan.layers[node_id]
        members = self.plan.layer_members[layer]
        if any(state.status[m] not in SETTLED for m in members):
            return []
        answers = [
            {"node": m, "output": state.results[m].text}
            for m in members
            if state.status[m] is NodeStatus.COMPLETED
        ]
        if not answers:
            return []
        return [EventDraft(EventType.LAYER_COMPLETED, data={"layer": layer, "answers": answers})]

    def _finish_if_done(self, state: RunState) -> list[EventDraft]:
        if state.run_input.routing_only and self.plan.routers:
            return self._finish_if_routed(state)
        if any(status not in SETTLED for status in state.status.values()):
            return []
        output = self.output(state)
        if not any(
            state.status[node.id] is NodeStatus.COMPLETED
            for node in self.spec.nodes_of_kind("output")
        ):
            state.run_status = RunStatus.FAILED
            state.error = "the run reached no output node"
            return [EventDraft(EventType.RUN_FAILED, data={"error": state.error, "node": None})]
        state.run_status = RunStatus.COMPLETED
        return [EventDraft(EventType.RUN_COMPLETED, data={"output": output, **_totals(state)})]

    def _finish_if_routed(self, state: RunState) -> list[EventDraft]:
        """Complete a routing-only run once every router has settled (decided or skipped)."""
        if any(state.status[router] not in SETTLED for router in self.plan.routers):
            return []
        state.run_status = RunStatus.COMPLETED
        data = {"output": "", "routing_only": True, **_totals(state)}
        return [EventDraft(EventType.RUN_COMPLETED, data=data)]


def _totals(state: RunState) -> dict[str, int]:
    """The tokens read and written by every node that completed."""
    return {
        "tokens_in": sum(r.tokens_in for r in state.results.values()),
        "tokens_out": sum(r.tokens_out for r in state.results.values()),
    }
