"""Runs in the studio: run a graph, watch the routing and the streamed answer on the canvas and
in the run panel, then replay the stored trace step by step and compare two runs."""

from __future__ import annotations

import re

import pytest
from canvas import node
from live_stack import HANGING_MODEL, LiveStack
from playwright.sync_api import WebSocketRoute, expect
from studio import (
    LogIn,
    Shoot,
    create_one_model_graph,
    expect_run_status,
    open_graph,
    open_template,
    run_query,
    step_back_until,
)

pytestmark = pytest.mark.e2e

# A router-basic run's events 1-11 lead up to the chosen worker (its prompt as sent included);
# the drop comes after its first tokens.
DROP_AFTER = 13


def test_a_run_shows_the_router_decision_and_the_streamed_answer_then_replays(
    new_user: LogIn, shoot: Shoot
) -> None:
    page = new_user("rita")
    open_template(page, "Router with three experts")

    run_query(page, "What is 17 * 23?")
    # The fake model host streams a word every TOKEN_DELAY_S: the answer arrives in pieces.
    answer = page.get_by_test_id("run-answer")
    expect(answer).to_contain_text("smollm2-135m-instruct:")
    math = node(page, "math").locator(".octo-node")
    expect(math).to_have_class(re.compile(r"\brun-(running|done)\b"))
    shoot(page, "20-run-streaming")

    expect_run_status(page, "completed")
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
    # The worker's inspector shows the prompt as sent and how its generation ended.
    math.click()
    sent = page.get_by_test_id("node-request")
    expect(sent).to_contain_text("generate · smollm2-135m-instruct")
    sent.locator("summary", has_text=re.compile(r"^user")).click()
    expect(sent.get_by_test_id("node-request-content").last).to_have_text("What is 17 * 23?")
    expect(page.get_by_test_id("node-generation")).to_contain_text("eos")

    page.get_by_role("tab", name=re.compile("Past runs")).click()
    history = page.get_by_role("list", name="Run history")
    expect(history.get_by_role("listitem")).to_have_count(1)
    history.get_by_role("button", name="Replay").click()
    step = page.get_by_test_id("replay-step")
    expect(step).to_contain_text("run completed")
    # Back to the routing decision: the chosen worker has not run yet.
    step_back_until(page, "router chose")
    expect(step).to_contain_text("router chose math")
    expect(math).to_have_class(re.compile(r"\brun-queued\b"))
    expect(page.locator('.edge-label.route-chosen[data-edge-id="router->math"]')).to_be_visible()
    shoot(page, "22-replay-router-decision")
    page.get_by_role("button", name="Next step").click()
    expect(step).not_to_contain_text("router chose")
    page.get_by_role("button", name="Close replay").click()
    # Back to the latest run, as it ended.
    expect(math).to_have_class(re.compile(r"\brun-done\b"))

    run_query(page, "Write a haiku about octopuses")
    expect_run_status(page, "completed")
    page.get_by_role("tab", name=re.compile("Past runs")).click()
    expect(history.get_by_role("listitem")).to_have_count(2)
    for checkbox in history.get_by_role("checkbox").all():
        checkbox.check()
    comparison = page.get_by_role("region", name="Run comparison")
    expect(comparison).to_contain_text("Write a haiku about octopuses")
    expect(comparison).to_contain_text("What is 17 * 23?")
    shoot(page, "23-compare-runs")


def test_a_dropped_run_socket_resumes_after_the_last_event_it_applied(
    new_user: LogIn, shoot: Shoot
) -> None:
    page = new_user("ravi")
    open_template(page, "Router with three experts")
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
    run_query(page, "What is 17 * 23?")

    expect_run_status(page, "completed")
    expect(page.get_by_test_id("run-answer")).to_have_text(
        "smollm2-135m-instruct: What is 17 * 23?"
    )
    expect(page.get_by_test_id("run-status")).not_to_contain_text("missing")
    assert len(urls) == 2, urls
    assert urls[1].endswith(f"?after={DROP_AFTER}"), urls
    shoot(page, "24-run-resumed-after-a-drop")


def test_a_mixture_of_agents_run_shows_each_layers_answers_side_by_side(
    new_user: LogIn, shoot: Shoot
) -> None:
    page = new_user("moana")
    open_template(page, "Mixture-of-Agents, 2 layers")
    run_query(page, "Name three primary colors.")

    expect_run_status(page, "completed")
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
    stack: LiveStack, log_in: LogIn, shoot: Shoot
) -> None:
    api = stack.signup("carl")
    graph = create_one_model_graph(api, stack, name="Hangs", node_id="slow", model=HANGING_MODEL)
    page = log_in("carl")
    open_graph(page, stack, graph)
    run_query(page, "Will this ever end?")

    slow = node(page, "slow").locator(".octo-node")
    expect(slow).to_have_class(re.compile(r"\brun-running\b"))
    page.get_by_role("button", name="Cancel", exact=True).click()
    expect_run_status(page, "cancelled")
    expect(slow).not_to_have_class(re.compile(r"\brun-running\b"))
    expect(page.get_by_test_id("run-answer")).to_contain_text("cancelled by carl")
    shoot(page, "26-run-cancelled")
