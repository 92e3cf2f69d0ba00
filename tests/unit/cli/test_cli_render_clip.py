"""The terminal view shows what a clip node saw: its three most probable labels."""

from __future__ import annotations

import io

from graphs.events import Event, EventType
from workers.cli.render import TerminalView


def test_the_terminal_shows_the_top_three_labels() -> None:
    out = io.StringIO()
    labels = [
        {"label": label, "probability": p, "similarity": 0.2}
        for label, p in (
            ("a plant", 0.81),
            ("a receipt", 0.07),
            ("a bicycle", 0.05),
            ("a cat", 0.01),
        )
    ]
    event = Event("r", 3, "t", EventType.CLIP_RESULT, "see", {"labels": labels, "top": "a plant"})

    TerminalView(out)(event)

    assert out.getvalue() == "[see] sees a plant 0.81, a receipt 0.07, a bicycle 0.05\n"
