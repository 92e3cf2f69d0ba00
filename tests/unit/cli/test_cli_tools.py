"""`octograph run` on a graph with a tool node: the call and its result in the terminal view."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.unit.graphs.compact_specs import spec_json


def run_calculator(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    spec = spec_json(
        [("q", "input", {}), ("calc", "tool", {"function": "calculator"}), ("out", "output", {})],
        [("q", "calc"), ("calc", "out")],
    )
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(spec))
    return subprocess.run(
        [sys.executable, "-m", "workers.cli", "run", str(path), "--input", text],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_answer_is_printed_and_the_call_shown(tmp_path: Path) -> None:
    done = run_calculator(tmp_path, "17 * 23")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "17 * 23 = 391"
    assert '[calc] calls calculator(expression="17 * 23")' in done.stderr
    assert "[calc] = 17 * 23 = 391" in done.stderr


def test_a_failed_call_is_one_clear_line_not_a_traceback(tmp_path: Path) -> None:
    done = run_calculator(tmp_path, "__import__('os').system('true')")
    assert done.returncode == 1
    assert "error: node 'calc' failed: unsupported syntax: attribute access cannot be called" in (
        done.stderr
    )
    assert "Traceback" not in done.stderr
