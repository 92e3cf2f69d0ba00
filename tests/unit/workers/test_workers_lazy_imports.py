"""Importing the workers package must not load the ML stack (the engine and CLI import it)."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("torch", "transformers", "peft", "httpx")


def test_importing_workers_loads_no_heavy_library() -> None:
    code = (
        "import json, sys\n"
        "import workers, workers.runtime, workers.catalog, workers.model_store\n"
        "import workers.model_cache, workers.backends.fake\n"
        "import workers.backends.transformers_backend, workers.backends.openai_backend\n"
        "workers.runtime.ModelRuntime()\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )

    assert json.loads(result.stdout) == []
