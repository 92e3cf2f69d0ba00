"""A model's first load shows in the studio: the node and the run panel say "loading model…"
(with its progress) before the first token arrives, then the answer streams; the replay keeps
the load as steps of its own."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from canvas import node
from live_stack import SLOW_LOADING_MODEL, LiveStack
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

Shoot = Callable[[Page, str], None]
REPLY = f"{SLOW_LOADING_MODEL}: Say hello"


def test_a_first_run_shows_the_model_loading_state_before_tokens(
    stack: LiveStack, log_in: Callable[[str], Page], shoot: Shoot
) -> None:
    api = stack.signup("lola")
    spec = {
        "nodes": [
            {"id": "q", "kind": "input", "position": {"x": 0, "y": 0}, "config": {}},
            {
                "id": "fresh",
                "kind": "model",
                "position": {"x": 280, "y": 0},
                "config": {"model": SLOW_LOADING_MODEL},
            },
            {"id": "out", "kind": "output", "position": {"x": 560, "y": 0}, "config": {}},
        ],
        "edges": [
            {"id": "e1", "source": "q", "target": "fresh"},
            {"id": "e2", "source": "fresh", "target": "out"},
        ],
    }
    created = api.post(
        "/api/graphs/", json={"team": stack.personal_team(api), "name": "Cold", "spec": spec}
    )
    created.raise_for_status()
    page = log_in("lola")
    page.goto(f"{stack.url}/graphs/{created.json()['id']}")
    expect(page.locator('[data-canvas-ready="true"]')).to_be_visible()
    page.get_by_role("tab", name="Run", exact=True).click()
    page.get_by_label("Query").fill("Say hello")
    page.get_by_label("Query").press("Control+Enter")

    fresh = node(page, "fresh")
    loading = fresh.get_by_test_id("node-loading")
    expect(loading).to_contain_text(re.compile(rf"loading model {SLOW_LOADING_MODEL}… \d+%"))
    expect(fresh.locator(".run-status")).to_have_text("loading")
    expect(page.get_by_test_id("run-loading")).to_contain_text(
        f"fresh is loading model {SLOW_LOADING_MODEL}…"
    )
    # Before tokens: nothing of the answer has arrived while the model loads.
    answer = page.get_by_test_id("run-answer")
    assert SLOW_LOADING_MODEL not in answer.inner_text()
    shoot(page, "27-run-model-loading")

    expect(answer).to_contain_text(f"{SLOW_LOADING_MODEL}:")
    expect(loading).to_have_count(0)
    expect(page.get_by_test_id("run-loading")).to_have_count(0)
    expect(page.get_by_test_id("run-status")).to_contain_text("completed")
    expect(answer).to_have_text(REPLY)
    first_run = _run_id(page)

    page.get_by_role("tab", name=re.compile("Past runs")).click()
    page.get_by_role("list", name="Run history").get_by_role("button", name="Replay").click()
    step = page.get_by_test_id("replay-step")
    expect(step).to_contain_text("run completed")
    previous = page.get_by_role("button", name="Previous step")
    for _ in range(20):
        if "is loading model" in step.inner_text():
            break
        previous.click()
    expect(step).to_contain_text(f"fresh is loading model {SLOW_LOADING_MODEL}…")
    expect(loading).to_be_visible()
    page.get_by_role("button", name="Next step").click()
    expect(step).to_contain_text(re.compile(r"is loading model|loaded model"))

    # A second run finds the model loaded: no loading state, straight to the answer.
    page.get_by_role("button", name="Close replay").click()
    page.get_by_role("tab", name="Run", exact=True).click()
    page.get_by_label("Query").fill("Say hello again")
    page.get_by_label("Query").press("Control+Enter")
    expect(answer).to_have_text(f"{REPLY} again")
    expect(page.get_by_test_id("run-status")).to_contain_text("completed")
    run_id = _run_id(page)
    assert run_id != first_run
    events = api.get(f"/api/runs/{run_id}/events/").json()
    types = [e["type"] for e in (events["results"] if isinstance(events, dict) else events)]
    assert "model.loading" not in types, types


def _run_id(page: Page) -> int:
    """The id of the run the panel follows (its status line reads "run <id>: <status>")."""
    found = re.search(r"run (\d+)", page.get_by_test_id("run-status").inner_text())
    assert found is not None
    return int(found.group(1))
