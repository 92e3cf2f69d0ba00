"""The 17-way router of the octopus-v4-mmlu template: its shipped adapter reads as built-in with
its validation figures, and a run's decision is readable with the whole graph on screen, both in
the run panel's decision list and on the chosen edge."""

from __future__ import annotations

import re

import pytest
from canvas import node
from playwright.sync_api import expect
from studio import LogIn, Shoot, expect_run_status, open_template, run_query

pytestmark = pytest.mark.e2e

DOMAINS = 17
# The fake model host gives 0.9 to the functional tokens named in the query, 0.1 to the others.
QUERY = "<nexa_4> What is the derivative of x^2?"
# A label at least this tall on screen is readable (the edge labels' text is 11 px).
READABLE_PX = 14


def test_the_17_way_routers_decision_is_readable_at_fit_view(new_user: LogIn, shoot: Shoot) -> None:
    page = new_user("oscar")
    open_template(page, "Octopus v4: 17 MMLU domains")

    # The shipped adapter is offered as built-in, with its validation figures.
    node(page, "router").click()
    adapter = page.get_by_label(re.compile(r"^Router adapter"))
    expect(adapter).to_have_value("router-mmlu17")
    expect(adapter.locator("optgroup[label='Built-in'] option")).to_have_text(
        "router-mmlu17 (84.5% on 283 held-out questions, 17 targets)"
    )
    expect(page.locator(".field").filter(has=adapter)).to_contain_text(
        "Built-in: 84.5% on 283 held-out questions, 17 targets; trained on 2,749 examples."
    )
    expect(page.get_by_text("None trained yet")).to_have_count(0)

    run_query(page, QUERY)
    expect_run_status(page, "completed")
    page.locator(".react-flow__controls-fitview").click()
    expect(page.locator(".canvas.zoomed-out")).to_be_visible()

    # The decision list: every candidate by title, most probable first, the chosen one marked.
    decisions = page.get_by_role("region", name="Router decisions")
    expect(decisions).to_be_visible()
    expect(decisions).to_contain_text("Master router chose Math")
    rows = decisions.get_by_test_id("decision-candidate")
    expect(rows).to_have_count(DOMAINS)
    expect(rows.first).to_have_attribute("data-chosen", "true")
    expect(rows.first).to_contain_text("✓ Math")
    expect(rows.first).to_contain_text("90.0%")
    expect(rows.nth(1)).to_contain_text("Physics")
    expect(rows.nth(1)).to_contain_text("0.6%")
    percents = [float(p.rstrip("%")) for p in decisions.locator(".decision-p").all_inner_texts()]
    assert percents == sorted(percents, reverse=True), percents
    assert len([row for row in rows.all() if row.get_attribute("data-chosen") == "true"]) == 1

    # On the canvas the chosen edge keeps a readable label: token, target title, probability.
    label = page.locator('.edge-label.route-chosen[data-edge-id="router->math"]')
    expect(label).to_be_visible()
    expect(label).to_contain_text("<4>")
    expect(label.get_by_test_id("route-target")).to_have_text("Math")
    expect(label.get_by_test_id("route-probability")).to_have_text("✓ 90.0%")
    box = label.bounding_box()
    assert box is not None
    assert box["height"] >= READABLE_PX, box
    # The other candidates' labels say their target too (painted once zoomed in).
    physics = page.locator('.edge-label[data-edge-id="router->physics"]')
    expect(physics.get_by_test_id("route-target")).to_have_text("Physics")
    expect(physics.get_by_test_id("route-probability")).to_have_text("0.6%")
    shoot(page, "27-router-decision-at-fit-view")
