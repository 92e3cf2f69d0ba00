"""The web app's settings: every variable they read is documented in ``.env.example``.

The typed readers themselves are tested in ``tests/unit/workers/test_env.py``."""

from __future__ import annotations

import re
from pathlib import Path

import webapp.settings as settings_module


def test_env_example_lists_every_variable_the_settings_read() -> None:
    source = Path(settings_module.__file__).read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z_]+)"', source))
    example = (Path(settings_module.BASE_DIR) / ".env.example").read_text()
    listed = set(re.findall(r"^#?\s*([A-Z_]+)=", example, flags=re.MULTILINE))
    assert read <= listed, read - listed
