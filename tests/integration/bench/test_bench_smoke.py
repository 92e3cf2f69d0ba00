"""Every benchmark in ``bench/`` still runs: each in its quick smoke mode (small sizes, the fake
backend where the real one takes minutes), checked for its exit status and its figures' lines.

The stack benchmarks get no ``REDIS_URL``: they start a private embedded Redis, so they never
flush the test session's database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
TIMEOUT_S = 600

SMOKE_RUNS = [
    pytest.param(
        ["engine_overhead.py", "--nodes", "20", "--repeats", "1"],
        "engine overhead per node",
        id="engine",
    ),
    pytest.param(
        ["moa_layer.py", "--backend", "fake", "--latency", "0.01"],
        "layer wall / slowest single proposer",
        id="moa_layer",
    ),
    pytest.param(["stack_overhead.py", "--smoke"], "lost 0, duplicated 0", id="stack_overhead"),
    pytest.param(["moa_vs_single.py", "--smoke"], "McNemar", id="moa_vs_single"),
    pytest.param(
        ["experiment_throughput.py", "--smoke"], "ratio experiment / host", id="experiment"
    ),
    pytest.param(["soak.py", "--smoke"], "stuck 0, lost or disordered events 0", id="soak"),
    pytest.param(
        ["canvas_load.py", "--sizes", "20", "--repeats", "1"],
        "load ms (median)",
        id="canvas_load",
        marks=pytest.mark.e2e,
    ),
    pytest.param(
        ["routing.py", "--builtin", "mmlu-1700", "--sample", "1", "--modes", "embedding"],
        "embedding",
        id="routing",
        marks=pytest.mark.slow,
    ),
]


@pytest.mark.parametrize(("command", "figure"), SMOKE_RUNS)
def test_benchmark_runs_in_its_smoke_mode(command: list[str], figure: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / command[0]), *command[1:]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert figure in result.stdout
