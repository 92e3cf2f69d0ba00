"""``octograph eval GRAPH DATASET``: run a graph on every row of a dataset, in-process on the
models of this machine, score each run and print the report (``graphs.evaluation.report``).

Rows run ``--concurrency`` at a time through the in-process driver, so a batching model host
decodes them together. When every scorer needs only the routing decisions (``route``), each run
stops once its routers have decided (``RunInput.routing_only``): no worker generates.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphs import GraphSpec
from graphs.engine.local_driver import LocalRun
from graphs.evaluation.builtin import BUILTIN_DATASETS, load_builtin
from graphs.evaluation.dataset import DatasetError, DatasetRow, dataset_fields, parse_dataset
from graphs.evaluation.experiment import (
    JUDGE,
    expected_routes,
    needs_answers,
    routing_only_default,
    sample_indices,
    score_row,
)
from graphs.evaluation.judge import judge_single
from graphs.evaluation.report import ScoredRow, summarize
from graphs.evaluation.scorers import (
    SCORERS,
    Observation,
    Score,
    ScorerSpec,
    default_scorers,
    observe,
    scorer_problems,
)
from graphs.images import RunImage
from graphs.nodes.base import RunInput
from graphs.runtime import ModelClient
from workers import settings
from workers.image_uploads import from_json_item
from workers.image_uploads import label as image_label
from workers.images import ImageError, ImageLimits, load_run_image

EXIT_FAILED = 1
EXIT_USAGE = 2
BUILTIN_PREFIX = "builtin:"
DEFAULT_CONCURRENCY = 8


class EvalError(Exception):
    """A dataset, scorer or option that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class EvalOptions:
    """What ``octograph eval`` was asked for (``scorers`` empty: the dataset's defaults;
    ``routing_only`` None: decided by the scorers)."""

    sample: int | None = None
    seed: int = 0
    scorers: tuple[str, ...] = ()
    routing_only: bool | None = None
    concurrency: int = DEFAULT_CONCURRENCY


def read_dataset(source: str) -> list[DatasetRow]:
    """The rows of ``builtin:NAME`` or of a JSONL/CSV file. Raises ``EvalError`` naming every
    problem of the file (by line and field), an unknown built-in, or an unreadable file."""
    if source.startswith(BUILTIN_PREFIX):
        name = source.removeprefix(BUILTIN_PREFIX)
        if name not in BUILTIN_DATASETS:
            known = ", ".join(BUILTIN_PREFIX + n for n in BUILTIN_DATASETS)
            raise EvalError(f"no built-in dataset '{name}' (built-ins: {known})")
        return load_builtin(name)
    path = Path(source)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise EvalError(f"{source} cannot be read: {error.strerror or error}") from error
    try:
        return parse_dataset(data, filename=path.name)
    except DatasetError as error:
        lines = "\n".join(f"{source}: {problem}" for problem in error.problems)
        raise EvalError(f"{source} is not a usable dataset:\n{lines}") from error


def plan_scorers(rows: Sequence[DatasetRow], names: Sequence[str]) -> list[ScorerSpec]:
    """The scorers to use: ``names`` (``ScorerSpec.parse`` forms) or the dataset's defaults.
    Raises ``EvalError`` listing every problem."""
    fields = dataset_fields(rows)
    try:
        specs = [ScorerSpec.parse(name) for name in names] or [
            ScorerSpec(name) for name in default_scorers(fields)
        ]
    except ValueError as error:
        raise EvalError(str(error)) from error
    if not specs:
        raise EvalError(
            "the dataset has no expected, answer or route field to score against: "
            f"name a scorer with --scorer ({', '.join(SCORERS)})"
        )
    problems = scorer_problems(specs, fields)
    if problems:
        raise EvalError("\n".join(problems))
    return specs


def row_images(row: DatasetRow, index: int) -> tuple[RunImage, ...]:
    """The working copies of a row's images, checked as a run's uploads are
    (``workers.images``). Raises ``EvalError`` naming the row (1-based) and the image."""
    limits = ImageLimits.from_settings()
    images = []
    for number, item in enumerate(row.images, start=1):
        try:
            upload = from_json_item(item, number)
            tag = image_label(number, upload.name)
            images.append(
                load_run_image(upload.data, upload.declared_type, limits=limits, label=tag)
            )
        except ImageError as error:
            raise EvalError(f"row {index + 1}: {error.message}") from error
    return tuple(images)


async def observe_row(
    spec: GraphSpec, run_input: RunInput, client: ModelClient, *, run_id: str
) -> Observation:
    """Run ``spec`` on one row's input in this process (webhooks with the server's access);
    what the run gave."""
    run = LocalRun(spec, run_input, client, run_id=run_id, webhooks=settings.webhook_access())
    result = await run.execute()
    return observe(event.to_json() for event in result.events)


async def gather_limited(calls: Sequence[Any], limit: int) -> list[Any]:
    """Await the coroutines ``calls``, at most ``limit`` at a time; their results in order."""
    gate = asyncio.Semaphore(limit)

    async def one(call: Any) -> Any:
        async with gate:
            return await call

    return list(await asyncio.gather(*(one(call) for call in calls)))


class Evaluation:
    """One evaluation of ``spec`` on ``rows``: ``await run()`` gives the scored rows, in index
    order. ``on_row`` is called after each row is scored (progress)."""

    def __init__(
        self,
        spec: GraphSpec,
        rows: Sequence[DatasetRow],
        client: ModelClient,
        options: EvalOptions,
    ) -> None:
        self.spec = spec
        self.rows = rows
        self.client = client
        self.specs = plan_scorers(rows, options.scorers)
        try:
            self.indices = sample_indices(len(rows), options.sample, options.seed)
        except ValueError as error:
            raise EvalError(str(error)) from error
        answered = needs_answers(self.specs)
        if options.routing_only and answered:
            raise EvalError(
                f"routing-only runs have no answers to score, but {', '.join(answered)} "
                "reads them: drop --routing-only or those scorers"
            )
        self.routing_only = (
            routing_only_default(self.specs)
            if options.routing_only is None
            else options.routing_only
        )
        if options.concurrency < 1:
            raise EvalError(f"--concurrency must be at least 1, got {options.concurrency}")
        self.concurrency = options.concurrency
        self.routes, problems = expected_routes(rows, self.indices, spec, self.specs)
        if problems:
            raise EvalError("\n".join(problems))
        self.images = {index: row_images(rows[index], index) for index in self.indices}

    @property
    def scorer_names(self) -> list[str]:
        return [spec.name for spec in self.specs]

    async def run(self, on_row: Callable[[ScoredRow], None] | None = None) -> list[ScoredRow]:
        async def one(index: int) -> ScoredRow:
            scored = await self._row(index)
            if on_row is not None:
                on_row(scored)
            return scored

        return await gather_limited([one(index) for index in self.indices], self.concurrency)

    async def _row(self, index: int) -> ScoredRow:
        row = self.rows[index]
        run_input = RunInput(row.input, self.images[index], routing_only=self.routing_only)
        observation = await observe_row(self.spec, run_input, self.client, run_id=f"row-{index}")
        scores = score_row(row, observation, self.specs, self.routes[index])
        for spec in self.specs:
            if spec.name == JUDGE:
                scores[JUDGE] = await self._judge(spec, row, observation)
        return ScoredRow(index, row, observation, scores, self.routes[index])

    async def _judge(self, spec: ScorerSpec, row: DatasetRow, observation: Observation) -> Score:
        if not observation.completed:
            return Score(0.0, {"error": observation.error or f"the run {observation.status}"})
        return await judge_single(
            self.client,
            model=str(spec.options["model"]),
            question=row.input,
            answer=observation.output,
            reference=row.reference,
        )


def evaluate(
    graph: str, spec: GraphSpec, dataset: str, options: EvalOptions, *, as_json: bool
) -> int:
    """The ``eval`` command: progress on stderr, the report on stdout."""
    from workers.runtime import ModelRuntime

    try:
        rows = read_dataset(dataset)
        runtime = ModelRuntime()
        evaluation = Evaluation(spec, rows, runtime, options)
    except EvalError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    total = len(evaluation.indices)
    mode = "routing only" if evaluation.routing_only else "full runs"
    print(
        f"{graph} on {dataset}: {total} rows, scorers {', '.join(evaluation.scorer_names)}, "
        f"{mode}, {evaluation.concurrency} at a time",
        file=sys.stderr,
    )
    progress = _Progress(total, evaluation.scorer_names)
    try:
        scored = asyncio.run(evaluation.run(progress))
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    # The cost prices the models the runs used (null when none of them has a price).
    used = {model for row in scored for model in row.observation.node_models.values()}
    prices = {key: price for key, price in runtime.catalog.prices().items() if key in used}
    report = summarize(scored, evaluation.scorer_names, prices=prices)
    report["elapsed_s"] = round(progress.elapsed_s, 2)
    report["rows_per_s"] = round(total / progress.elapsed_s, 3) if progress.elapsed_s else None
    if as_json:
        print(json.dumps(report))
    else:
        print(render_report(report))
    return 0


class _Progress:
    """Prints ``[n/N] metric value ...`` to stderr about every 2 s and at the end."""

    def __init__(self, total: int, scorers: Sequence[str]) -> None:
        self.total = total
        self.scorers = scorers
        self.done = 0
        self.sums = dict.fromkeys(scorers, 0.0)
        self.counts = dict.fromkeys(scorers, 0)
        self.started = time.perf_counter()
        self.last_print = 0.0

    @property
    def elapsed_s(self) -> float:
        return time.perf_counter() - self.started

    def __call__(self, scored: ScoredRow) -> None:
        self.done += 1
        for name, score in scored.scores.items():
            if score.value is not None:
                self.sums[name] += score.value
                self.counts[name] += 1
        now = time.perf_counter()
        if now - self.last_print < 2 and self.done < self.total:
            return
        self.last_print = now
        metrics = "  ".join(
            f"{name} {self.sums[name] / self.counts[name]:.1%}"
            for name in self.scorers
            if self.counts[name]
        )
        rate = self.done / max(self.elapsed_s, 1e-9)
        eta = (self.total - self.done) / rate
        print(
            f"[{self.done}/{self.total}] {metrics}  {rate:.2f} rows/s  ETA {eta:.0f}s",
            file=sys.stderr,
            flush=True,
        )


def render_report(report: dict[str, Any]) -> str:
    """The report as a few readable lines: metrics with their 95% intervals, routers, latency."""
    lines = [f"rows: {report['rows']} ({report['completed']} completed, {report['failed']} failed)"]
    for name, value in report["metrics"].items():
        interval = report["intervals"].get(name) or {}
        shown = "n/a" if value is None else f"{value:.1%}"
        if value is not None and interval:
            shown += f"  95% CI [{interval['low']:.1%}, {interval['high']:.1%}]  n={interval['n']}"
        lines.append(f"{name:12} {shown}")
    for router, result in report["routers"].items():
        lines.append(
            f"router {router}: accuracy {result['accuracy']:.1%} "
            f"[{result['low']:.1%}, {result['high']:.1%}] n={result['n']}, "
            f"ECE {result['calibration']['ece']:.3f}"
        )
        for confusion in result["top_confusions"][:5]:
            lines.append(
                f"  {confusion['expected']} -> {confusion['chosen']}: {confusion['count']}"
            )
    latency = report["latency_ms"]
    if latency:
        lines.append(f"latency ms: p50 {latency['p50']:.0f}, p90 {latency['p90']:.0f}")
    tokens = report["tokens"]
    lines.append(f"tokens: {tokens['in']} in, {tokens['out']} out")
    if report.get("rows_per_s"):
        lines.append(f"throughput: {report['rows_per_s']:.2f} rows/s")
    return "\n".join(lines)
