"""`octograph run --image PATH`: images validated into the run's input, refusals one clear line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.image_files import encoded, png_header_only
from tests.octograph_cli import calculator_graph, octograph


def run_with_images(tmp_path: Path, *images: str, events: bool = False) -> Any:
    options = [option for image in images for option in ("--image", image)]
    if events:
        options.append("--events")
    return octograph("run", calculator_graph(tmp_path), "--input", "6 * 7", *options)


def test_images_go_into_the_run_and_its_first_event(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(encoded("JPEG", (2048, 1024)))
    icon = tmp_path / "icon.webp"
    icon.write_bytes(encoded("WEBP", (64, 64)))

    done = run_with_images(tmp_path, str(photo), str(icon), events=True)

    assert done.returncode == 0, done.stderr
    started = json.loads(done.stdout.splitlines()[0])
    images = started["data"]["input"]["images"]
    assert [(i["media_type"], i["width"], i["height"]) for i in images] == [
        ("image/jpeg", 1024, 512),
        ("image/jpeg", 64, 64),
    ]


def test_the_terminal_view_lists_the_images(tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(encoded("PNG", (300, 200)))

    done = run_with_images(tmp_path, str(photo))

    assert done.returncode == 0, done.stderr
    assert "[input] image 1: 300x200 image/jpeg" in done.stderr
    assert done.stdout.strip() == "6 * 7 = 42"


def test_a_bad_image_is_one_clear_line_and_nothing_runs(tmp_path: Path) -> None:
    huge = tmp_path / "huge.png"
    huge.write_bytes(png_header_only(20000, 20000))
    notes = tmp_path / "notes.png"
    notes.write_text("not an image")

    too_big = run_with_images(tmp_path, str(huge))
    not_image = run_with_images(tmp_path, str(notes))
    missing = run_with_images(tmp_path, str(tmp_path / "gone.png"))

    assert (too_big.returncode, too_big.stdout) == (1, "")
    assert too_big.stderr == (
        f"error: image 1 ({huge}) is 20000x20000 pixels (400.0 megapixels); "
        "the limit is 50.0 megapixels\n"
    )
    assert not_image.stderr == f"error: image 1 ({notes}) is not a PNG, JPEG, WebP or GIF image\n"
    assert missing.stderr == (
        f"error: image 1 ({tmp_path / 'gone.png'}) cannot be read: No such file or directory\n"
    )


def test_at_most_four_images(tmp_path: Path) -> None:
    photo = tmp_path / "photo.gif"
    photo.write_bytes(encoded("GIF", (10, 10)))

    done = run_with_images(tmp_path, *[str(photo)] * 5)

    assert (done.returncode, done.stderr) == (1, "error: a run takes at most 4 images, got 5\n")
