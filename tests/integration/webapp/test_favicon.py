"""``/favicon.ico`` answers the studio's icon, which every page also names in its ``<head>``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings as django_settings
from django.test import Client

FRONTEND = Path(django_settings.BASE_DIR) / "frontend"


def test_favicon_ico_answers_the_shipped_svg_icon(settings: Any) -> None:
    # frontend/public/ is what Vite copies, unchanged, into the root of frontend/dist/.
    settings.FRONTEND_DIST = FRONTEND / "public"
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    body = b"".join(response.streaming_content)
    assert body == (FRONTEND / "public" / "favicon.svg").read_bytes()
    assert body.lstrip().startswith(b"<svg")


def test_index_page_names_the_icon() -> None:
    index = (FRONTEND / "index.html").read_text(encoding="utf-8")
    assert '<link rel="icon" type="image/svg+xml" href="/favicon.svg" />' in index


def test_favicon_of_an_unbuilt_front_end_is_404(tmp_path: Path, settings: Any) -> None:
    settings.FRONTEND_DIST = tmp_path
    assert Client().get("/favicon.ico").status_code == 404
