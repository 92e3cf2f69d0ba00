"""Do the proposers of one Mixture-of-Agents layer really run concurrently?

For each backend, in one run of this script: each of ``moa-lite``'s three proposers is timed
alone (a graph input -> proposer -> output), then the three together as one layer. The figure is
the layer's wall time divided by the slowest single proposer's time: 1.0 is perfect concurrency,
3.0 would be running one after the other.

    .venv/bin/python bench/moa_layer.py [--backend fake|smollm2|both] [--latency 0.2]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from graphs import load_spec
from graphs.engine.local_driver import run_graph
from graphs.runtime import ModelClient
from graphs.templates import get_template

QUERY = "Name three primary colors."


def layer_graph(proposers: list[dict[str, Any]]) -> dict[str, Any]:
    """input -> the given proposer nodes (one layer) -> output."""
    return {
        "spec": 1,
        "nodes": [{"id": "input", "kind": "input"}, *proposers, {"id": "output", "kind": "output"}],
        "edges": [
            edge
            for node in proposers
            for edge in (
                {"id": f"in-{node['id']}", "source": "input", "target": node["id"]},
                {"id": f"{node['id']}-out", "source": node["id"], "target": "output"},
            )
        ],
    }


def first_layer(max_tokens: int) -> list[dict[str, Any]]:
    """moa-lite's layer-1 proposers, each with a fixed seed so single and joint runs match."""
    nodes = [n for n in get_template("moa-lite").spec()["nodes"] if n["id"].startswith("l1-")]
    for seed, node in enumerate(nodes):
        node["config"].update(max_tokens=max_tokens, seed=seed)
    return nodes


async def timed(client: ModelClient, proposers: list[dict[str, Any]]) -> tuple[float, int]:
    started = time.perf_counter()
    result = await run_graph(load_spec(layer_graph(proposers)), QUERY, client)
    elapsed = time.perf_counter() - started
    if result.status != "completed":
        raise SystemExit(f"run failed: {result.error}")
    tokens = sum(e.data["tokens_out"] for e in result.events if e.type == "node.completed")
    return elapsed, tokens


async def measure(name: str, client: ModelClient, max_tokens: int) -> None:
    proposers = first_layer(max_tokens)
    await timed(client, proposers[:1])  # warm-up: load the model, fill caches
    singles = [await timed(client, [node]) for node in proposers]
    layer, layer_tokens = await timed(client, proposers)
    slowest = max(seconds for seconds, _ in singles)
    print(f"[{name}] single proposers: " + ", ".join(f"{s:.2f} s ({t} tok)" for s, t in singles))
    print(f"[{name}] layer of {len(proposers)}: {layer:.2f} s ({layer_tokens} tok)")
    print(f"[{name}] layer wall / slowest single proposer = {layer / slowest:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["fake", "smollm2", "both"], default="both")
    parser.add_argument("--latency", type=float, default=0.2, help="fake backend latency (s)")
    parser.add_argument("--max-tokens", type=int, default=48)
    args = parser.parse_args()
    if args.backend in ("fake", "both"):
        from workers.backends.fake import FakeBackend

        fake = FakeBackend(latency=args.latency)
        asyncio.run(measure(f"fake, {args.latency:g} s latency", fake, args.max_tokens))
    if args.backend in ("smollm2", "both"):
        from workers.runtime import ModelRuntime

        asyncio.run(measure("smollm2-135m-instruct", ModelRuntime(), args.max_tokens))


if __name__ == "__main__":
    main()
