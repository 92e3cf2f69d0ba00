"""Statistics against known values: intervals, percentiles, paired tests, frontier, calibration."""

from __future__ import annotations

import math
import random
import time
from fractions import Fraction

import pytest

from graphs.evaluation.stats import (
    calibration,
    confusion,
    mcnemar,
    mean_interval,
    paired_bootstrap,
    pareto_frontier,
    percentile,
    t_quantile,
    wilson_interval,
)


def test_wilson_known_values() -> None:
    low, high = wilson_interval(8, 10)
    assert (round(low, 3), round(high, 3)) == (0.490, 0.943)
    low, high = wilson_interval(0, 10)
    assert low == 0.0
    assert high == pytest.approx(0.2775, abs=1e-4)
    assert wilson_interval(10, 10)[1] == 1.0
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_mean_interval_uses_t_for_small_samples() -> None:
    low, high = mean_interval([1, 2, 3, 4])
    # mean 2.5, sd 1.2910, t(0.975, 3) = 3.1824
    assert low == pytest.approx(2.5 - 3.18245 * 1.29099 / 2, abs=1e-4)
    assert high == pytest.approx(2.5 + 3.18245 * 1.29099 / 2, abs=1e-4)
    values = [float(i % 2) for i in range(100)]
    low, high = mean_interval(values)
    half = 1.96 * math.sqrt(0.25 * 100 / 99 / 100)
    assert (low, high) == pytest.approx((0.5 - half, 0.5 + half))
    assert mean_interval([0.3]) == (0.3, 0.3)
    with pytest.raises(ValueError, match="no values"):
        mean_interval([])


@pytest.mark.parametrize(("df", "value"), [(1, 12.7062), (3, 3.1824), (10, 2.2281), (29, 2.0452)])
def test_t_quantiles(df: int, value: float) -> None:
    assert t_quantile(0.975, df) == pytest.approx(value, abs=1e-4)
    assert t_quantile(0.025, df) == pytest.approx(-value, abs=1e-4)


def test_percentile() -> None:
    assert percentile([4, 1, 3, 2], 50) == 2.5
    assert percentile([1, 2, 3, 4], 90) == pytest.approx(3.7)
    assert percentile([1, 2, 3, 4], 0) == 1
    assert percentile([1, 2, 3, 4], 100) == 4
    assert percentile([7.5], 90) == 7.5
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)
    with pytest.raises(ValueError, match=r"0\.\.100"):
        percentile([1], 101)


@pytest.mark.parametrize(
    ("a_only", "b_only", "p_value"),
    [
        (10, 2, 0.038574),  # 2 * 79 / 4096
        (6, 0, 0.03125),
        (0, 6, 0.03125),
        (1, 0, 1.0),
        (5, 5, 1.0),
        (0, 0, 1.0),
        (12, 4, 0.076813),
    ],
)
def test_mcnemar_known_p_values(a_only: int, b_only: int, p_value: float) -> None:
    both = 3
    a = [True] * a_only + [False] * b_only + [True] * both + [False] * 2
    b = [False] * a_only + [True] * b_only + [True] * both + [False] * 2
    result = mcnemar(a, b)
    assert (result["a_only"], result["b_only"]) == (a_only, b_only)
    assert result["p_value"] == pytest.approx(p_value, abs=1e-6)


def test_mcnemar_is_exact_and_fast_for_large_samples() -> None:
    a_only, b_only = 530, 470
    exact = min(
        Fraction(1),
        2 * Fraction(sum(math.comb(1000, k) for k in range(b_only + 1)), 2**1000),
    )
    a = [True] * a_only + [False] * b_only
    b = [False] * a_only + [True] * b_only
    start = time.perf_counter()
    result = mcnemar(a * 2, b * 2)
    assert time.perf_counter() - start < 0.5
    assert mcnemar(a, b)["p_value"] == pytest.approx(float(exact), rel=1e-9)
    assert result["a_only"] == 1060
    with pytest.raises(ValueError, match="paired"):
        mcnemar([True], [])


def test_paired_bootstrap_is_seeded_and_sensible() -> None:
    rng = random.Random(3)
    a = [rng.random() for _ in range(200)]
    b = [x + 0.1 + rng.gauss(0, 0.05) for x in a]
    first = paired_bootstrap(a, b, seed=7)
    assert first == paired_bootstrap(a, b, seed=7)
    assert first["delta"] == pytest.approx(sum(b) / 200 - sum(a) / 200)
    assert first["low"] < first["delta"] < first["high"]
    assert first["p_value"] < 0.01
    same = paired_bootstrap(a, a)
    assert (same["delta"], same["low"], same["high"], same["p_value"]) == (0.0, 0.0, 0.0, 1.0)
    assert paired_bootstrap([], []) == {"delta": 0.0, "low": 0.0, "high": 0.0, "p_value": 1.0}


def test_paired_bootstrap_is_fast_enough_for_two_thousand_rows() -> None:
    rng = random.Random(0)
    a = [rng.random() for _ in range(2000)]
    b = [rng.random() for _ in range(2000)]
    start = time.perf_counter()
    result = paired_bootstrap(a, b, resamples=2000)
    assert time.perf_counter() - start < 5
    assert result["p_value"] > 0.05


def test_pareto_frontier() -> None:
    points = [
        ("slow-good", 900.0, 0.9),
        ("fast-bad", 100.0, 0.5),
        ("dominated", 500.0, 0.5),
        ("middle", 400.0, 0.7),
        ("tie-a", 400.0, 0.7),
        ("same-quality-slower", 950.0, 0.9),
    ]
    assert pareto_frontier(points) == ["fast-bad", "middle", "tie-a", "slow-good"]
    assert pareto_frontier([]) == []
    assert pareto_frontier([(1, 5.0, 0.1)]) == [1]


def test_calibration_hand_example() -> None:
    result = calibration([0.95, 0.95, 0.15, 0.55], [True, False, False, True])
    assert result["ece"] == pytest.approx(0.225 + 0.0375 + 0.1125)
    bins = result["bins"]
    assert len(bins) == 10
    assert bins[9] == {"low": 0.9, "high": 1.0, "count": 2, "confidence": 0.95, "accuracy": 0.5}
    assert bins[0] == {"low": 0.0, "high": 0.1, "count": 0, "confidence": None, "accuracy": None}
    assert calibration([1.0], [True], bins=4)["bins"][3]["count"] == 1
    assert calibration([], [])["ece"] is None


def test_calibration_of_perfect_predictions_is_zero() -> None:
    assert calibration([1.0, 0.0], [True, False])["ece"] == 0.0


def test_confusion() -> None:
    pairs = [
        ("math", "math"),
        ("math", "math"),
        ("math", "physics"),
        ("physics", "physics"),
        ("law", "math"),
        ("math", "physics"),
    ]
    result = confusion(pairs)
    assert result["matrix"] == {
        "law": {"math": 1},
        "math": {"math": 2, "physics": 2},
        "physics": {"physics": 1},
    }
    assert result["labels"] == ["law", "math", "physics"]
    assert result["per_target"]["math"] == {"precision": 2 / 3, "recall": 0.5, "support": 4}
    assert result["per_target"]["law"] == {"precision": None, "recall": 0.0, "support": 1}
    assert result["top_confusions"] == [
        {"expected": "math", "chosen": "physics", "count": 2},
        {"expected": "law", "chosen": "math", "count": 1},
    ]
    assert result["accuracy"] == 0.5
    assert confusion([])["accuracy"] is None
