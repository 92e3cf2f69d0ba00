"""Graph problems in a real browser: every problem the server finds is listed with its full
reason and badged on the node or edge it names, and a second input is refused in the palette."""

from __future__ import annotations

import json

import pytest
from canvas import drop_from_palette, node, open_new_graph
from playwright.sync_api import expect
from studio import LogIn, Shoot

pytestmark = pytest.mark.e2e

# Exactly two problems (graphs.check): a second input node, and an edge to a node that is not there.
TWO_PROBLEMS = {
    "spec": 1,
    "nodes": [
        {"id": "input", "kind": "input", "position": {"x": 0, "y": 0}, "config": {}},
        {"id": "input-2", "kind": "input", "position": {"x": 0, "y": 200}, "config": {}},
        {"id": "output", "kind": "output", "position": {"x": 600, "y": 0}, "config": {}},
    ],
    "edges": [
        {"id": "input->output", "source": "input", "target": "output"},
        {"id": "input-2->output", "source": "input-2", "target": "output"},
        {"id": "e9", "source": "input", "target": "ghost"},
    ],
}


def test_saving_a_graph_with_problems_lists_each_reason_in_full_and_badges_its_node(
    new_user: LogIn, shoot: Shoot
) -> None:
    page = new_user("pia")
    open_new_graph(page)

    # The blank graph already holds its input: the palette says so in place, and refuses it.
    palette_input = page.locator('.palette-item[data-kind="input"]')
    expect(palette_input).to_have_attribute("aria-disabled", "true")
    expect(palette_input).to_contain_text("a graph has one input")
    expect(palette_input).to_have_attribute("title", "a graph has one input")
    palette_input.click(force=True)  # aria-disabled: Playwright would wait for it to enable
    expect(page.locator(".react-flow__node")).to_have_count(2)

    # A model wired to nothing: the server finds two problems, both naming model-1.
    box = page.locator(".react-flow__pane").bounding_box()
    assert box is not None, "the canvas is not visible"
    drop_from_palette(page, "model", box["width"] * 0.5, box["height"] * 0.7)
    expect(node(page, "model-1")).to_be_visible()
    page.get_by_role("button", name="Save", exact=True).click()

    panel = page.get_by_test_id("problems-panel")
    items = panel.locator("li")
    expect(items).to_have_count(2)
    expect(items).to_have_text(
        [
            "node 'model-1': a model node needs an incoming edge",
            "node 'model-1': no path leads here from the input node",
        ]
    )
    expect(node(page, "model-1").locator(".problem-badge")).to_have_text("2")
    status = page.locator(".save-status.error")
    expect(status).to_have_attribute(
        "title",
        "the graph has 2 problem(s); each names its node or edge\n"
        "node 'model-1': a model node needs an incoming edge\n"
        "node 'model-1': no path leads here from the input node",
    )
    shoot(page, "problems-listed")

    # Dismissed, the list can be opened again from the toolbar.
    panel.get_by_role("button", name="Dismiss").click()
    expect(panel).to_have_count(0)
    page.get_by_role("button", name="2 problems").click()
    expect(page.get_by_test_id("problems-panel").locator("li")).to_have_count(2)


def test_importing_a_graph_with_two_problems_lists_both_with_their_full_reasons(
    new_user: LogIn, shoot: Shoot
) -> None:
    page = new_user("quinn")
    page.get_by_label("Import JSON file").set_input_files(
        files=[
            {
                "name": "two-problems.json",
                "mimeType": "application/json",
                "buffer": json.dumps(TWO_PROBLEMS).encode(),
            }
        ]
    )
    items = page.get_by_test_id("problems-panel").locator("li")
    expect(items).to_have_text(
        [
            "edge 'e9': target: no valid node 'ghost'",
            "node 'input-2': a graph has exactly one input node",
        ]
    )
    shoot(page, "import-problems-listed")
