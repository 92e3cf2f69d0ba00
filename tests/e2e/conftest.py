"""Browser tests against the real stack (see ``live_stack.py``); screenshots go to
``test-artifacts/``."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from live_stack import CHROMIUM, CHROMIUM_ARGS, PASSWORD, ROOT, LiveStack, live_stack
from playwright.sync_api import Browser, Page, expect, sync_playwright

ARTIFACTS = ROOT / "test-artifacts"
# CI machines are small and shared: give each expectation more than Playwright's 5 s default.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def stack() -> Iterator[LiveStack]:
    with live_stack(workers=True) as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def shoot() -> Callable[[Page, str], None]:
    """``shoot(page, name)`` saves a full-page screenshot as ``test-artifacts/<name>.png``."""
    ARTIFACTS.mkdir(exist_ok=True)

    def save(page: Page, name: str) -> None:
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)

    return save


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[[], Page]]:
    """``new_page()``: a blank page in a fresh browser context (its own session, logged out);
    every context it opened closes after the test."""
    contexts = []

    def open_page() -> Page:
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def log_in(new_page: Callable[[], Page], stack: LiveStack) -> Callable[[str], Page]:
    """``log_in(username)``: a fresh browser context (its own session) logged in through the
    login form, on the graph list."""

    def open_session(username: str) -> Page:
        page = new_page()
        page.goto(f"{stack.url}/login")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        return page

    return open_session


@pytest.fixture
def new_user(stack: LiveStack, log_in: Callable[[str], Page]) -> Callable[[str], Page]:
    """``new_user(username)``: signs ``username`` up (through the API) and returns a page logged
    in as them, on the graph list."""

    def sign_up_and_log_in(username: str) -> Page:
        stack.signup(username)
        return log_in(username)

    return sign_up_and_log_in
