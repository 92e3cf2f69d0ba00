"""Signing up through the form, with "Email (optional)" left blank or filled in, lands logged in;
a malformed email is refused by the browser before it reaches the server. Every page names the
studio's icon, and ``/favicon.ico`` answers it."""

from __future__ import annotations

import pytest
from live_stack import PASSWORD, LiveStack
from playwright.sync_api import Page, expect
from studio import NewPage

pytestmark = pytest.mark.e2e


def _sign_up(page: Page, stack: LiveStack, username: str, email: str) -> None:
    page.goto(f"{stack.url}/signup")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email (optional)").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()


def test_signing_up_with_or_without_an_email_logs_in(stack: LiveStack, new_page: NewPage) -> None:
    for username, email in [("olga", ""), ("omar", "omar@example.com")]:
        page = new_page()
        _sign_up(page, stack, username, email)
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        expect(page.get_by_role("alert")).to_have_count(0)


def test_a_malformed_email_is_refused_before_it_is_sent(
    stack: LiveStack, new_page: NewPage
) -> None:
    page = new_page()
    _sign_up(page, stack, "otto", "not-an-address")
    email = page.get_by_label("Email (optional)")
    assert email.evaluate("input => input.validity.typeMismatch") is True
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    assert page.url.endswith("/signup")


def test_the_favicon_is_named_by_the_page_and_served(stack: LiveStack, new_page: NewPage) -> None:
    page = new_page()
    page.goto(f"{stack.url}/login")
    href = page.locator('link[rel="icon"]').get_attribute("href")
    assert href == "/static/favicon.svg"
    for path in (href, "/favicon.ico"):
        response = page.request.get(f"{stack.url}{path}")
        assert response.status == 200, path
        assert response.headers["content-type"].startswith("image/svg+xml"), path
