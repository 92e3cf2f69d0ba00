"""Runs in the studio: run a graph, watch the routing and the streamed answer on the canvas and
in the run panel, then replay the stored trace step by step and compare two runs."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from canvas import node
from live_stack import HANGING_MODEL, LiveStack
from playwright.sync_api import Page, WebSocketRoute, expect

pytestmark = pytest.mark.e2e

Shoot = Callable[[Page, str], None]
# A router-basic run's events 1-9 lead up to the chosen worker; the drop comes after its first
# tokens.
DROP_AFTER = 11


def _run(page: Page, query: str) -> None:
    page.get_by_label("Query").fill(query)
    page.get_by_label("Query").press("Control+Enter")


def test_a_run_shows_the_router_decision_and_the_streamed_answer_then_replays(
    stack: LiveStack, log_in: Callable[[str], Page], shoot: Shoot
) -> None:
    stack.signup("rita")
    page = log_in("rita")
    page.get_by_label("New from template").select_option(label="Router with three experts")
    expect(page.locator('[data-canvas-ready="true"]')).to_be_visible()
    page.get_by_role("tab", name="Run", exact=True).click()

    _run(page, "What is 17 * 23?")
    # The fake model host streams a word every TOKEN_DELAY_S: the answer arrives in pieces.
    answer = page.get_by_test_id("run-answer")
    expect(answer).to_contain_text("smollm2-135m-instruct:")
    math = node(page, "math").locator(".octo-node")
    expect(math).to_have_class(re.compile(r"\brun-(running|done)\b"))
    shoot(page, "20-run-streaming")

    expect(page.get_by_test_id("run-status")).to_contain_text("completed")
    expect(answer).to_have_text("smollm2-135m-instruct: What is 17 * 23?")
    # Every candidate edge carries its probability; the chosen one is marked and highlighted.
    probabilities = page.get_by_test_id("route-probability")
    expect(probabilities).to_have_count(3)
    expect(probabilities.filter(has_text="✓")).to_have_count(1)
    expect(page.locator('.edge-label.route-chosen[data-edge-id="router->math"]')).to_be_visible()
    expect(node(page, "router")).to_contain_text("What is 17 * 23?")
    expect(math).to_have_class(re.compile(r"\brun-done\b"))
    expect(node(page, "code").locator(".octo-node")).to_have_class(re.compile(r"\brun-skipped\b"))
    expect(page.get_by_role("region", name="Timeline")).to_contain_text("math")
    shoot(page, "21-run-completed")

    page.get_by_role("tab", name=re.compile("Past runs")).click()
    history = page.get_by_role("list", name="Run history")
    expect(history.get_by_role("listitem")).to_have_count(1)
    history.get_by_role("button", name="Replay").click()
    step = page.get_by_test_id("replay-step")
    expect(step).to_contain_text("run completed")
    # Back to the routing decision: the chosen worker has not run yet.
    previous = page.get_by_role("button", name="Previous step")
    for _ in range(20):
        if "router chose" in step.inner_text():
            break
        previous.click()
    expect(step).to_contain_text("router chose math")
    expect(math).to_have_class(re.compile(r"\brun-queued\b"))
    expect(page.locator('.edge-label.route-chosen[data-edge-id="router->math"]')).to_be_visible()
    shoot(page, "22-replay-router-decision")
    page.get_by_role("button", name="Next step").click()
    expect(step).not_to_contain_text("router chose")
    page.get_by_role("button", name="Close replay").click()
    # Back to the latest run, as it ended.
    expect(math).to_have_class(re.compile(r"\brun-done\b"))

    page.get_by_role("tab", name="Run", exact=True).click()
    _run(page, "Write a haiku about octopuses")
    expect(page.get_by_test_id("run-status")).to_contain_text("completed")
    page.get_by_role("tab", name=re.compile("Past runs")).click()
    expect(history.get_by_role("listitem")).to_have_count(2)
    for checkbox in history.get_by_role("checkbox").all():
        checkbox.check()
    comparison = page.get_by_role("region", name="Run comparison")
    expect(comparison).to_contain_text("Write a haiku about octopuses")
    expect(comparison).to_contain_text("What is 17 * 23?")
    shoot(page, "23-compare-runs")


def test_a_dropped_run_socket_resumes_after_the_last_event_it_applied(
    stack: LiveStack, log_in: Callable[[str], Page], shoot: Shoot
) -> None:
    stack.signup("ravi")
    page = log_in("ravi")
    page.get_by_label("New from template").select_option(label="Router with three experts")
    expect(page.locator('[data-canvas-ready="true"]')).to_be_visible()
    urls: list[str] = []

    def drop_the_first_connection(route: WebSocketRoute) -> None:
        urls.append(route.url)
        server = route.connect_to_server()
        if len(urls) > 1:
            return
        relayed = 0

        def relay(message: str | bytes) -> None:
            nonlocal relayed
            route.send(message)
            relayed += 1
            if relayed == DROP_AFTER:
                # As a network drop looks to the page: an abnormal close, not a refusal (4xxx).
                server.close()
                route.close(code=3000, reason="dropped by the test")

        server.on_message(relay)

    page.route_web_socket(re.compile(r"/ws/runs/"), drop_the_first_connection)
    page.get_by_role("tab", name="Run", exact=True).click()
    _run(page, "What is 17 * 23?")

    expect(page.get_by_test_id("run-status")).to_contain_text("completed")
    expect(page.get_by_test_id("run-answer")).to_have_text(
        "smollm2-135m-instruct: What is 17 * 23?"
    )
    expect(page.get_by_test_id("run-status")).not_to_contain_text("missing")
    assert len(urls) == 2, urls
    assert urls[1].endswith(f"?after={DROP_AFTER}"), urls
    shoot(page, "24-run-resumed-after-a-drop")


def test_a_mixture_of_agents_run_shows_each_layers_answers_side_by_side(
    stack: LiveStack, log_in: Callable[[str], Page], shoot: Shoot
) -> None:
    stack.signup("moana")
    page = log_in("moana")
    page.get_by_label("New from template").select_option(label="Mixture-of-Agents, 2 layers")
    expect(page.locator('[data-canvas-ready="true"]')).to_be_visible()
    page.get_by_role("tab", name="Run", exact=True).click()
    _run(page, "Name three primary colors.")

    expect(page.get_by_test_id("run-status")).to_contain_text("completed")
    layers = page.get_by_role("region", name="Layers")
    expect(layers.get_by_role("heading")).to_have_text(["Layer 1", "Layer 2"])
    proposer = layers.locator("details").filter(has_text="l1-thorough")
    # Closed, an answer shows its first lines, wrapped rather than cut to a few characters.
    preview = proposer.get_by_test_id("layer-answer-preview")
    expect(preview).to_contain_text("smollm2-135m-instruct")
    assert preview.evaluate("el => el.scrollWidth <= el.clientWidth"), "the preview overflows"
    proposer.locator("summary").click()
    expect(proposer).to_have_attribute("open", "")
    expect(preview).to_be_hidden()
    expect(node(page, "aggregator").locator(".octo-node")).to_have_class(
        re.compile(r"\brun-done\b")
    )
    shoot(page, "25-moa-layers")


def test_a_run_that_hangs_is_cancelled_from_the_panel(
    stack: LiveStack, log_in: Callable[[str], Page], shoot: Shoot
) -> None:
    api = stack.signup("carl")
    spec = {
        "spec": 1,
        "nodes": [
            {"id": "q", "kind": "input", "position": {"x": 0, "y": 0}, "config": {}},
            {
                "id": "slow",
                "kind": "model",
                "position": {"x": 280, "y": 0},
                "config": {"model": HANGING_MODEL},
            },
            {"id": "out", "kind": "output", "position": {"x": 560, "y": 0}, "config": {}},
        ],
        "edges": [
            {"id": "e1", "source": "q", "target": "slow"},
            {"id": "e2", "source": "slow", "target": "out"},
        ],
    }
    created = api.post(
        "/api/graphs/", json={"team": stack.personal_team(api), "name": "Hangs", "spec": spec}
    )
    created.raise_for_status()
    page = log_in("carl")
    page.goto(f"{stack.url}/graphs/{created.json()['id']}")
    expect(page.locator('[data-canvas-ready="true"]')).to_be_visible()
    page.get_by_role("tab", name="Run", exact=True).click()
    _run(page, "Will this ever end?")

    slow = node(page, "slow").locator(".octo-node")
    expect(slow).to_have_class(re.compile(r"\brun-running\b"))
    page.get_by_role("button", name="Cancel", exact=True).click()
    expect(page.get_by_test_id("run-status")).to_contain_text("cancelled")
    expect(slow).not_to_have_class(re.compile(r"\brun-running\b"))
    expect(page.get_by_test_id("run-answer")).to_contain_text("cancelled by carl")
    shoot(page, "26-run-cancelled")
