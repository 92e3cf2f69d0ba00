"""Statistics for evaluation reports, in the standard library only.

Confidence intervals (Wilson for proportions, normal or Student t for means), percentiles, paired
tests between two experiments on the same rows (exact McNemar for right/wrong scores, a seeded
paired bootstrap otherwise), the Pareto frontier of cost against quality, calibration of router
probabilities (reliability bins and expected calibration error) and confusion matrices.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Hashable, Sequence
from typing import Any, TypeVar

T = TypeVar("T", bound=Hashable)


def wilson_interval(successes: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion ``successes / n``; (0.0, 1.0) when ``n == 0``."""
    if n <= 0:
        return 0.0, 1.0
    p = min(max(successes / n, 0.0), 1.0)
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def mean_interval(values: Sequence[float], z: float = 1.96) -> tuple[float, float]:
    """A confidence interval of the mean: mean +- q * sd / sqrt(n), where q is ``z`` for n >= 30
    and the Student t quantile of the same confidence for smaller n. One value gives (v, v).
    Raises ``ValueError`` when ``values`` is empty."""
    n = len(values)
    if n == 0:
        raise ValueError("mean_interval of no values")
    mean = math.fsum(values) / n
    if n == 1:
        return mean, mean
    variance = math.fsum((v - mean) ** 2 for v in values) / (n - 1)
    q = z if n >= 30 else t_quantile(_normal_cdf(z), n - 1)
    half = q * math.sqrt(variance / n)
    return mean - half, mean + half


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100) with linear interpolation between closest ranks (as
    numpy's default). Raises ``ValueError`` when ``values`` is empty or ``q`` is out of range."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be within 0..100, not {q}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mcnemar(a: Sequence[bool], b: Sequence[bool]) -> dict[str, Any]:
    """Exact two-sided McNemar test of paired right/wrong outcomes.

    Returns ``{"a_only": n10, "b_only": n01, "p_value"}``: rows only ``a`` got right, rows only
    ``b`` got right, and ``min(1, 2 * P(X <= min(n10, n01)))`` for X ~ Binomial(n10 + n01, 1/2)
    (1.0 when no row differs). Computed in log space, fast for thousands of rows. Raises
    ``ValueError`` when the sequences differ in length.
    """
    if len(a) != len(b):
        raise ValueError(f"mcnemar needs paired outcomes: {len(a)} != {len(b)}")
    a_only = sum(1 for x, y in zip(a, b, strict=True) if x and not y)
    b_only = sum(1 for x, y in zip(a, b, strict=True) if y and not x)
    return {"a_only": a_only, "b_only": b_only, "p_value": _binomial_two_sided(a_only, b_only)}


def _binomial_two_sided(k1: int, k2: int) -> float:
    n = k1 + k2
    if n == 0:
        return 1.0
    k = min(k1, k2)
    log_half_n = n * math.log(0.5)
    log_terms = [_log_comb(n, i) + log_half_n for i in range(k + 1)]
    top = max(log_terms)
    tail = math.exp(top) * math.fsum(math.exp(t - top) for t in log_terms)
    return min(1.0, 2 * tail)


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def paired_bootstrap(
    a: Sequence[float], b: Sequence[float], *, resamples: int = 2000, seed: int = 0
) -> dict[str, Any]:
    """Paired bootstrap of the difference of means ``mean(b) - mean(a)``.

    Rows are resampled with replacement ``resamples`` times (``random.Random(seed)``: the same
    inputs give the same result). Returns ``{"delta", "low", "high", "p_value"}``: the observed
    difference, the 2.5th and 97.5th percentiles of the resampled differences, and the two-sided
    p-value ``min(1, 2 * min(P(d <= 0), P(d >= 0)))``. With no rows: delta 0, p-value 1.
    Raises ``ValueError`` when the sequences differ in length.
    """
    if len(a) != len(b):
        raise ValueError(f"paired_bootstrap needs paired values: {len(a)} != {len(b)}")
    n = len(a)
    if n == 0:
        return {"delta": 0.0, "low": 0.0, "high": 0.0, "p_value": 1.0}
    differences = [y - x for x, y in zip(a, b, strict=True)]
    delta = math.fsum(differences) / n
    rng = random.Random(seed)
    deltas = sorted(sum(rng.choices(differences, k=n)) / n for _ in range(max(resamples, 1)))
    at_most = sum(1 for d in deltas if d <= 0) / len(deltas)
    at_least = sum(1 for d in deltas if d >= 0) / len(deltas)
    return {
        "delta": delta,
        "low": percentile(deltas, 2.5),
        "high": percentile(deltas, 97.5),
        "p_value": min(1.0, 2 * min(at_most, at_least)),
    }


def pareto_frontier(points: Sequence[tuple[T, float, float]]) -> list[T]:
    """The keys of the points no other point dominates, sorted by cost (then key order).

    Each point is ``(key, cost, quality)``: lower cost and higher quality are better. A point is
    dominated when another is at least as good on both and better on one; points with the same
    cost and quality do not dominate each other, so ties are all on the frontier.
    """
    frontier = [
        (cost, index, key)
        for index, (key, cost, quality) in enumerate(points)
        if not any(
            other_cost <= cost
            and other_quality >= quality
            and (other_cost < cost or other_quality > quality)
            for _, other_cost, other_quality in points
        )
    ]
    return [key for _, _, key in sorted(frontier, key=lambda item: (item[0], item[1]))]


def calibration(
    probabilities: Sequence[float], correct: Sequence[bool], bins: int = 10
) -> dict[str, Any]:
    """Reliability of predicted probabilities: equal-width bins over [0, 1] (the last includes 1).

    Returns ``{"bins": [{"low", "high", "count", "confidence", "accuracy"}], "ece"}``: every bin
    (empty ones with null confidence and accuracy), and the expected calibration error
    ``sum(count / n * |accuracy - confidence|)`` (null with no predictions). Raises
    ``ValueError`` for sequences of different lengths or ``bins < 1``.
    """
    if len(probabilities) != len(correct):
        raise ValueError(f"calibration needs paired values: {len(probabilities)} != {len(correct)}")
    if bins < 1:
        raise ValueError("calibration needs at least one bin")
    members: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for p, ok in zip(probabilities, correct, strict=True):
        clamped = min(max(p, 0.0), 1.0)
        members[min(int(clamped * bins), bins - 1)].append((clamped, ok))
    total = len(probabilities)
    result = []
    ece = 0.0
    for index, group in enumerate(members):
        confidence = math.fsum(p for p, _ in group) / len(group) if group else None
        accuracy = sum(1 for _, ok in group if ok) / len(group) if group else None
        if confidence is not None and accuracy is not None:
            ece += len(group) / total * abs(accuracy - confidence)
        result.append(
            {
                "low": index / bins,
                "high": (index + 1) / bins,
                "count": len(group),
                "confidence": confidence,
                "accuracy": accuracy,
            }
        )
    return {"bins": result, "ece": ece if total else None}


def confusion(pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Confusion of (expected, chosen) labels.

    Returns ``{"matrix": {expected: {chosen: count}}`` (non-zero cells only), ``"labels"``
    (every label seen, sorted), ``"per_target": {label: {"precision", "recall", "support"}}``
    (null precision for a label never chosen, null recall for one never expected),
    ``"top_confusions": [{"expected", "chosen", "count"}]`` (the 10 largest off-diagonal cells,
    by count then labels) and ``"accuracy"`` (null with no pairs)}``.
    """
    cells = Counter(pairs)
    labels = sorted({label for pair in pairs for label in pair})
    matrix: dict[str, dict[str, int]] = {}
    for (expected, chosen), count in sorted(cells.items()):
        matrix.setdefault(expected, {})[chosen] = count
    expected_counts = Counter(expected for expected, _ in pairs)
    chosen_counts = Counter(chosen for _, chosen in pairs)
    per_target = {
        label: {
            "precision": cells[label, label] / chosen_counts[label]
            if chosen_counts[label]
            else None,
            "recall": cells[label, label] / expected_counts[label]
            if expected_counts[label]
            else None,
            "support": expected_counts[label],
        }
        for label in labels
    }
    off_diagonal = sorted(
        (
            (count, expected, chosen)
            for (expected, chosen), count in cells.items()
            if expected != chosen
        ),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    correct = sum(count for (expected, chosen), count in cells.items() if expected == chosen)
    return {
        "matrix": matrix,
        "labels": labels,
        "per_target": per_target,
        "top_confusions": [
            {"expected": expected, "chosen": chosen, "count": count}
            for count, expected, chosen in off_diagonal[:10]
        ],
        "accuracy": correct / len(pairs) if pairs else None,
    }


# --- Student t quantiles (for small-sample mean intervals) -------------------------------------


def _normal_cdf(z: float) -> float:
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def t_cdf(t: float, df: int) -> float:
    """The Student t distribution's CDF with ``df`` degrees of freedom."""
    x = df / (df + t * t)
    tail = 0.5 * _regularized_beta(x, df / 2, 0.5)
    return 1 - tail if t >= 0 else tail


def t_quantile(p: float, df: int) -> float:
    """The ``p`` quantile (0 < p < 1) of Student's t with ``df`` degrees of freedom, by
    bisection on ``t_cdf`` (accurate to about 1e-10)."""
    if not 0 < p < 1:
        raise ValueError(f"quantile probability must be within (0, 1), not {p}")
    if p < 0.5:
        return -t_quantile(1 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        if t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-12:
            break
    return (low + high) / 2


def _regularized_beta(x: float, a: float, b: float) -> float:
    """I_x(a, b) by its continued fraction (Numerical Recipes' betacf)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _beta_fraction(x, a, b) / a
    return 1 - math.exp(log_front) * _beta_fraction(1 - x, b, a) / b


def _beta_fraction(x: float, a: float, b: float) -> float:
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        numerator = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
        d = 1 + numerator * d
        d = 1 / (d if abs(d) > tiny else tiny)
        c = 1 + numerator / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        numerator = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
        d = 1 + numerator * d
        d = 1 / (d if abs(d) > tiny else tiny)
        c = 1 + numerator / c
        c = c if abs(c) > tiny else tiny
        step = d * c
        h *= step
        if abs(step - 1) < 3e-16:
            break
    return h
