"""A model's first load shows in the studio: the node and the run panel say "loading model…"
(with its progress) before the first token arrives, then the answer streams; the replay keeps
the load as steps of its own."""

from __future__ import annotations

import re

import pytest
from canvas import node
from live_stack import SLOW_LOADING_MODEL, LiveStack
from playwright.sync_api import Page, expect
from studio import (
    LogIn,
    Shoot,
    create_one_model_graph,
    expect_run_status,
    open_graph,
    replay_latest_run,
    run_query,
    step_back_until,
)

pytestmark = pytest.mark.e2e
REPLY = f"{SLOW_LOADING_MODEL}: Say hello"


def test_a_first_run_shows_the_model_loading_state_before_tokens(
    stack: LiveStack, log_in: LogIn, shoot: Shoot
) -> None:
    api = stack.signup("lola")
    graph = create_one_model_graph(
        api, stack, name="Cold", node_id="fresh", model=SLOW_LOADING_MODEL
    )
    page = log_in("lola")
    open_graph(page, stack, graph)
    run_query(page, "Say hello")

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
    expect_run_status(page, "completed")
    expect(answer).to_have_text(REPLY)
    first_run = _run_id(page)

    replay_latest_run(page)
    step = page.get_by_test_id("replay-step")
    step_back_until(page, "is loading model")
    expect(step).to_contain_text(f"fresh is loading model {SLOW_LOADING_MODEL}…")
    expect(loading).to_be_visible()
    page.get_by_role("button", name="Next step").click()
    expect(step).to_contain_text(re.compile(r"is loading model|loaded model"))

    # A second run finds the model loaded: no loading state, straight to the answer.
    page.get_by_role("button", name="Close replay").click()
    run_query(page, "Say hello again")
    expect(answer).to_have_text(f"{REPLY} again")
    expect_run_status(page, "completed")
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
