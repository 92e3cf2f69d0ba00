"""How a run looks in a terminal: progress and streamed tokens on stderr, the answer on stdout."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any, TextIO

from graphs.events import Event, EventType


def print_event_json(event: Event, out: TextIO = sys.stdout) -> None:
    """One event as one JSON line (``--events``)."""
    out.write(json.dumps(event.to_json(), ensure_ascii=False) + "\n")
    out.flush()


class TerminalView:
    """Writes a readable live view of a run: the images it started with, models being loaded, a
    header when another node starts streaming, its tokens as they arrive, what CLIP sees, router
    decisions, tool calls and failures. Everything goes to ``out``."""

    def __init__(self, out: TextIO = sys.stderr) -> None:
        self.out = out
        self._streaming: str | None = None

    def __call__(self, event: Event) -> None:
        if event.type is EventType.RUN_STARTED:
            for number, image in enumerate(event.data["input"].get("images", ()), start=1):
                size = f"{image['width']}x{image['height']}"
                self._line(f"[input] image {number}: {size} {image['media_type']}\n")
        elif event.type is EventType.MODEL_LOADING:
            self._line(f"[{event.node}] {loading_text(event.data)}\n")
        elif event.type is EventType.MODEL_LOADED:
            model, seconds = event.data["model"], event.data["seconds"]
            self._line(f"[{event.node}] model {model} loaded in {seconds:.1f} s\n")
        elif event.type is EventType.NODE_DELTA:
            if event.node != self._streaming:
                self._line(f"[{event.node}] ")
                self._streaming = event.node
            self.out.write(event.data["text"])
        elif event.type is EventType.ROUTER_DECISION:
            scores = ", ".join(f"{t} {p:.2f}" for t, p in event.data["scores"].items())
            self._line(f"[{event.node}] -> {event.data['target']} ({scores})\n")
        elif event.type is EventType.CLIP_RESULT:
            seen = ", ".join(
                f"{i['label']} {i['probability']:.2f}" for i in event.data["labels"][:3]
            )
            self._line(f"[{event.node}] sees {seen}\n")
        elif event.type is EventType.TOOL_CALL:
            arguments = event.data["arguments"]
            shown = (
                event.data["raw"]
                if arguments is None
                else ", ".join(
                    f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in arguments.items()
                )
            )
            self._line(f"[{event.node}] calls {event.data['name']}({shown})\n")
        elif event.type is EventType.TOOL_RESULT and "output" in event.data:
            self._line(f"[{event.node}] = {event.data['output']}\n")
        elif event.type is EventType.NODE_FAILED:
            self._line(f"[{event.node}] failed: {event.data['error']}\n")
        elif event.type is EventType.NODE_SKIPPED:
            self._line(f"[{event.node}] skipped: {event.data['reason']}\n")
        self.out.flush()

    def end_line(self) -> None:
        """Close a line of streamed tokens, so what follows starts on a line of its own."""
        if self._streaming is not None:
            self.out.write("\n")
            self.out.flush()
            self._streaming = None

    def _line(self, text: str) -> None:
        self.end_line()
        self.out.write(text)


def loading_text(data: Mapping[str, Any]) -> str:
    """``loading model smollm2-135m-instruct… 50%`` (``converting model …`` while converting;
    no percentage when the host does not know it), from a ``model.loading`` event's data."""
    verb = "converting" if data["stage"] == "converting" else "loading"
    progress = data.get("progress")
    shown = "" if progress is None else f" {round(progress * 100)}%"
    return f"{verb} model {data['model']}…{shown}"
