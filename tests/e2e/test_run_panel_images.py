"""Images in the run panel: attach them with the file picker, by pasting and by dropping, see the
studio refuse a file that is not an image in the server's words, remove one, run, and find the
run's images in the run view (served by the API) and in its replay; and an uploaded image
classified by the octopus-v3-agent template's CLIP node, its ranking shown on the canvas."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from canvas import node
from playwright.sync_api import JSHandle, Page, expect
from studio import (
    LogIn,
    Shoot,
    expect_run_status,
    open_run_tab,
    open_template,
    replay_latest_run,
    submit_query,
)

from tests.image_files import encoded

pytestmark = pytest.mark.e2e


def _transfer(page: Page, name: str, data: bytes, media_type: str) -> JSHandle:
    """A ``DataTransfer`` holding one file, as a drop or a paste carries it."""
    return page.evaluate_handle(
        """([name, bytes, type]) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([new Uint8Array(bytes)], name, { type }));
            return transfer;
        }""",
        [name, list(data), media_type],
    )


def test_images_attached_in_the_run_panel_go_with_the_run_and_show_in_its_view(
    new_user: LogIn, shoot: Shoot, tmp_path: Path
) -> None:
    page = new_user("ines")
    open_template(page, "Router with three experts")
    open_run_tab(page)
    attachments = page.locator(".attachment")

    picked = tmp_path / "red.png"
    picked.write_bytes(encoded("PNG", (1600, 1200), color=(220, 30, 30)))
    page.get_by_label("Attach images").set_input_files(picked)
    expect(attachments).to_have_count(1)

    notes = tmp_path / "notes.png"
    notes.write_text("not an image at all")
    page.get_by_label("Attach images").set_input_files(notes)
    expect(page.get_by_role("alert")).to_have_text(
        "image 2 (notes.png) is not a PNG, JPEG, WebP or GIF image"
    )
    expect(attachments).to_have_count(1)

    blue = _transfer(page, "blue.gif", encoded("GIF", (64, 48), color=(20, 40, 220)), "image/gif")
    page.locator(".run-composer").dispatch_event("drop", {"dataTransfer": blue})
    expect(attachments).to_have_count(2)
    green = _transfer(page, "green.jpg", encoded("JPEG", (300, 200), color=(20, 200, 60)), "")
    page.get_by_label("Query").evaluate(
        "(box, transfer) => box.dispatchEvent("
        "new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true }))",
        green,
    )
    expect(attachments).to_have_count(3)
    expect(page.get_by_role("alert")).to_have_count(0)
    page.get_by_role("button", name="Remove image 2 (blue.gif)").click()
    expect(attachments).to_have_count(2)
    shoot(page, "30-run-images-attached")

    submit_query(page, "What is in these pictures?")

    expect_run_status(page, "completed")
    shown = page.get_by_label("Run images").get_by_role("img")
    expect(shown).to_have_count(2)
    expect(shown.first).to_have_attribute("src", re.compile(r"^/api/runs/\d+/images/1/$"))
    expect(shown.first).to_have_attribute("alt", "image 1: 1024\u00d7768 JPEG")
    expect(shown.nth(1)).to_have_attribute("alt", "image 2: 300\u00d7200 JPEG")
    sizes = shown.evaluate_all("all => all.map(image => [image.naturalWidth, image.complete])")
    assert sizes == [[1600, True], [300, True]]  # the originals, as uploaded
    shoot(page, "31-run-images-in-the-run")

    replay_latest_run(page)
    open_run_tab(page)
    expect(page.get_by_label("Run images").get_by_role("img")).to_have_count(2)


def test_an_image_uploaded_in_the_run_panel_is_classified_by_clip_on_the_canvas(
    new_user: LogIn, shoot: Shoot, tmp_path: Path
) -> None:
    page = new_user("cleo")
    open_template(page, "Octopus v3 agent (image + text)")
    open_run_tab(page)
    photo = tmp_path / "bottle.jpg"
    photo.write_bytes(encoded("JPEG", (1200, 900), color=(40, 120, 200)))
    page.get_by_label("Attach images").set_input_files(photo)
    expect(page.locator(".attachment")).to_have_count(1)

    submit_query(page, "Where does this go?")

    see = node(page, "see")
    expect(see.locator(".octo-node")).to_have_class(re.compile(r"\brun-done\b"))
    # The fake CLIP ranks the template's eight labels; the node shows its best three.
    label = r"a [a-z ]+ \d+(\.\d)?%"
    ranking = see.get_by_test_id("clip-result")
    expect(ranking).to_have_text(re.compile(rf"^{label}, {label}, {label}$"))
    expect(ranking).to_have_attribute(
        "title", re.compile(r"a plastic bottle .*a train ticket|a train ticket .*a plastic bottle")
    )
    expect_run_status(page, re.compile("completed|failed"))
    expect(page.get_by_label("Run images").get_by_role("img")).to_have_count(1)
    shoot(page, "32-run-image-clip-on-canvas")
