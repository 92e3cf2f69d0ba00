"""Every response carries the Content-Security-Policy and Django's other security headers; the
built studio needs nothing the policy forbids (tests/e2e/test_security_headers.py proves it in
a browser)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import AsyncClient, Client

INDEX = '<!doctype html><script type="module" src="/static/assets/index.js"></script>'


def directives(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parsed = {}
    for directive in header.split(";"):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


@pytest.fixture
def built(tmp_path: Path, settings: Any) -> None:
    (tmp_path / "index.html").write_text(INDEX)
    settings.FRONTEND_DIST = tmp_path


@pytest.mark.usefixtures("built")
def test_the_studio_page_gets_the_strict_policy() -> None:
    response = Client().get("/graphs/12")
    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'", "ws://testserver", "wss://testserver"]
    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    assert policy["style-src"] == ["'self'"]
    assert policy["style-src-attr"] == ["'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.usefixtures("built")
def test_the_websocket_origin_follows_the_requests_host(settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["octograph.example.com"]
    response = Client().get("/", HTTP_HOST="octograph.example.com:8443")
    assert directives(response)["connect-src"] == [
        "'self'",
        "ws://octograph.example.com:8443",
        "wss://octograph.example.com:8443",
    ]


def test_a_host_outside_allowed_hosts_gets_400_and_no_websocket_origin() -> None:
    response = Client().get("/api/auth/csrf/", HTTP_HOST="evil.example;script-src *")
    assert response.status_code == 400
    assert directives(response)["connect-src"] == ["'self'"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/auth/csrf/", 200),
        ("/api/auth/me/", 401),
        ("/api/nowhere/", 404),
        ("/nowhere", 404),
        ("/admin/login/", 200),
        ("/static/admin/css/base.css", 200),  # static files, served by WhiteNoise
    ],
)
def test_every_response_carries_the_security_headers(path: str, status: int, db: None) -> None:
    response = Client().get(path)
    assert response.status_code == status
    assert directives(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    if not path.startswith("/static/"):  # WhiteNoise answers before the clickjacking middleware
        assert response["X-Frame-Options"] == "DENY"


async def test_the_policy_is_set_on_the_async_path_too() -> None:
    response = await AsyncClient().get("/api/auth/csrf/")
    assert response.status_code == 200
    assert directives(response)["default-src"] == ["'self'"]


def test_api_errors_stay_json_with_debug_off() -> None:
    assert django_settings.DEBUG is False
    response = Client().get("/api/nowhere/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "no such API URL"}


def test_the_swagger_page_gets_the_strict_policy_too() -> None:
    """Its assets are local and nothing in it is inline (tests/integration/webapp/
    test_api_docs.py)."""
    docs = directives(Client().get("/api/docs/"))
    assert docs["script-src"] == ["'self'"]
    assert docs["style-src"] == ["'self'"]
    assert docs["frame-ancestors"] == ["'none'"]


class _Inline(HTMLParser):
    """Collects what a strict policy would block in a page: inline scripts, event handler
    attributes, <style> elements and style attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self.blocked.append("inline <script>")
        if tag == "style":
            self.blocked.append("<style>")
        self.blocked += [f"{name}= on <{tag}>" for name in names if name.startswith("on")]
        self.blocked += [f"style= on <{tag}>" for name in names if name == "style"]


def test_the_built_index_page_has_nothing_inline() -> None:
    index = django_settings.FRONTEND_DIST / "index.html"
    if not index.is_file():
        pytest.skip("the front end is not built (`make frontend`)")
    parser = _Inline()
    parser.feed(index.read_text())
    assert parser.blocked == []
