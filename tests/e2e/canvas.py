"""Driving the editor's canvas from Playwright: nodes, palette drops, edges."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect


def node(page: Page, node_id: str) -> Locator:
    return page.locator(f'.react-flow__node[data-id="{node_id}"]')


def drop_from_palette(page: Page, kind: str, x: float, y: float) -> None:
    """Drag a palette item onto the canvas, at (x, y) from the canvas's top-left corner."""
    page.locator(f'.palette-item[data-kind="{kind}"]').drag_to(
        page.locator(".react-flow__pane"), target_position={"x": x, "y": y}
    )


def centre(locator: Locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not visible"
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drag_edge(page: Page, source: str, target: str) -> None:
    """Press on the source's output port, move onto the target's input port, and hold there
    (the caller releases the mouse)."""
    page.mouse.move(*centre(node(page, source).locator(".react-flow__handle.source")))
    page.mouse.down()
    page.mouse.move(*centre(node(page, target).locator(".react-flow__handle.target")), steps=12)


def connect(page: Page, source: str, target: str) -> None:
    drag_edge(page, source, target)
    page.mouse.up()
    expect(page.locator(f'.react-flow__edge[data-id="{source}->{target}"]')).to_have_count(1)


def wait_for_canvas(page: Page) -> None:
    """Wait until the editor has drawn the graph it opened (its canvas says it is ready)."""
    expect(page.locator('[data-canvas-ready="true"]')).to_be_visible()


def open_new_graph(page: Page) -> None:
    page.get_by_role("button", name="New graph").click()
    wait_for_canvas(page)
    expect(page.get_by_test_id("version")).to_have_text("v1")
