"""Run images as the engine carries them: validation of the record, JSON round trip, and what
the run's first event shows of them."""

from __future__ import annotations

import pytest

from graphs import load_spec
from graphs.engine.scheduler import Scheduler
from graphs.images import RunImage
from graphs.nodes.base import RunInput
from tests.unit.graphs.compact_specs import spec_json

PNG = b"\x89PNG\r\n\x1a\n fake but non-empty"


def test_run_input_round_trips_its_images_through_json() -> None:
    run_input = RunInput("what is this?", (RunImage("image/png", PNG, 4, 3),))

    again = RunInput.from_json(run_input.to_json())

    assert again == run_input
    assert again.images[0].summary()["bytes"] == len(PNG)


def test_text_only_input_keeps_its_old_json_shape() -> None:
    assert RunInput("hi").to_json() == {"text": "hi"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("image/bmp", PNG, 1, 1), "unsupported image type 'image/bmp'"),
        (("image/png", b"", 1, 1), "the image is empty"),
        (("image/png", PNG, 0, 1), "invalid image size 0x1"),
    ],
)
def test_bad_image_records_are_refused_naming_the_problem(args: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RunImage(*args)


def test_malformed_json_image_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="malformed run image"):
        RunImage.from_json({"media_type": "image/png", "data": "not base64!", "width": 1})


def test_at_most_four_images() -> None:
    image = RunImage("image/png", PNG, 1, 1)
    with pytest.raises(ValueError, match="at most 4 images"):
        RunInput("x", (image,) * 5)


def test_the_run_started_event_shows_image_summaries_never_their_bytes() -> None:
    image = RunImage("image/png", PNG, 4, 3)
    spec = load_spec(spec_json([("q", "input", {}), ("out", "output", {})], [("q", "out")]))

    _, (started,) = Scheduler(spec).begin(RunInput("what is this?", (image,)))

    assert started.data["input"] == {"text": "what is this?", "images": [image.summary()]}
    assert RunInput("hi").summary() == {"text": "hi"}
