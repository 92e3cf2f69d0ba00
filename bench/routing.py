"""Routing benchmark: the 17-domain router of ``octopus-v4-mmlu`` in all three modes, one run.

    .venv/bin/python bench/routing.py [--sample 1000] [--data ../shared/data/mmlu_routing.jsonl]
    .venv/bin/python bench/routing.py --builtin mmlu-1700 --modes functional-token

``--builtin NAME`` routes the rows of a built-in evaluation dataset instead (each row's ``input``,
scored against its ``route``; all of them, or with ``--sample N --seed S`` the rows that
``octograph eval template:octopus-v4-mmlu builtin:NAME --sample N --seed S`` routes).

On a stratified sample (by domain, proportional, fixed seed) of MMLU's ``test`` split, every
question is routed by each mode in turn through the product's own router code
(``graphs.nodes.router``, decision only: ``rewrite_tokens`` 0) on the real models, one decision at
a time, and the wall time of each decision is recorded. Prints accuracy and median / p90
decision latency per mode, and the median latency ratio in-context / functional-token. Models are
warmed up (loaded, adapter attached) on a few ``dev`` questions first, so latencies are
steady-state.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from graphs import check
from graphs.evaluation.builtin import load_builtin
from graphs.evaluation.experiment import sample_indices
from graphs.nodes.router import route_input
from graphs.templates.routing import octopus_v4_mmlu

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mmlu_routing.jsonl"
MODES = ("functional-token", "in-context", "embedding")
DEFAULT_SAMPLE = 1000


def stratified_sample(rows: list[dict[str, Any]], size: int, seed: int) -> list[dict[str, Any]]:
    """At least ``size`` rows; each domain contributes its share of ``rows``, rounded up."""
    by_domain: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_domain[row["domain"]].append(row)
    rng = random.Random(seed)
    sample = []
    for domain in sorted(by_domain):
        group = by_domain[domain]
        sample += rng.sample(group, min(len(group), math.ceil(size * len(group) / len(rows))))
    rng.shuffle(sample)
    return sample


def spec_for(mode: str) -> Any:
    data = octopus_v4_mmlu()
    for node in data["nodes"]:
        if node["id"] == "router":
            node["config"].update(mode=mode, rewrite_tokens=0)
            if mode == "in-context":
                node["config"].pop("adapter", None)
    spec, problems = check(data)
    if spec is None:
        raise SystemExit(f"template invalid for mode {mode}: {problems}")
    return spec


def summary(mode: str, right: int, latencies: list[float]) -> dict[str, Any]:
    ordered = sorted(latencies)
    return {
        "mode": mode,
        "questions": len(ordered),
        "accuracy": right / len(ordered),
        "median_latency_s": statistics.median(ordered),
        "p90_latency_s": ordered[int(0.9 * (len(ordered) - 1))],
    }


async def main_async(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Every question goes through every mode in turn, so the modes share the machine's
    conditions (and an interrupted run still compares them on the same questions)."""
    from workers.runtime import ModelRuntime

    if args.builtin:  # the shipped rows alone: no data file needed
        dataset = load_builtin(args.builtin)
        picked = sample_indices(len(dataset), args.sample, args.seed)
        test = [{"question": dataset[i].input, "domain": dataset[i].route} for i in picked]
        warmup = [{"question": row.input} for row in dataset[:3]]
    else:
        rows = [json.loads(line) for line in args.data.open()]
        test = [r for r in rows if r["split"] == "test"]
        test = stratified_sample(test, args.sample or DEFAULT_SAMPLE, args.seed)
        warmup = [r for r in rows if r["split"] == "dev"][:3]
    client = ModelRuntime()
    specs = {mode: spec_for(mode) for mode in args.modes}
    for row in warmup:  # load the models, attach the adapter
        for mode in args.modes:
            await route_input(specs[mode], "router", row["question"], client)
    right = dict.fromkeys(args.modes, 0)
    latencies: dict[str, list[float]] = {mode: [] for mode in args.modes}
    for n, row in enumerate(test, start=1):
        for mode in args.modes:
            started = time.perf_counter()
            decision = await route_input(specs[mode], "router", row["question"], client)
            latencies[mode].append(time.perf_counter() - started)
            right[mode] += decision["target"] == row["domain"]
        if n % args.report_every == 0 or n == len(test):
            line = "  ".join(
                f"{mode} {right[mode] / n:.1%} {statistics.median(latencies[mode]) * 1000:.0f}ms"
                for mode in args.modes
            )
            print(f"[{n}/{len(test)}] {line}", flush=True)
    return [summary(mode, right[mode], latencies[mode]) for mode in args.modes]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--sample",
        type=int,
        help=f"stratified sample size (>=, default {DEFAULT_SAMPLE}); with --builtin, the rows "
        "octograph eval --sample N --seed S draws (default: all)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--builtin", help="route a built-in evaluation dataset's rows instead")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--report-every", type=int, default=100, help="progress line interval")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    results = asyncio.run(main_async(args))
    questions = results[0]["questions"]
    source = f"builtin:{args.builtin}" if args.builtin else "stratified sample"
    print(f"\nMMLU test split, {source}: {questions} questions, 17 domains")
    print(f"{'mode':17} {'accuracy':>9} {'median ms':>10} {'p90 ms':>8}")
    for r in results:
        print(
            f"{r['mode']:17} {r['accuracy']:>9.1%} {r['median_latency_s'] * 1000:>10.1f}"
            f" {r['p90_latency_s'] * 1000:>8.1f}"
        )
    by_mode = {r["mode"]: r for r in results}
    if {"in-context", "functional-token"} <= by_mode.keys():
        ratio = (
            by_mode["in-context"]["median_latency_s"]
            / by_mode["functional-token"]["median_latency_s"]
        )
        print(f"median decision latency ratio in-context / functional-token: {ratio:.1f}x")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
