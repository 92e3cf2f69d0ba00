"""Experiment reports: one summary shape for the CLI's ``--json``, the REST API and the studio.

``summarize`` reduces the scored rows of one experiment; ``compare`` pairs two experiments' rows
by dataset index and tests each metric's difference. Both return plain JSON (floats rounded to 6
decimals) so that they can be stored as they are.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphs.evaluation import stats
from graphs.evaluation.dataset import DatasetRow
from graphs.evaluation.scorers import Observation, Score

NO_DECISION = "(none)"
"""The confusion label of a router that made no decision in a row's run (the run failed first)."""

DIGITS = 6


@dataclass(frozen=True)
class ScoredRow:
    """One dataset row of an experiment: the row, what its run gave and its scores.

    ``index``: the row's 0-based index in the dataset. ``scores``: scorer name -> score.
    ``expected_routes``: router id -> expected target (``routes.resolve_expected_routes``).
    """

    index: int
    row: DatasetRow
    observation: Observation
    scores: Mapping[str, Score] = field(default_factory=dict)
    expected_routes: Mapping[str, str] = field(default_factory=dict)


def summarize(
    rows: Sequence[ScoredRow], scorers: Sequence[str], *, prices: Mapping[str, float] | None = None
) -> dict[str, Any]:
    """The summary of one experiment's scored rows.

    ``{"rows", "completed", "failed"`` (every row whose run did not complete),
    ``"metrics": {scorer: mean value or null when no row applies}``,
    ``"intervals": {scorer: {"low", "high", "n", "method"}}`` (Wilson when every value is 0 or 1,
    else normal/t; null bounds and method when n is 0),
    ``"routers": {router id: {"accuracy", "low", "high", "n", "confusion", "labels",
    "per_target", "top_confusions", "calibration": {"bins", "ece"}}}`` over the rows that expect
    a route of that router (a router that did not decide counts as wrong, chose ``"(none)"``, and
    is left out of the calibration),
    ``"latency_ms": {"p50", "p90", "mean"}`` over completed runs (nulls when none),
    ``"tokens": {"in", "out", "mean_in", "mean_out"}`` over every run,
    ``"cost"``: sum over nodes of (tokens in + out) x ``prices[model]`` per million tokens, null
    when no price is given; ``"nodes": {node id: {"p50", "p90", "count"}}`` node latencies}``.
    """
    metrics: dict[str, float | None] = {}
    intervals: dict[str, dict[str, Any]] = {}
    for scorer in scorers:
        values = _values(rows, scorer)
        metrics[scorer] = _round(math.fsum(values) / len(values)) if values else None
        intervals[scorer] = _interval(values)

    completed = [r for r in rows if r.observation.completed]
    latencies = [r.observation.latency_ms for r in completed]
    tokens_in = sum(r.observation.tokens_in for r in rows)
    tokens_out = sum(r.observation.tokens_out for r in rows)
    return {
        "rows": len(rows),
        "completed": len(completed),
        "failed": len(rows) - len(completed),
        "metrics": metrics,
        "intervals": intervals,
        "routers": _routers(rows),
        "latency_ms": {
            "p50": _round(stats.percentile(latencies, 50)) if latencies else None,
            "p90": _round(stats.percentile(latencies, 90)) if latencies else None,
            "mean": _round(math.fsum(latencies) / len(latencies)) if latencies else None,
        },
        "tokens": {
            "in": tokens_in,
            "out": tokens_out,
            "mean_in": _round(tokens_in / len(rows)) if rows else None,
            "mean_out": _round(tokens_out / len(rows)) if rows else None,
        },
        "cost": _cost(rows, prices or {}),
        "nodes": _nodes(rows),
    }


def compare(
    a: Sequence[ScoredRow], b: Sequence[ScoredRow], scorers: Sequence[str]
) -> dict[str, Any]:
    """Compare two experiments on the rows both scored, paired by dataset index.

    ``{"paired": n, "metrics": {scorer: {"a", "b", "delta", "test", "p_value", "low", "high"}},
    "changed": [{"index", "scores": {scorer: [a value, b value]}}]}``. Per scorer, only pairs
    where both values are not null count; ``delta`` is b - a. When every value is 0 or 1 the test
    is exact McNemar with a Wald interval of the paired difference, otherwise a paired bootstrap
    (seed 0). A scorer with no pairs has nulls. ``changed`` lists (by index) the rows whose value
    differs on any scorer, with every scorer's pair.
    """
    by_index = {row.index: row for row in b}
    pairs = [(row, by_index[row.index]) for row in a if row.index in by_index]
    pairs.sort(key=lambda pair: pair[0].index)
    metrics: dict[str, dict[str, Any]] = {}
    for scorer in scorers:
        values = [
            (va, vb)
            for va, vb in ((_value(x, scorer), _value(y, scorer)) for x, y in pairs)
            if va is not None and vb is not None
        ]
        metrics[scorer] = _compare_metric(values)
    changed = []
    for x, y in pairs:
        scores = {scorer: [_value(x, scorer), _value(y, scorer)] for scorer in scorers}
        if any(va != vb for va, vb in scores.values()):
            changed.append({"index": x.index, "scores": scores})
    return {"paired": len(pairs), "metrics": metrics, "changed": changed}


def _compare_metric(values: Sequence[tuple[float, float]]) -> dict[str, Any]:
    if not values:
        return {
            "a": None,
            "b": None,
            "delta": None,
            "test": None,
            "p_value": None,
            "low": None,
            "high": None,
        }
    n = len(values)
    mean_a = math.fsum(va for va, _ in values) / n
    mean_b = math.fsum(vb for _, vb in values) / n
    delta = mean_b - mean_a
    if all(_binary(va) and _binary(vb) for va, vb in values):
        test = stats.mcnemar([va == 1 for va, _ in values], [vb == 1 for _, vb in values])
        discordant = test["a_only"] + test["b_only"]
        # Wald interval of a paired difference of proportions.
        spread = math.sqrt(max(discordant - (test["b_only"] - test["a_only"]) ** 2 / n, 0.0)) / n
        name, p_value = "mcnemar", test["p_value"]
        low, high = delta - 1.96 * spread, delta + 1.96 * spread
    else:
        boot = stats.paired_bootstrap([va for va, _ in values], [vb for _, vb in values])
        name, p_value, low, high = "bootstrap", boot["p_value"], boot["low"], boot["high"]
    return {
        "a": _round(mean_a),
        "b": _round(mean_b),
        "delta": _round(delta),
        "test": name,
        "p_value": _round(p_value),
        "low": _round(low),
        "high": _round(high),
    }


def _values(rows: Sequence[ScoredRow], scorer: str) -> list[float]:
    return [value for value in (_value(row, scorer) for row in rows) if value is not None]


def _value(row: ScoredRow, scorer: str) -> float | None:
    score = row.scores.get(scorer)
    return score.value if score is not None else None


def _binary(value: float) -> bool:
    return value in (0.0, 1.0)


def _interval(values: Sequence[float]) -> dict[str, Any]:
    if not values:
        return {"low": None, "high": None, "n": 0, "method": None}
    if all(_binary(v) for v in values):
        low, high = stats.wilson_interval(sum(values), len(values))
        method = "wilson"
    else:
        low, high = stats.mean_interval(values)
        method = "normal"
    return {"low": _round(low), "high": _round(high), "n": len(values), "method": method}


def _routers(rows: Sequence[ScoredRow]) -> dict[str, Any]:
    routers: dict[str, Any] = {}
    names = sorted({router for row in rows for router in row.expected_routes})
    for router in names:
        pairs: list[tuple[str, str]] = []
        probabilities: list[float] = []
        correct: list[bool] = []
        for row in rows:
            expected = row.expected_routes.get(router)
            if expected is None:
                continue
            decision = row.observation.decisions.get(router)
            chosen = decision.target if decision is not None else NO_DECISION
            pairs.append((expected, chosen))
            if decision is not None:
                probabilities.append(decision.probability)
                correct.append(chosen == expected)
        hits = sum(1 for expected, chosen in pairs if expected == chosen)
        low, high = stats.wilson_interval(hits, len(pairs))
        table = stats.confusion(pairs)
        reliability = stats.calibration(probabilities, correct)
        routers[router] = {
            "accuracy": _round(table["accuracy"]),
            "low": _round(low),
            "high": _round(high),
            "n": len(pairs),
            "confusion": table["matrix"],
            "labels": table["labels"],
            "per_target": _rounded(table["per_target"]),
            "top_confusions": table["top_confusions"],
            "calibration": _rounded(reliability),
        }
    return routers


def _cost(rows: Sequence[ScoredRow], prices: Mapping[str, float]) -> float | None:
    if not prices:
        return None
    total = 0.0
    for row in rows:
        for node, (tokens_in, tokens_out) in row.observation.node_tokens.items():
            model = row.observation.node_models.get(node)
            if model is not None and model in prices:
                total += (tokens_in + tokens_out) * prices[model] / 1_000_000
    return _round(total)


def _nodes(rows: Sequence[ScoredRow]) -> dict[str, Any]:
    latencies: dict[str, list[float]] = {}
    for row in rows:
        for node, latency in row.observation.node_latency_ms.items():
            latencies.setdefault(node, []).append(latency)
    return {
        node: {
            "p50": _round(stats.percentile(values, 50)),
            "p90": _round(stats.percentile(values, 90)),
            "count": len(values),
        }
        for node, values in sorted(latencies.items())
    }


def _round(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    rounded = round(value, DIGITS)
    return rounded + 0.0  # no "-0.0" in the JSON


def _rounded(data: Any) -> Any:
    """``data`` with every float rounded (nested dicts and lists)."""
    if isinstance(data, float):
        return _round(data)
    if isinstance(data, dict):
        return {key: _rounded(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_rounded(value) for value in data]
    return data
