"""The studio works under its Content-Security-Policy: logging in, a graph on the canvas (with
its presence WebSocket), the Evaluate page (its lazily loaded chunk and style sheet) and the
admin's login page report no violation in Chromium, while an injected inline script does. The
API's Swagger page renders under the same policy with every other site unreachable."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from live_stack import PASSWORD, LiveStack
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect

pytestmark = pytest.mark.e2e

Shoot = Callable[[Page, str], None]

# Every securitypolicyviolation event of every document, kept in the window for the test.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


def violations(page: Page) -> list[str]:
    found: list[str] = page.evaluate("window.__cspViolations")
    return found


def test_the_studio_reports_no_content_security_policy_violation(
    stack: LiveStack, browser: Browser, shoot: Shoot
) -> None:
    stack.signup("nina")
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    console: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            console.append(message.text)

    context.on("console", on_console)
    context.add_init_script(RECORD_VIOLATIONS)
    try:
        page = context.new_page()
        response = page.goto(f"{stack.url}/login")
        assert response is not None
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert response.headers["x-content-type-options"] == "nosniff"

        page.get_by_label("Username").fill("nina")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()

        page.get_by_label("New from template").select_option(label="Router with three experts")
        expect(page.locator('[data-canvas-ready="true"]')).to_be_visible()
        expect(page.locator(".react-flow__node")).not_to_have_count(0)
        assert re.search(r"/graphs/\d+$", page.url), page.url
        shoot(page, "90-csp-canvas")
        assert violations(page) == []

        page.get_by_role("link", name="Evaluate").click()
        expect(page.get_by_role("heading", name="Evaluate")).to_be_visible()
        page.wait_for_load_state("networkidle")
        assert violations(page) == []

        page.goto(f"{stack.url}/admin/login/")
        expect(page.locator("#id_username")).to_be_visible()
        assert violations(page) == []
        assert console == []

        # The checks above can fail: an inline script is blocked and reported.
        page.evaluate(
            """() => {
              const script = document.createElement("script");
              script.textContent = "window.__ran = true";
              document.body.append(script);
            }"""
        )
        expect(page.locator("body")).to_be_visible()
        page.wait_for_function("window.__cspViolations.length > 0")
        assert page.evaluate("window.__ran === undefined")
        assert any(v.startswith("script-src") for v in violations(page)), violations(page)
    finally:
        context.close()


def test_the_api_docs_render_with_no_internet_and_no_violation(
    stack: LiveStack, browser: Browser, shoot: Shoot
) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    elsewhere: list[str] = []

    def offline(route: Route) -> None:
        elsewhere.append(route.request.url)
        route.abort("internetdisconnected")

    context.route(lambda url: not url.startswith(f"{stack.url}/"), offline)
    context.add_init_script(RECORD_VIOLATIONS)
    try:
        page = context.new_page()
        response = page.goto(f"{stack.url}/api/docs/")
        assert response is not None
        assert "script-src 'self';" in response.headers["content-security-policy"]

        expect(page.locator(".swagger-ui .info .title")).to_contain_text("Octograph API")
        expect(page.locator(".opblock").first).to_be_visible()
        expect(
            page.locator('.opblock-summary-path[data-path="/api/auth/tokens/"]').first
        ).to_be_visible()
        page.wait_for_load_state("networkidle")
        shoot(page, "91-csp-api-docs")
        assert violations(page) == []
        assert elsewhere == []
    finally:
        context.close()
