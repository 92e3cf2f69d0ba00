"""`octograph run` on a graph with a tool node: the call and its result in the terminal view."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.octograph_cli import calculator_graph, octograph


def run_calculator(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    return octograph("run", calculator_graph(tmp_path), "--input", text)


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
