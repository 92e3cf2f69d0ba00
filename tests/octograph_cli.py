"""Running the ``octograph`` command line in a subprocess, as its unit and integration tests do."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.unit.graphs.compact_specs import spec_json


def octograph(
    *args: str, timeout: float = 60, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``octograph *args`` (``python -m workers.cli``), its stdout and stderr captured as text;
    raises ``subprocess.TimeoutExpired`` after ``timeout`` seconds."""
    return subprocess.run(
        [sys.executable, "-m", "workers.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def calculator_graph(folder: Path) -> str:
    """Writes ``folder/graph.json``, a graph input -> calculator tool -> output; returns its
    path."""
    spec = spec_json(
        [("q", "input", {}), ("calc", "tool", {"function": "calculator"}), ("out", "output", {})],
        [("q", "calc"), ("calc", "out")],
    )
    path = folder / "graph.json"
    path.write_text(json.dumps(spec))
    return str(path)
