"""Training a router from its inspector: the progress bar fills live, the trained adapter is
offered and "Use this adapter" sets the router's mode and adapter as an undoable edit."""

from __future__ import annotations

import re

import pytest
from canvas import node
from playwright.sync_api import expect
from studio import LogIn, Shoot, open_template

pytestmark = pytest.mark.e2e


def test_training_a_router_from_the_inspector_offers_the_adapter(
    new_user: LogIn, shoot: Shoot
) -> None:
    page = new_user("tara")
    open_template(page, "Router with three experts")
    node(page, "router").click()
    section = page.get_by_role("region", name="Train router")
    start = section.get_by_role("button", name="Start training")

    # Unsaved changes block training: it uses the saved version.
    page.get_by_label("Label").fill("Dispatcher")
    expect(start).to_be_disabled()
    expect(section.get_by_test_id("train-blocker")).to_have_text(
        "Save your changes first: training uses the saved version."
    )
    page.keyboard.press("Control+z")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(start).to_be_enabled()

    section.get_by_label("Epochs").fill("4")
    section.get_by_label("Examples per edge").fill("10")
    start.click()
    bar = section.get_by_role("progressbar", name="Training progress")
    progress = section.get_by_test_id("training-progress")
    # 3 edges x 10 examples, 8 held out: 22 to train on, 3 batches per epoch, 4 epochs.
    expect(progress).to_contain_text(re.compile(r"Step \d+/12"))
    expect(progress).to_contain_text("ETA")
    shoot(page, "40-training-progress")

    expect(section.get_by_test_id("training-status")).to_contain_text("completed")
    expect(bar).to_have_attribute("aria-valuenow", "100")
    expect(progress).to_contain_text("Step 12/12")
    expect(progress).to_contain_text("val acc 100.0%")
    use = section.get_by_role("button", name="Use this adapter")
    expect(use).to_be_visible()
    shoot(page, "41-training-completed")

    use.click()
    adapter = re.compile(r"router-basic-router-t\d+|router-with-three-experts-router-t\d+")
    expect(page.get_by_label("Routing mode")).to_have_value("functional-token")
    expect(page.get_by_label("Adapter", exact=True)).to_have_value(adapter)
    expect(page.get_by_label(re.compile(r"^Router adapter"))).to_have_value(adapter)
    expect(section).to_contain_text("This router uses adapter")
    # A normal edit: undo takes it back.
    page.keyboard.press("Control+z")
    expect(page.get_by_label("Routing mode")).to_have_value("in-context")
    expect(section.get_by_role("button", name="Use this adapter")).to_be_visible()
