"""The editor in a real browser: build a router graph from the palette, save it, and lose a save
race to a second session."""

from __future__ import annotations

import re

import pytest
from canvas import (
    centre,
    connect,
    drag_edge,
    drop_from_palette,
    node,
    open_new_graph,
    wait_for_canvas,
)
from live_stack import LiveStack
from playwright.sync_api import expect
from studio import LogIn, Shoot, open_graph

pytestmark = pytest.mark.e2e


def test_router_graph_built_from_the_palette_is_saved_and_a_second_save_conflicts(
    new_user: LogIn, log_in: LogIn, shoot: Shoot
) -> None:
    page = new_user("alice")
    shoot(page, "01-graph-list")
    open_new_graph(page)

    # The blank graph wires input to output; the router goes in between.
    page.mouse.click(*centre(page.locator('.react-flow__edge[data-id="input->output"] path').first))
    page.keyboard.press("Delete")
    expect(page.locator(".react-flow__edge")).to_have_count(0)

    box = page.locator(".react-flow__pane").bounding_box()
    assert box is not None, "the canvas is not visible"
    drop_from_palette(page, "router", box["width"] * 0.35, box["height"] * 0.5)
    drop_from_palette(page, "model", box["width"] * 0.6, box["height"] * 0.25)
    drop_from_palette(page, "model", box["width"] * 0.6, box["height"] * 0.75)
    for node_id in ("router-1", "model-1", "model-2"):
        expect(node(page, node_id)).to_be_visible()

    connect(page, "input", "router-1")
    connect(page, "router-1", "model-1")
    page.get_by_label("Description").fill("math: algebra, calculus, statistics")
    connect(page, "router-1", "model-2")
    page.get_by_label("Description").fill("history: dates, people, events")
    expect(page.get_by_label("Token")).to_have_value("1")
    connect(page, "model-1", "output")
    connect(page, "model-2", "output")

    # Wiring that the server would refuse is refused while dragging, with the reason.
    drag_edge(page, "model-1", "router-1")
    expect(page.get_by_role("status")).to_contain_text("this edge would close a cycle")
    shoot(page, "02-cycle-refused")
    page.mouse.up()
    expect(page.locator(".react-flow__edge")).to_have_count(5)

    node(page, "model-1").click()
    page.get_by_label("System prompt").fill("You are a careful mathematician.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved version 2")).to_be_visible()
    expect(page.get_by_test_id("version")).to_have_text("v2")
    shoot(page, "03-router-graph-saved")

    # A second session opens the same graph and saves first.
    other = log_in("alice")
    other.goto(page.url)
    wait_for_canvas(other)
    node(other, "model-2").click()
    other.get_by_label("System prompt").fill("You are a historian.")
    other.keyboard.press("Control+s")
    expect(other.get_by_text("Saved version 3")).to_be_visible()

    # The first session's save now answers 409: the dialog says what the other save changed.
    node(page, "model-1").click()
    page.get_by_label("Temperature").fill("0.2")
    page.get_by_role("button", name="Save", exact=True).click()
    dialog = page.get_by_role("dialog", name="Someone saved first")
    expect(dialog).to_be_visible()
    # Each changed field with its old and new values.
    expect(dialog.get_by_role("list", name="Their changes")).to_contain_text(
        re.compile(r'node model-2: config\.system: .* → "You are a historian\."')
    )
    shoot(page, "04-save-conflict")

    dialog.get_by_role("button", name="Reload version 3").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_test_id("version")).to_have_text("v3")
    node(page, "model-2").click()
    expect(page.get_by_label("System prompt")).to_have_value("You are a historian.")


def test_keyboard_copies_pastes_undoes_redoes_and_deletes(new_user: LogIn) -> None:
    page = new_user("frank")
    open_new_graph(page)
    nodes = page.locator(".react-flow__node")
    node(page, "output").click()
    page.keyboard.press("Control+c")
    page.keyboard.press("Control+v")
    expect(node(page, "output-1")).to_be_visible()
    expect(page.get_by_test_id("version")).to_contain_text("unsaved changes")
    page.keyboard.press("Control+z")
    expect(nodes).to_have_count(2)
    page.keyboard.press("Control+Shift+z")
    expect(nodes).to_have_count(3)
    # The pasted copy is the selection, so Delete removes it again.
    page.keyboard.press("Delete")
    expect(nodes).to_have_count(2)
    expect(node(page, "output-1")).to_have_count(0)


def test_teammates_on_the_same_graph_see_each_other_and_each_others_saves(
    stack: LiveStack, log_in: LogIn, shoot: Shoot
) -> None:
    owner = stack.signup("kate")
    stack.signup("liam")
    team = owner.post("/api/teams/", json={"name": "Lab"}).json()["id"]
    owner.post(f"/api/teams/{team}/members/", json={"username": "liam", "role": "editor"})
    template = {"team": team, "template": "router-basic"}
    graph = owner.post("/api/graphs/", json=template).json()["id"]

    kate, liam = log_in("kate"), log_in("liam")
    for page in (kate, liam):
        open_graph(page, stack, graph)
    others = kate.get_by_role("list", name="Also here")
    expect(others.get_by_title("liam (editor) is viewing")).to_be_visible()

    node(liam, "math").click()
    liam.get_by_label("System prompt").fill("You are a number theorist.")
    expect(others.get_by_title("liam (editor) is editing")).to_be_visible()
    shoot(kate, "11-presence")
    liam.keyboard.press("Control+s")

    notice = kate.get_by_role("status").filter(has_text="liam saved version 2")
    expect(notice).to_be_visible()
    notice.get_by_role("button", name="Load version 2").click()
    expect(kate.get_by_test_id("version")).to_have_text("v2")
