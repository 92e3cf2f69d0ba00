"""What an experiment is, whatever drives it: which rows it runs, whether its runs may stop at
the routers, and how one row's run is scored.

The CLI's in-process evaluation (``workers.cli.evaluate``) and the web app's experiments
(``webapp.evaluation``) both call these, so the same dataset, sample, seed and scorers give the
same rows and the same scores on either path.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from graphs.evaluation.dataset import DatasetRow
from graphs.evaluation.routes import resolve_expected_routes
from graphs.evaluation.scorers import SCORERS, Observation, Score, ScorerSpec
from graphs.spec import GraphSpec

JUDGE = "judge"
"""The one scorer that calls a model, so ``score_row`` leaves it to the driver."""
ROUTE = "route"
MAX_ROUTE_PROBLEMS = 10


def sample_indices(total: int, sample: int | None, seed: int) -> list[int]:
    """The indices (sorted) of the rows an experiment runs: all ``total`` rows when ``sample`` is
    None or not smaller than ``total``, else ``sample`` of them drawn with ``random.Random(seed)``.

    Raises ``ValueError`` when ``sample`` is below 1."""
    if sample is not None and sample < 1:
        raise ValueError(f"the sample size must be at least 1, got {sample}")
    if sample is None or sample >= total:
        return list(range(total))
    return sorted(random.Random(seed).sample(range(total), sample))


def routing_only_default(specs: Sequence[ScorerSpec]) -> bool:
    """Whether runs may stop once their routers have decided: every scorer chosen needs only the
    routing decisions (and there is at least one)."""
    return bool(specs) and all(SCORERS[spec.name].routing_only for spec in specs)


def needs_answers(specs: Sequence[ScorerSpec]) -> list[str]:
    """The scorers among ``specs`` that read the run's answer (they cannot score a routing-only
    run), in order."""
    return [spec.name for spec in specs if not SCORERS[spec.name].routing_only]


def expected_routes(
    rows: Sequence[DatasetRow],
    indices: Sequence[int],
    spec: GraphSpec,
    specs: Sequence[ScorerSpec],
) -> tuple[dict[int, dict[str, str]], list[str]]:
    """Each sampled row's ``{router id: expected target id}`` in ``spec``, and the problems.

    With the ``route`` scorer every row's ``route`` must resolve: problems name the row (1-based,
    as in the file; at most ``MAX_ROUTE_PROBLEMS`` and a count of the rest), and a graph without
    a router is one problem. Without it, routes feed the routers' confusion matrices where they
    resolve and are ignored where they do not (a dataset made for another graph)."""
    strict = any(spec_.name == ROUTE for spec_ in specs)
    if strict and not spec.nodes_of_kind("router"):
        return {}, ["the route scorer needs a graph with a router; this one has none"]
    routes: dict[int, dict[str, str]] = {}
    problems: list[str] = []
    for index in indices:
        resolved, found = resolve_expected_routes(rows[index].route, spec)
        routes[index] = resolved if strict or not found else {}
        if strict:
            problems += [f"row {index + 1}: {problem}" for problem in found]
    if len(problems) > MAX_ROUTE_PROBLEMS:
        more = len(problems) - MAX_ROUTE_PROBLEMS
        problems = [*problems[:MAX_ROUTE_PROBLEMS], f"... and {more} more"]
    return routes, problems


def score_row(
    row: DatasetRow,
    observation: Observation,
    specs: Sequence[ScorerSpec],
    expected_routes: Mapping[str, str],
) -> dict[str, Score]:
    """Every pure scorer's score of one row's run, by scorer name (``judge`` is left out: the
    driver calls ``graphs.evaluation.judge.judge_single`` for it)."""
    return {
        spec.name: SCORERS[spec.name].score(
            row, observation, options=spec.options, expected_routes=expected_routes
        )
        for spec in specs
        if spec.name != JUDGE
    }
