"""`graphs` stays pure Python: importing all of it loads no web, queue or ML framework."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import graphs

HEAVY = ("django", "celery", "channels", "torch", "transformers", "peft", "numpy")


def test_importing_graphs_loads_no_heavy_framework() -> None:
    code = (
        "import sys, pkgutil, importlib, graphs\n"
        "for m in pkgutil.walk_packages(graphs.__path__, 'graphs.'):\n"
        "    importlib.import_module(m.name)\n"
        f"print(','.join(sorted(n for n in {HEAVY!r} if n in sys.modules)))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == ""


def test_graphs_reads_no_environment_variable() -> None:
    """Settings reach ``graphs/`` from its callers (``workers.env``), never from ``os.environ``."""
    root = Path(graphs.__file__).parent
    readers = re.compile(r"\bos\.environ\b|\bgetenv\b|\bfrom os import environ\b")
    reading = [
        str(p.relative_to(root)) for p in root.rglob("*.py") if readers.search(p.read_text())
    ]
    assert reading == []
