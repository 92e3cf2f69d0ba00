"""Reports: the summary of one experiment and the comparison of two, on hand-built rows."""

from __future__ import annotations

import json

import pytest

from graphs.evaluation.dataset import DatasetRow
from graphs.evaluation.report import ScoredRow, compare, summarize
from graphs.evaluation.scorers import Decision, Observation, Score


def scored(
    index: int,
    *,
    expected: str,
    chosen: str | None,
    probability: float = 0.8,
    status: str = "completed",
    latency: float = 100.0,
    choice: float | None = 1.0,
    judge: float | None = None,
) -> ScoredRow:
    decisions = {"r": Decision(chosen, probability, {chosen: probability})} if chosen else {}
    observation = Observation(
        status=status,
        output="x" if status == "completed" else "",
        error=None if status == "completed" else "boom",
        decisions=decisions,
        latency_ms=latency,
        tokens_in=10,
        tokens_out=5,
        node_latency_ms={"r": latency / 4, "m": latency / 2},
        node_tokens={"r": (10, 0), "m": (0, 5)},
        node_models={"r": "router-model", "m": "worker"},
    )
    scores = {
        "route": Score(float(chosen == expected), {}),
        "choice": Score(choice),
    }
    if judge is not None:
        scores["judge"] = Score(judge)
    return ScoredRow(
        index=index,
        row=DatasetRow(input=f"q{index}", route=expected),
        observation=observation,
        scores=scores,
        expected_routes={"r": expected},
    )


ROWS = [
    scored(0, expected="math", chosen="math", probability=0.9, latency=100),
    scored(1, expected="math", chosen="physics", probability=0.6, latency=200, choice=0.0),
    scored(2, expected="physics", chosen="physics", probability=0.7, latency=300),
    scored(3, expected="law", chosen=None, status="failed", latency=50, choice=0.0),
    scored(4, expected="math", chosen="math", probability=0.95, latency=400, choice=None),
]


def test_summary_counts_metrics_and_intervals() -> None:
    summary = summarize(ROWS, ["route", "choice", "judge"])
    assert (summary["rows"], summary["completed"], summary["failed"]) == (5, 4, 1)
    assert summary["metrics"] == {"route": 0.6, "choice": 0.5, "judge": None}
    assert summary["intervals"]["route"] == {
        "low": pytest.approx(0.23072, abs=1e-5),
        "high": pytest.approx(0.88238, abs=1e-5),
        "n": 5,
        "method": "wilson",
    }
    assert summary["intervals"]["choice"]["n"] == 4
    assert summary["intervals"]["judge"] == {"low": None, "high": None, "n": 0, "method": None}


def test_summary_uses_a_normal_interval_for_graded_scores() -> None:
    rows = [scored(i, expected="a", chosen="a", judge=v) for i, v in enumerate([0.7, 0.8, 0.9])]
    interval = summarize(rows, ["judge"])["intervals"]["judge"]
    assert interval["method"] == "normal"
    assert interval["low"] < 0.8 < interval["high"]


def test_summary_of_routers_with_confusion_and_calibration() -> None:
    router = summarize(ROWS, ["route"])["routers"]["r"]
    assert router["accuracy"] == 0.6
    assert router["n"] == 5
    assert router["confusion"] == {
        "law": {"(none)": 1},
        "math": {"math": 2, "physics": 1},
        "physics": {"physics": 1},
    }
    assert router["labels"] == ["(none)", "law", "math", "physics"]
    assert router["per_target"]["math"] == {
        "precision": 1.0,
        "recall": pytest.approx(0.666667),
        "support": 3,
    }
    assert router["top_confusions"] == [
        {"expected": "law", "chosen": "(none)", "count": 1},
        {"expected": "math", "chosen": "physics", "count": 1},
    ]
    calibration = router["calibration"]
    assert sum(b["count"] for b in calibration["bins"]) == 4  # the failed run made no decision
    # bins: 0.6 wrong, 0.7 right, 0.9 and 0.95 right
    assert calibration["ece"] == pytest.approx((0.6 + 0.3 + 2 * 0.075) / 4, abs=1e-6)
    assert (router["low"], router["high"]) == (
        pytest.approx(0.23072, abs=1e-5),
        pytest.approx(0.88238, abs=1e-5),
    )


def test_summary_latency_tokens_nodes_and_cost() -> None:
    summary = summarize(ROWS, ["route"], prices={"worker": 2.0})
    assert summary["latency_ms"] == {"p50": 250.0, "p90": 370.0, "mean": 250.0}
    assert summary["tokens"] == {"in": 50, "out": 25, "mean_in": 10.0, "mean_out": 5.0}
    assert summary["cost"] == pytest.approx(25 * 2.0 / 1_000_000)
    assert summary["nodes"]["r"] == {"p50": 50.0, "p90": 90.0, "count": 5}
    assert summarize(ROWS, ["route"])["cost"] is None


def test_summary_is_json_and_handles_no_rows() -> None:
    summary = summarize([], ["exact"])
    assert json.loads(json.dumps(summary)) == summary
    assert summary["metrics"] == {"exact": None}
    assert summary["latency_ms"] == {"p50": None, "p90": None, "mean": None}
    assert summary["tokens"]["mean_in"] is None
    assert summary["routers"] == {}
    assert summary["nodes"] == {}
    full = summarize(ROWS, ["route", "choice"], prices={"worker": 1.0})
    assert json.loads(json.dumps(full)) == full


def test_compare_binary_scores_with_mcnemar() -> None:
    a = [scored(i, expected="m", chosen="m" if i < 5 else "x") for i in range(20)]
    b = [scored(i, expected="m", chosen="m" if i < 15 else "x") for i in range(1, 21)]
    result = compare(a, b, ["route"])
    assert result["paired"] == 19
    metric = result["metrics"]["route"]
    assert metric["test"] == "mcnemar"
    assert (metric["a"], metric["b"]) == (
        pytest.approx(4 / 19, abs=1e-6),
        pytest.approx(14 / 19, abs=1e-6),
    )
    assert metric["delta"] == pytest.approx(10 / 19, abs=1e-6)
    assert metric["p_value"] == pytest.approx(2 / 1024, abs=1e-6)
    assert metric["low"] < metric["delta"] < metric["high"]
    assert [row["index"] for row in result["changed"]] == list(range(5, 15))
    assert result["changed"][0] == {"index": 5, "scores": {"route": [0.0, 1.0]}}


def test_compare_graded_scores_with_a_bootstrap() -> None:
    a = [scored(i, expected="m", chosen="m", judge=0.5) for i in range(30)]
    b = [scored(i, expected="m", chosen="m", judge=0.5 + (i % 3) / 10) for i in range(30)]
    metric = compare(a, b, ["judge"])["metrics"]["judge"]
    assert metric["test"] == "bootstrap"
    assert metric["delta"] == pytest.approx(0.1)
    assert metric["low"] <= 0.1 <= metric["high"]
    assert metric["p_value"] < 0.05


def test_compare_skips_rows_not_applicable_on_either_side() -> None:
    result = compare(ROWS, ROWS, ["choice", "judge"])
    assert result["paired"] == 5
    assert result["metrics"]["choice"]["delta"] == 0.0
    assert result["metrics"]["choice"]["p_value"] == 1.0
    assert result["metrics"]["judge"] == {
        "a": None,
        "b": None,
        "delta": None,
        "test": None,
        "p_value": None,
        "low": None,
        "high": None,
    }
    assert result["changed"] == []
    assert compare(ROWS, [], ["choice"])["paired"] == 0
