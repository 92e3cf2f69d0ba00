"""Steps the studio tests share: opening a graph, running a query in the run panel, replaying a
run. Each step waits for what it did to show, as a user would, before it returns."""

from __future__ import annotations

import re
from collections.abc import Callable

import httpx
from canvas import wait_for_canvas
from live_stack import LiveStack
from playwright.sync_api import Locator, Page, expect

# The e2e fixtures' types (conftest.py): ``shoot(page, name)``, ``log_in(username)`` and
# ``new_user(username)``, ``new_page()``.
Shoot = Callable[[Page, str], None]
LogIn = Callable[[str], Page]
NewPage = Callable[[], Page]


def open_template(page: Page, label: str) -> None:
    """From the graph list, create a graph from the template called ``label`` and wait for its
    canvas."""
    page.get_by_label("New from template").select_option(label=label)
    wait_for_canvas(page)


def create_mixed_moa(page: Page, endpoint: str) -> None:
    """From the graph list, create from ``moa-mixed`` after checking that its proposer picker
    offers ``endpoint`` (a display name) and SmolLM2, both ticked; wait for the canvas."""
    page.get_by_label("New from template").select_option(label="Mixture-of-Agents, mixed models")
    picker = page.get_by_role("group", name="Proposer models")
    expect(picker.get_by_role("checkbox", name=endpoint)).to_be_checked()
    expect(picker.get_by_role("checkbox", name="SmolLM2")).to_be_checked()
    picker.get_by_role("button", name="Create").click()
    wait_for_canvas(page)


def open_graph(page: Page, stack: LiveStack, graph: int) -> None:
    page.goto(f"{stack.url}/graphs/{graph}")
    wait_for_canvas(page)


def create_one_model_graph(
    api: httpx.Client, stack: LiveStack, *, name: str, node_id: str, model: str
) -> int:
    """Through the API, a graph ``input -> node_id (model) -> output`` in the user's personal
    team; returns its id."""
    spec = {
        "spec": 1,
        "nodes": [
            {"id": "q", "kind": "input", "position": {"x": 0, "y": 0}, "config": {}},
            {
                "id": node_id,
                "kind": "model",
                "position": {"x": 280, "y": 0},
                "config": {"model": model},
            },
            {"id": "out", "kind": "output", "position": {"x": 560, "y": 0}, "config": {}},
        ],
        "edges": [
            {"id": "e1", "source": "q", "target": node_id},
            {"id": "e2", "source": node_id, "target": "out"},
        ],
    }
    created = api.post(
        "/api/graphs/", json={"team": stack.personal_team(api), "name": name, "spec": spec}
    )
    created.raise_for_status()
    return int(created.json()["id"])


def fill_endpoint_form(page: Page, *, key: str, name: str, base_url: str, model: str) -> Locator:
    """On the Models page, open the Register endpoint form and fill it in but for its API key;
    returns the form."""
    page.get_by_role("button", name="Register endpoint").click()
    form = page.get_by_role("form", name="Register endpoint")
    form.get_by_label(re.compile("^Key")).fill(key)
    form.get_by_label("Display name").fill(name)
    form.get_by_label(re.compile("^Base URL")).fill(base_url)
    form.get_by_label("Model name").fill(model)
    return form


def check_connection(form: Locator, api_key: str) -> Locator:
    """In the endpoint form, set the API key and press Test connection; returns the form's
    report (it fills in once the server has answered)."""
    form.get_by_label(re.compile("^API key")).fill(api_key)
    form.get_by_role("button", name="Test connection").click()
    return form.get_by_role("status")


def submit_query(page: Page, query: str) -> None:
    """Type ``query`` in the run panel (already open) and send it with Ctrl+Enter."""
    page.get_by_label("Query").fill(query)
    page.get_by_label("Query").press("Control+Enter")


def open_run_tab(page: Page) -> None:
    page.get_by_role("tab", name="Run", exact=True).click()


def run_query(page: Page, query: str) -> None:
    """Open the run panel and send ``query``; returns as soon as it is sent."""
    open_run_tab(page)
    submit_query(page, query)


def expect_run_status(page: Page, status: str | re.Pattern[str]) -> None:
    """Wait until the run panel's status line says ``status``."""
    expect(page.get_by_test_id("run-status")).to_contain_text(status)


def replay_latest_run(page: Page) -> None:
    """Replay the latest run from the Past runs tab; the replay starts at its last step."""
    page.get_by_role("tab", name=re.compile("Past runs")).click()
    page.get_by_role("list", name="Run history").get_by_role("button", name="Replay").click()
    expect(page.get_by_test_id("replay-step")).to_contain_text("run completed")


def step_back_until(page: Page, text: str, *, most: int = 20) -> None:
    """In a replay, press Previous step until the step shown contains ``text`` (at most ``most``
    presses; the caller asserts that it got there)."""
    step = page.get_by_test_id("replay-step")
    previous = page.get_by_role("button", name="Previous step")
    for _ in range(most):
        if text in step.inner_text():
            break
        previous.click()
