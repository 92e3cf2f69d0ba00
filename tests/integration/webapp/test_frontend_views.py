"""Django serves the built single-page app for the browser's routes, and nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

INDEX = '<!doctype html><script type="module" src="/static/assets/index.js"></script>'


@pytest.fixture
def built(tmp_path: Path, settings: Any) -> None:
    (tmp_path / "index.html").write_text(INDEX)
    settings.FRONTEND_DIST = tmp_path


@pytest.mark.usefixtures("built")
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/login",
        "/signup",
        "/graphs/12",
        "/graphs/12/",
        "/graphs/12/evaluate",
        "/graphs/12/evaluate/",
        "/share/Ab-c_9",
    ],
)
def test_browser_routes_answer_the_apps_index_page(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 200
    assert response.content.decode() == INDEX
    assert response["Cache-Control"] == "no-cache"
    assert "csrftoken" in response.cookies


@pytest.mark.usefixtures("built")
@pytest.mark.parametrize("path", ["/nowhere", "/graphsx", "/api/graphs/nowhere/"])
def test_other_paths_are_not_the_app(path: str) -> None:
    assert Client().get(path).status_code == 404


def test_an_unbuilt_front_end_says_how_to_build_it(tmp_path: Path, settings: Any) -> None:
    settings.FRONTEND_DIST = tmp_path
    response = Client().get("/")
    assert response.status_code == 503
    assert b"make frontend" in response.content
