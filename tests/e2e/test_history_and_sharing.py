"""Versions, their diff on the canvas, restore, share links, and problems from the server."""

from __future__ import annotations

import json

import pytest
from canvas import connect, drop_from_palette, node, open_new_graph, wait_for_canvas
from live_stack import LiveStack
from playwright.sync_api import Browser, expect
from studio import LogIn, Shoot, open_template

pytestmark = pytest.mark.e2e


def test_a_version_diff_is_drawn_on_the_canvas_and_the_old_version_can_be_restored(
    new_user: LogIn, shoot: Shoot
) -> None:
    page = new_user("bob")
    open_template(page, "Router with three experts")
    expect(page.get_by_test_id("version")).to_have_text("v1")

    node(page, "code").click()
    page.get_by_label("System prompt").fill("You write Rust.")
    page.keyboard.press("Control+s")
    expect(page.get_by_test_id("version")).to_have_text("v2")

    page.get_by_role("button", name="History").click()
    first = (
        page.get_by_role("complementary", name="Version history")
        .get_by_role("listitem")
        .filter(has_text="v1")
    )
    first.get_by_role("button", name="Compare").click()
    banner = page.get_by_role("status").filter(has_text="Comparing")
    expect(banner).to_contain_text("Comparing v1 → v2: 0 added, 0 removed, 1 changed")
    expect(node(page, "code").locator(".octo-node")).to_have_class(
        "octo-node kind-model diff-changed"
    )
    changes = page.get_by_role("list", name="Changes")
    expect(changes).to_have_text(
        'node code: config.system: "You are an expert programmer. Answer with correct, '
        'idiomatic code and a short note." → "You write Rust."'
    )
    shoot(page, "05-version-diff")
    page.get_by_role("button", name="Back to editing").click()

    first.get_by_role("button", name="Restore").click()
    expect(page.get_by_test_id("version")).to_have_text("v3")
    node(page, "code").click()
    expect(page.get_by_label("System prompt")).to_have_value(
        "You are an expert programmer. Answer with correct, idiomatic code and a short note."
    )


def test_an_exported_spec_file_is_imported_as_a_new_graph(stack: LiveStack, log_in: LogIn) -> None:
    api = stack.signup("gina")
    template = next(t for t in api.get("/api/templates/").json() if t["name"] == "router-basic")
    page = log_in("gina")
    page.get_by_label("Import JSON file").set_input_files(
        files=[
            {
                "name": "experts.json",
                "mimeType": "application/json",
                "buffer": json.dumps(template["spec"]).encode(),
            }
        ]
    )
    expect(page.get_by_label("Graph name")).to_have_value("Router with three experts")
    expect(page.get_by_test_id("version")).to_have_text("v1")
    for expert in ("math", "code", "writing"):
        expect(node(page, expert)).to_be_visible()


def test_graphs_are_renamed_found_by_search_and_forked(new_user: LogIn, shoot: Shoot) -> None:
    page = new_user("erin")
    open_new_graph(page)
    page.get_by_label("Graph name").fill("Experts on call")
    page.get_by_label("Graph name").press("Enter")
    page.get_by_role("link", name="Octograph").click()
    open_new_graph(page)
    page.get_by_role("link", name="Octograph").click()

    page.get_by_label("Search graphs").fill("experts")
    rows = page.locator(".graph-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Experts on call")
    shoot(page, "08-graph-list-search")
    rows.get_by_label("Fork Experts on call into").select_option(label="erin (personal)")
    expect(page.get_by_label("Graph name")).to_have_value("Experts on call (fork)")


def test_a_public_link_shows_the_version_until_it_is_revoked(
    new_user: LogIn, shoot: Shoot, browser: Browser
) -> None:
    page = new_user("carol")
    open_new_graph(page)
    page.get_by_label("Graph name").fill("Shared graph")
    page.get_by_label("Graph name").press("Enter")
    page.get_by_role("button", name="Share").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("listitem").filter(has_text="carol (you)")).to_be_visible()
    dialog.get_by_role("button", name="Create a link to v1").click()
    url = dialog.get_by_label("Link to v1").input_value()
    shoot(page, "06-share-dialog")

    # Anyone with the link, signed in or not, sees that version read-only.
    visitor = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    visitor.goto(url)
    expect(visitor.get_by_text("Shared graph")).to_be_visible()
    expect(visitor.get_by_text("v1 · read-only")).to_be_visible()
    expect(node(visitor, "input")).to_be_visible()
    shoot(visitor, "07-shared-link")

    dialog.get_by_role("button", name="Revoke").click()
    expect(dialog.get_by_text("revoked")).to_be_visible()
    visitor.reload()
    expect(visitor.get_by_text("This link was revoked, or never existed.")).to_be_visible()
    visitor.context.close()


def test_problems_the_server_finds_are_shown_on_the_nodes_they_name(
    new_user: LogIn, shoot: Shoot
) -> None:
    page = new_user("dave")
    open_new_graph(page)
    box = page.locator(".react-flow__pane").bounding_box()
    assert box is not None, "the canvas is not visible"
    drop_from_palette(page, "router", box["width"] * 0.4, box["height"] * 0.75)
    connect(page, "input", "router-1")

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("problem")
    router = node(page, "router-1").locator(".octo-node")
    expect(router).to_have_class("octo-node kind-router selected has-problems")
    page.locator(".react-flow__pane").click(position={"x": 10, "y": 10})
    problems = page.get_by_role("list", name="Problems")
    expect(problems).to_contain_text("a router needs outgoing edges")
    shoot(page, "09-server-problems")
    expect(page.get_by_test_id("version")).to_contain_text("v1")


def test_a_member_added_to_a_team_as_viewer_sees_its_graph_read_only(
    stack: LiveStack, log_in: LogIn, shoot: Shoot
) -> None:
    stack.signup("henry")
    stack.signup("ivy")
    page = log_in("ivy")
    page.get_by_role("button", name="New team").click()
    page.get_by_label("Team name").fill("Research")
    page.get_by_role("button", name="Create team").click()
    expect(page.get_by_label("Team", exact=True)).to_contain_text("Research (owner)")
    open_new_graph(page)

    page.get_by_role("button", name="Share").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Username to add").fill("henry")
    dialog.get_by_label("Role", exact=True).select_option("viewer")
    dialog.get_by_role("button", name="Add", exact=True).click()
    expect(dialog.get_by_label("Role of henry")).to_have_value("viewer")
    shoot(page, "10-team-members")

    viewer = log_in("henry")
    viewer.goto(page.url)
    wait_for_canvas(viewer)
    expect(viewer.get_by_role("button", name="Save", exact=True)).to_have_count(0)
    expect(viewer.get_by_role("complementary", name="Node palette")).to_have_count(0)
