"""The ``octograph`` command: validate graphs, list templates, run a graph on real models, show a
router's decision (``route``), train a functional-token router (``train-router``) and evaluate a
graph on a dataset (``eval``).

Exit status: 0 on success, 1 when the graph is invalid or the run failed, 2 for usage errors,
130 when interrupted (the run is cancelled cleanly first).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from graphs import GraphSpec, check
from graphs.engine.local_driver import LocalRun, RunResult
from graphs.engine.state import RunStatus
from graphs.nodes.base import RunInput
from graphs.templates import TEMPLATES
from workers import settings
from workers.cli import evaluate, judge_pair, routing
from workers.cli.render import TerminalView, print_event_json
from workers.cli.run_images import read_run_images
from workers.cli.spec_source import SourceError, read_spec_json

EXIT_FAILED = 1
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="octograph", description="Graphs of language models: validate and run them."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check a graph file; list every problem")
    validate.add_argument("file", help="graph spec JSON file, or template:NAME")
    commands.add_parser("templates", help="list the built-in templates")
    run = commands.add_parser("run", help="run a graph on the models of this machine")
    run.add_argument("graph", help="graph spec JSON file, or template:NAME")
    run.add_argument("--input", required=True, help="the query text")
    run.add_argument(
        "--image",
        action="append",
        default=[],
        metavar="PATH",
        help="an image the run starts with (PNG, JPEG, WebP or GIF); repeat for up to 4",
    )
    run.add_argument("--events", action="store_true", help="print every event as a JSON line")
    route = commands.add_parser("route", help="show one router node's decision for a query")
    route.add_argument("graph", help="graph spec JSON file, or template:NAME")
    route.add_argument("--router", required=True, help="id of the router node")
    route.add_argument("--input", required=True, help="the query text")
    route.add_argument("--json", action="store_true", help="print the decision as JSON")
    train = commands.add_parser(
        "train-router", help="train a functional-token router from its edges' descriptions"
    )
    train.add_argument("graph", help="graph spec JSON file, or template:NAME")
    train.add_argument("--router", required=True, help="id of the router node")
    train.add_argument("--name", help="adapter name in OCTOGRAPH_ADAPTERS_DIR (default: derived)")
    train.add_argument("--out", help="adapter folder (instead of OCTOGRAPH_ADAPTERS_DIR/NAME)")
    train.add_argument("--epochs", type=int, default=3)
    train.add_argument("--examples-per-target", type=int, default=40)
    train.add_argument(
        "--model-queries",
        type=int,
        default=0,
        help="also ask the router's model to write this many queries per edge",
    )
    train.add_argument("--validation", type=float, default=0.2, help="held-out share")
    add_eval_parser(commands)
    pair = commands.add_parser(
        "judge-pair", help="a judge model compares two graphs' answers row by row, both orders"
    )
    pair.add_argument("graph_a", help="graph spec JSON file, or template:NAME")
    pair.add_argument("graph_b", help="graph spec JSON file, or template:NAME")
    pair.add_argument("dataset", help="JSONL or CSV file, or builtin:NAME")
    pair.add_argument("--model", required=True, help="catalog key of the judge model")
    pair.add_argument("--sample", type=int, help="a seeded random sample of N rows")
    pair.add_argument("--seed", type=int, default=0, help="seed of the sample")
    pair.add_argument("--concurrency", type=int, default=8, help="rows at a time")
    pair.add_argument("--json", action="store_true", help="print the tally and every verdict")
    return parser


def add_eval_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    evaluation = commands.add_parser(
        "eval", help="run a graph on a dataset's rows and score the runs (accuracy, routers)"
    )
    evaluation.add_argument("graph", help="graph spec JSON file, or template:NAME")
    evaluation.add_argument("dataset", help="JSONL or CSV file, or builtin:NAME")
    evaluation.add_argument("--sample", type=int, help="a seeded random sample of N rows")
    evaluation.add_argument("--seed", type=int, default=0, help="seed of the sample")
    evaluation.add_argument(
        "--scorer",
        action="append",
        default=[],
        metavar="NAME[:OPTION=VALUE,...]",
        help="repeat for several (default: route, choice and/or exact, as the rows allow)",
    )
    only = evaluation.add_mutually_exclusive_group()
    only.add_argument(
        "--routing-only",
        dest="routing_only",
        action="store_true",
        default=None,
        help="stop each run once its routers decide (the default when every scorer is route)",
    )
    only.add_argument(
        "--full-runs",
        dest="routing_only",
        action="store_false",
        help="run every row to its answer even when only routes are scored",
    )
    evaluation.add_argument(
        "--concurrency", type=int, default=evaluate.DEFAULT_CONCURRENCY, help="rows at a time"
    )
    evaluation.add_argument("--json", action="store_true", help="print the report as one JSON")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "templates":
        return list_templates()
    if args.command == "validate":
        return validate(args.file)
    if args.command == "judge-pair":
        specs = (load_checked(args.graph_a), load_checked(args.graph_b))
        if specs[0] is None or specs[1] is None:
            return EXIT_FAILED
        options = judge_pair.PairOptions(
            model=args.model, sample=args.sample, seed=args.seed, concurrency=args.concurrency
        )
        return judge_pair.judge_pair_command(
            (args.graph_a, args.graph_b),
            (specs[0], specs[1]),
            args.dataset,
            options,
            as_json=args.json,
        )
    if args.command in ("route", "train-router", "eval"):
        spec = load_checked(args.graph)
        if spec is None:
            return EXIT_FAILED
        if args.command == "route":
            return routing.route(spec, args.router, args.input, as_json=args.json)
        if args.command == "eval":
            options = evaluate.EvalOptions(
                sample=args.sample,
                seed=args.seed,
                scorers=tuple(args.scorer),
                routing_only=args.routing_only,
                concurrency=args.concurrency,
            )
            return evaluate.evaluate(args.graph, spec, args.dataset, options, as_json=args.json)
        return routing.train(
            spec,
            args.graph,
            args.router,
            name=args.name,
            out=args.out,
            epochs=args.epochs,
            per_target=args.examples_per_target,
            model_queries=args.model_queries,
            validation=args.validation,
        )
    return run(args.graph, args.input, images=args.image, events=args.events)


def list_templates() -> int:
    for name, template in TEMPLATES.items():
        print(f"{name:18} {template.title}: {template.description}")
    return 0


def load_checked(source: str) -> GraphSpec | None:
    """The validated spec of ``source``, or ``None`` after printing every problem to stderr."""
    from workers.catalog import default_catalog

    try:
        data = read_spec_json(source)
    except SourceError as error:
        print(f"error: {error}", file=sys.stderr)
        return None
    spec, problems = check(data, known_models=default_catalog().keys())
    for problem in problems:
        print(f"{source}: {problem}", file=sys.stderr)
    return None if problems else spec


def validate(source: str) -> int:
    spec = load_checked(source)
    if spec is None:
        return EXIT_FAILED
    print(f"{source}: valid ({len(spec.nodes)} nodes, {len(spec.edges)} edges)")
    return 0


def run(source: str, text: str, *, images: Sequence[str] = (), events: bool) -> int:
    spec = load_checked(source)
    if spec is None:
        return EXIT_FAILED
    try:
        run_input = RunInput(text, read_run_images(images))
    except ValueError as error:  # ImageError included
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    from workers.runtime import ModelRuntime

    view = TerminalView()
    local_run = LocalRun(
        spec,
        run_input,
        ModelRuntime(),
        on_event=print_event_json if events else view,
        webhooks=settings.webhook_access(),
    )
    try:
        result = asyncio.run(_execute(local_run))
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    view.end_line()
    if result.status is RunStatus.COMPLETED:
        if not events:
            print(result.output)
        return 0
    print(f"error: {result.error}", file=sys.stderr)
    return EXIT_FAILED


async def _execute(local_run: LocalRun) -> RunResult:
    """Run to the end; on Ctrl-C cancel the run so its events end with ``run.cancelled``."""
    task = asyncio.ensure_future(local_run.execute())
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        local_run.cancel("interrupted")
        await task
        raise KeyboardInterrupt from None
