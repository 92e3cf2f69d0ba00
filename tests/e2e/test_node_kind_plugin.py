"""A node kind defined outside graphs/nodes/ (tests/node_kinds_extra.py, registered by the live
stack through OCTOGRAPH_EXTRA_NODE_KINDS) reaches the palette and gets an inspector form
generated from its config's JSON Schema, with no front-end code of its own."""

from __future__ import annotations

import pytest
from canvas import drop_from_palette, node, open_new_graph
from playwright.sync_api import expect
from studio import LogIn

pytestmark = pytest.mark.e2e


def test_a_plugin_kind_is_in_the_palette_with_a_generated_inspector_form(new_user: LogIn) -> None:
    page = new_user("nils")
    open_new_graph(page)

    stamp = page.locator('.palette-item[data-kind="stamp"]')
    expect(stamp).to_contain_text("Stamps the text passing through (a test-only kind).")
    box = page.locator(".react-flow__pane").bounding_box()
    assert box is not None
    drop_from_palette(page, "stamp", box["width"] * 0.5, box["height"] * 0.6)
    node(page, "stamp-1").click()

    form = page.get_by_label("Settings")
    expect(form.get_by_label("Stamp")).to_have_attribute("placeholder", "checked")
    expect(form.get_by_label("Repeat")).to_have_attribute("placeholder", "1")
    expect(form.get_by_label("Where")).to_have_value("before")
    expect(form.get_by_label("Shout")).not_to_be_checked()
    form.get_by_label("Where").select_option("after")
    expect(form.get_by_label("Where")).to_have_value("after")
