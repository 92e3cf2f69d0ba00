"""The terminal view says when a node waits for its model to convert or load, and how long the
load took."""

from __future__ import annotations

import io

from graphs.events import Event, EventType
from workers.cli.render import TerminalView


def shown(*events: Event) -> str:
    out = io.StringIO()
    view = TerminalView(out)
    for event in events:
        view(event)
    return out.getvalue()


def test_the_terminal_shows_the_load_of_a_model_then_its_tokens() -> None:
    model = "smollm2-135m-instruct"
    text = shown(
        Event(
            "r",
            2,
            "t",
            EventType.MODEL_LOADING,
            "a",
            {"model": model, "stage": "converting", "progress": None},
        ),
        Event(
            "r",
            3,
            "t",
            EventType.MODEL_LOADING,
            "a",
            {"model": model, "stage": "loading", "progress": 0.5},
        ),
        Event("r", 4, "t", EventType.MODEL_LOADED, "a", {"model": model, "seconds": 38.24}),
        Event("r", 5, "t", EventType.NODE_DELTA, "a", {"text": "Hi"}),
    )

    assert text == (
        f"[a] converting model {model}…\n"
        f"[a] loading model {model}… 50%\n"
        f"[a] model {model} loaded in 38.2 s\n"
        "[a] Hi"
    )
