"""Does an experiment keep the model host's batches full? Rows per second of a routing experiment
through the web stack, against the model host's own batched throughput on the same machine.

    .venv/bin/python bench/experiment_throughput.py [--rows 340] [--host-rows N] [--concurrency 8]
    .venv/bin/python bench/experiment_throughput.py --smoke     # fake model host, 24 rows

1. The host's own throughput: the router of ``octopus-v4-mmlu`` decides ``--host-rows`` (default
   ``--rows``) of the experiment's rows of the built-in ``mmlu-1700`` dataset in this process
   (``workers.runtime.ModelRuntime``, the code a model host runs), ``--concurrency`` decisions
   at a time, so the batching decoder always has a full batch: decisions per second.
2. The experiment: the same rows as a routing-only experiment (``route`` scorer) of the same graph
   through the product's stack: the experiment service, a Celery ``runs`` worker (Django, SQLite,
   Redis) and a Celery model host process, ``--concurrency`` runs in flight. Rows per second from
   the experiment's start to its last row scored (the model host is warmed up by a smaller
   experiment first).

Printed: both rates and their ratio (goal >= 0.8: the experiment keeps the decoder's batches full).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any

from stack import django_stack, workers

MODEL = "smollm2-135m-instruct"
DATASET = "mmlu-1700"
TIMEOUT_S = 3600


def host_throughput(texts: list[str], concurrency: int, *, smoke: bool) -> float:
    """Decisions per second of the router in this process, ``concurrency`` at a time."""
    from graphs import load_spec
    from graphs.nodes.router import route_input
    from graphs.templates import get_template

    data = get_template("octopus-v4-mmlu").spec()
    for node in data["nodes"]:  # a decision alone, as in a routing-only run: no rewrite
        if node["kind"] == "router":
            node["config"]["rewrite_tokens"] = 0
    spec = load_spec(data)
    client: Any
    if smoke:
        from workers.backends.fake import FakeBackend

        client = FakeBackend()
    else:
        from workers.runtime import ModelRuntime

        client = ModelRuntime()

    async def decide_all(batch: list[str]) -> None:
        gate = asyncio.Semaphore(concurrency)

        async def one(text: str) -> None:
            async with gate:
                await route_input(spec, "router", text, client)

        await asyncio.gather(*(one(text) for text in batch))

    asyncio.run(decide_all(texts[:concurrency]))  # load the model, attach the adapter
    started = time.perf_counter()
    asyncio.run(decide_all(texts))
    return len(texts) / (time.perf_counter() - started)


def experiment_throughput(rows: int, concurrency: int, folder: Path, *, smoke: bool) -> float:
    """Rows per second of a routing-only experiment on the stack (after a warm-up one)."""
    from graphs.evaluation.scorers import ScorerSpec
    from graphs.templates import get_template
    from webapp.accounts import services as accounts
    from webapp.evaluation import services as evaluation
    from webapp.evaluation.models import Experiment
    from webapp.graphstore import services as graphstore

    user = accounts.user_signup(username="bench", password="bench-password-123")
    team = user.personal_team
    graph = graphstore.graph_create(
        team=team, actor=user, name="octopus", spec=get_template("octopus-v4-mmlu").spec()
    )
    dataset = evaluation.dataset_from_builtin(team=team, actor=user, builtin=DATASET)

    def run(sample: int) -> Experiment:
        experiment = evaluation.experiment_start(
            graph=graph,
            actor=user,
            dataset=dataset,
            sample=sample,
            scorers=[ScorerSpec("route")],
            concurrency=concurrency,
        )
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            experiment.refresh_from_db()
            if experiment.finished_at is not None:
                return experiment
            time.sleep(0.2)
        raise SystemExit(f"experiment {experiment.pk} did not finish in {TIMEOUT_S} s")

    fake = {"OCTOGRAPH_FAKE_BACKEND": "1"} if smoke else {}
    hosts = (
        ("webapp.celery_app", "runs", {}),
        ("workers.celery_app", f"model.{MODEL}", fake),
    )
    with workers(*hosts, folder=folder):
        run(min(rows, 2 * concurrency))  # warm-up: workers connected, model loaded
        experiment = run(rows)
    if experiment.status != "completed" or experiment.done != experiment.total:
        raise SystemExit(f"the experiment ended {experiment.status}: {experiment.error}")
    assert experiment.started_at is not None
    assert experiment.finished_at is not None
    elapsed = (experiment.finished_at - experiment.started_at).total_seconds()
    route = experiment.summary["metrics"]["route"]
    print(f"experiment: {experiment.total} rows in {elapsed:.1f} s, route accuracy {route:.1%}")
    return experiment.total / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=340, help="rows of mmlu-1700 (seeded sample)")
    parser.add_argument(
        "--host-rows", type=int, help="rows the host alone decides (default --rows)"
    )
    parser.add_argument("--concurrency", type=int, default=8, help="rows in flight")
    parser.add_argument("--smoke", action="store_true", help="fake model host, 24 rows")
    args = parser.parse_args()
    if args.smoke:
        args.rows = 24
    from graphs.evaluation.builtin import load_builtin
    from graphs.evaluation.experiment import sample_indices

    rows = load_builtin(DATASET)
    texts = [rows[i].input for i in sample_indices(len(rows), args.rows, 0)]
    texts = texts[: args.host_rows or len(texts)]
    host = host_throughput(texts, args.concurrency, smoke=args.smoke)
    print(f"model host alone: {len(texts)} decisions, {host:.2f} per second")
    with django_stack("octograph-bench-") as folder:
        stack = experiment_throughput(args.rows, args.concurrency, folder, smoke=args.smoke)
    print(f"experiment through the stack: {stack:.2f} rows per second")
    print(f"ratio experiment / host: {stack / host:.2f} (goal >= 0.8)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
