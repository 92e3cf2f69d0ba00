"""The front end's API types (frontend/src/api/schema.d.ts) are generated from /api/schema/:
regenerating them from the code as it stands must give the committed file, byte for byte."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
FRONTEND = ROOT / "frontend"
COMMITTED = FRONTEND / "src" / "api" / "schema.d.ts"
GENERATOR = FRONTEND / "scripts" / "api-types.mjs"

pytestmark = pytest.mark.skipif(
    not (FRONTEND / "node_modules" / "openapi-typescript").is_dir() or shutil.which("node") is None,
    reason="needs node and frontend/node_modules (`make test` installs them with npm ci)",
)


def test_the_committed_api_types_match_the_api_schema(tmp_path: Path) -> None:
    regenerated = tmp_path / "schema.d.ts"
    subprocess.run(
        ["node", str(GENERATOR), "--out", str(regenerated)],
        cwd=FRONTEND,
        env={**os.environ, "PYTHON": sys.executable, "SECRET_KEY": "api-types"},
        check=True,
        timeout=120,
    )
    assert regenerated.read_text() == COMMITTED.read_text(), (
        "frontend/src/api/schema.d.ts differs from the API schema: regenerate it with "
        "`make api-types` (or `cd frontend && npm run api-types`) and commit the result"
    )
