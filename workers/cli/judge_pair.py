"""``octograph judge-pair GRAPH_A GRAPH_B DATASET --model KEY``: which graph answers better?

Both graphs answer every sampled row in this process; a judge model then compares the two answers
twice, A first and B first (``graphs.evaluation.judge.judge_pair``), and an answer wins only when
it wins both orders, which cancels the judge's position bias. Printed: A's wins, B's wins, ties
and undecided rows (a verdict the judge did not write), and A's win rate among decided rows with
its 95% Wilson interval.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graphs import GraphSpec
from graphs.evaluation.dataset import DatasetRow
from graphs.evaluation.experiment import sample_indices
from graphs.evaluation.judge import judge_pair
from graphs.evaluation.stats import wilson_interval
from graphs.nodes.base import RunInput
from graphs.runtime import ModelClient
from workers.cli.evaluate import EvalError, gather_limited, observe_row, read_dataset, row_images

OUTCOMES = ("A", "B", "tie", "undecided")


@dataclass(frozen=True)
class PairOptions:
    model: str
    sample: int | None = None
    seed: int = 0
    concurrency: int = 8


async def judge_rows(
    specs: tuple[GraphSpec, GraphSpec],
    rows: Sequence[DatasetRow],
    client: ModelClient,
    options: PairOptions,
) -> list[dict[str, Any]]:
    """For each sampled row: both graphs' answers and the judge's verdicts, in index order.
    A row where either run failed is ``undecided`` with the error, without calling the judge."""
    try:
        indices = sample_indices(len(rows), options.sample, options.seed)
    except ValueError as error:
        raise EvalError(str(error)) from error

    images = {index: row_images(rows[index], index) for index in indices}

    async def one(index: int) -> dict[str, Any]:
        row = rows[index]
        run_input = RunInput(row.input, images[index])
        a, b = [
            await observe_row(spec, run_input, client, run_id=f"{side}-{index}")
            for side, spec in zip("ab", specs, strict=True)
        ]
        result: dict[str, Any] = {"index": index, "answer_a": a.output, "answer_b": b.output}
        failed = [f"{side}: {o.error}" for side, o in (("A", a), ("B", b)) if not o.completed]
        if failed:
            return {**result, "verdict": None, "error": "; ".join(failed)}
        judged = await judge_pair(
            client,
            model=options.model,
            question=row.input,
            answer_a=a.output,
            answer_b=b.output,
        )
        return {**result, **judged}

    return await gather_limited([one(index) for index in indices], options.concurrency)


def tally(judged: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Counts of each outcome and A's win rate among decided rows (ties count half)."""
    counts = Counter(row["verdict"] or "undecided" for row in judged)
    decided = counts["A"] + counts["B"] + counts["tie"]
    wins = counts["A"] + counts["tie"] / 2
    low, high = wilson_interval(wins, decided)
    return {
        "rows": len(judged),
        **{outcome: counts[outcome] for outcome in OUTCOMES},
        "a_win_rate": wins / decided if decided else None,
        "low": low,
        "high": high,
    }


def judge_pair_command(
    names: tuple[str, str],
    specs: tuple[GraphSpec, GraphSpec],
    dataset: str,
    options: PairOptions,
    *,
    as_json: bool,
) -> int:
    from workers.runtime import ModelRuntime

    try:
        rows = read_dataset(dataset)
        judged = asyncio.run(judge_rows(specs, rows, ModelRuntime(), options))
    except EvalError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    result = tally(judged)
    if as_json:
        print(json.dumps({**result, "judged": judged}))
        return 0
    print(f"A = {names[0]}, B = {names[1]}, judged by {options.model} in both orders")
    print(
        f"rows {result['rows']}: A wins {result['A']}, B wins {result['B']}, ties {result['tie']},"
        f" undecided {result['undecided']}"
    )
    if result["a_win_rate"] is not None:
        print(
            f"A's win rate (ties half): {result['a_win_rate']:.1%} "
            f"95% CI [{result['low']:.1%}, {result['high']:.1%}]"
        )
    return 0
