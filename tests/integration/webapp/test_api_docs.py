"""``/api/docs/`` needs no internet and nothing the strict Content-Security-Policy forbids: its
page names only same-origin files, all served by the app (Swagger UI's from
drf-spectacular-sidecar), and has no inline script or style. tests/e2e/test_api_docs.py renders
it in Chromium."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client


class _Page(HTMLParser):
    """The URLs a page loads (``src`` and ``href``) and what it has inline."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        self.urls += [url for key, url in named.items() if key in ("src", "href") and url]
        if tag == "script" and "src" not in named:
            self.inline.append("inline <script>")
        if tag == "style" or "style" in named:
            self.inline.append(f"style on <{tag}>")


@pytest.fixture
def page() -> _Page:
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    parsed = _Page()
    parsed.feed(response.content.decode())
    return parsed


def test_the_swagger_page_has_nothing_inline(page: _Page) -> None:
    assert page.inline == []


def test_the_swagger_page_loads_only_same_origin_files_the_app_serves(page: _Page) -> None:
    assert len(page.urls) >= 5  # favicon, two style sheets, Swagger UI's two scripts, its start
    for url in page.urls:
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc) == ("", ""), url
        assert url.startswith("/"), url
        response = Client().get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body, url


def test_swaggers_start_up_script_is_a_file_that_loads_the_schema(page: _Page) -> None:
    script = next(url for url in page.urls if url.startswith("/api/docs/?"))

    response = Client().get(script)

    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in response.content.decode()
    assert '"/api/schema/"' in response.content.decode()
