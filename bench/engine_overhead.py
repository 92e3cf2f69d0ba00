"""Per-node overhead of the engine (scheduler + asyncio driver + events) on a 200-node graph.

The fake backend answers instantly, so the run's wall time is the engine's own cost (plus the
fake's trivial streaming of a few words per node). Goal: < 0.5 ms per node.

    .venv/bin/python bench/engine_overhead.py [--nodes 200] [--repeats 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

from graphs import load_spec
from graphs.engine.local_driver import run_graph
from workers.backends.fake import FakeBackend

GOAL_MS = 0.5


def wide_graph(nodes: int, width: int = 10) -> dict[str, Any]:
    """``input`` -> ``width`` chains of model nodes -> ``output``: ``nodes`` nodes in all."""
    models = nodes - 2
    spec_nodes: list[dict[str, Any]] = [{"id": "input", "kind": "input"}]
    edges: list[dict[str, Any]] = []
    for index in range(models):
        node_id = f"m{index}"
        spec_nodes.append({"id": node_id, "kind": "model", "config": {"model": "fake"}})
        source = "input" if index < width else f"m{index - width}"
        edges.append({"id": f"e{index}", "source": source, "target": node_id})
    spec_nodes.append({"id": "output", "kind": "output"})
    for index in range(max(0, models - width), models):
        edges.append({"id": f"out{index}", "source": f"m{index}", "target": "output"})
    return {"spec": 1, "nodes": spec_nodes, "edges": edges}


async def measure(nodes: int) -> tuple[float, int]:
    spec = load_spec(wide_graph(nodes))
    started = time.perf_counter()
    result = await run_graph(spec, "measure the engine", FakeBackend())
    elapsed = time.perf_counter() - started
    assert result.status == "completed", result.error
    return elapsed, len(result.events)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(measure(args.nodes))  # warm-up: imports, caches
    runs = [asyncio.run(measure(args.nodes)) for _ in range(args.repeats)]
    per_node_ms = [elapsed / args.nodes * 1000 for elapsed, _ in runs]
    events = runs[0][1]
    best, median = min(per_node_ms), statistics.median(per_node_ms)
    print(f"graph: {args.nodes} nodes, {events} events per run, {args.repeats} runs")
    print(f"engine overhead per node: median {median:.3f} ms, best {best:.3f} ms")
    print(f"events per second: {events / (median * args.nodes / 1000):,.0f}")
    print(f"goal < {GOAL_MS} ms/node: {'met' if median < GOAL_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
