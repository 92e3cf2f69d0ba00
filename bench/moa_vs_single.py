"""Does Mixture-of-Agents beat its best single proposer? ``moa-lite`` against each of its
proposers alone, on MMLU answer accuracy (``choice``), with 95% confidence intervals.

    .venv/bin/python bench/moa_vs_single.py [--sample 100] [--seed 0] [--concurrency 8]
    .venv/bin/python bench/moa_vs_single.py --smoke     # fake backend, a few rows (make test)

Each proposer of ``moa-lite`` becomes a graph of its own (``input -> proposer -> output``, the
same system prompt, temperature and token budget). Every graph is evaluated with the product's own
evaluation (``workers.cli.evaluate.Evaluation``, the code behind ``octograph eval``) on the same
seeded sample of the built-in ``mmlu-1700`` dataset (MMLU test split), on the real models of this
machine. Printed per graph: accuracy with its Wilson interval, median latency and mean tokens
written; then MoA against the best single proposer: the difference and McNemar's paired test.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import sys
import time
from typing import Any

from graphs import GraphSpec, check
from graphs.evaluation.builtin import load_builtin
from graphs.evaluation.report import ScoredRow, summarize
from graphs.evaluation.stats import mcnemar
from graphs.templates import get_template
from workers.cli.evaluate import EvalOptions, Evaluation

DATASET = "mmlu-1700"
SCORER = "choice"


def single_proposer(moa: dict[str, Any], proposer: str) -> dict[str, Any]:
    """``input -> proposer -> output``: one proposer of ``moa`` as a graph of its own."""
    nodes = {node["id"]: node for node in moa["nodes"]}
    return {
        "spec": 1,
        "nodes": [
            copy.deepcopy(nodes["input"]),
            copy.deepcopy(nodes[proposer]),
            copy.deepcopy(nodes["output"]),
        ],
        "edges": [
            {"id": "in", "source": "input", "target": proposer},
            {"id": "out", "source": proposer, "target": "output"},
        ],
    }


def graphs_to_compare() -> dict[str, GraphSpec]:
    """``moa-lite`` and each of its first-layer proposers alone, by name."""
    moa = get_template("moa-lite").spec()
    proposers = [node["id"] for node in moa["nodes"] if node["id"].startswith("l1-")]
    specs: dict[str, GraphSpec] = {}
    for name, data in [("moa-lite", moa), *((p, single_proposer(moa, p)) for p in proposers)]:
        spec, problems = check(data)
        if spec is None:
            raise SystemExit(f"{name} is invalid: {problems}")
        specs[name] = spec
    return specs


async def evaluate_all(
    specs: dict[str, GraphSpec], client: Any, args: argparse.Namespace
) -> dict[str, list[ScoredRow]]:
    rows = load_builtin(DATASET)
    options = EvalOptions(
        sample=args.sample, seed=args.seed, scorers=(SCORER,), concurrency=args.concurrency
    )
    results = {}
    for name, spec in specs.items():
        started = time.perf_counter()
        scored = await Evaluation(spec, rows, client, options).run()
        right = sum(row.scores[SCORER].value or 0 for row in scored)
        print(
            f"  {name}: {right:.0f}/{len(scored)} in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
            flush=True,
        )
        results[name] = scored
    return results


def report(results: dict[str, list[ScoredRow]]) -> dict[str, Any]:
    summaries = {name: summarize(scored, [SCORER]) for name, scored in results.items()}
    singles = {name: s for name, s in summaries.items() if name != "moa-lite"}
    best = max(singles, key=lambda name: singles[name]["metrics"][SCORER] or 0)
    moa_right = [row.scores[SCORER].value == 1 for row in results["moa-lite"]]
    best_right = [row.scores[SCORER].value == 1 for row in results[best]]
    test = mcnemar(moa_right, best_right)
    delta = (summaries["moa-lite"]["metrics"][SCORER] or 0) - (
        singles[best]["metrics"][SCORER] or 0
    )
    return {"summaries": summaries, "best_single": best, "delta": delta, "mcnemar": test}


def print_report(result: dict[str, Any], sample: int) -> None:
    print(f"\nMMLU answer accuracy ({SCORER}), {sample} rows of builtin:{DATASET}, same rows each")
    print(f"{'graph':14} {'accuracy':>9} {'95% CI':>17} {'p50 ms':>8} {'mean out tok':>13}")
    for name, summary in result["summaries"].items():
        value = summary["metrics"][SCORER] or 0
        interval = summary["intervals"][SCORER]
        print(
            f"{name:14} {value:>9.1%} [{interval['low']:>6.1%}, {interval['high']:>6.1%}]"
            f" {summary['latency_ms']['p50']:>8.0f} {summary['tokens']['mean_out']:>13.1f}"
        )
    test = result["mcnemar"]
    print(
        f"moa-lite - best single ({result['best_single']}): {result['delta']:+.1%}; McNemar: "
        f"moa only right {test['a_only']}, single only right {test['b_only']}, "
        f"p = {test['p_value']:.3f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=100, help="rows of mmlu-1700 (seeded)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--concurrency", type=int, default=8, help="rows at a time")
    parser.add_argument("--smoke", action="store_true", help="fake backend, 6 rows")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    if args.smoke:
        from workers.backends.fake import FakeBackend

        args.sample = 6
        client: Any = FakeBackend(reply=lambda request: "The answer is B.")
    else:
        from workers.runtime import ModelRuntime

        client = ModelRuntime()
    results = asyncio.run(evaluate_all(graphs_to_compare(), client, args))
    result = report(results)
    print_report(result, args.sample)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(result, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
