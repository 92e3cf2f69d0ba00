"""Model-loading reports: how a model host tells the node waiting on it that a model is loading.

The first use of a model in a process converts and loads it (tens of seconds for a GGUF model)
while its node has streamed nothing yet. A host calls ``report(LoadReport(...))`` as the load
moves on; ``execute_node`` (``graphs.engine.execution``) installs, for each node, a reporter
that turns the reports into that node's ``model.loading`` / ``model.loaded`` events.

The reporter travels in a ``ContextVar`` rather than through ``ModelClient``: requests are plain
data that cross process boundaries, and a context follows the node's task into
``asyncio.to_thread`` where hosts load models. A report made outside any node (a warm-up, a
benchmark) goes nowhere. A load that fails reports nothing more: the node's failure follows.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Literal

LoadStage = Literal["converting", "loading", "loaded"]
"""``converting``: turning the weights into a format that loads fast (once per cache);
``loading``: reading them into memory; ``loaded``: ready (the last report of a load)."""


@dataclass(frozen=True)
class LoadReport:
    """Where the load of ``model`` (a catalog key) stands.

    ``progress``: the fraction of the current stage done, in [0, 1], when the host knows it.
    ``seconds``: with stage ``loaded``, how long the whole load took.
    """

    model: str
    stage: LoadStage
    progress: float | None = None
    seconds: float | None = None

    def __post_init__(self) -> None:
        if self.progress is not None and not 0 <= self.progress <= 1:
            raise ValueError(f"progress must be in [0, 1], got {self.progress}")
        if (self.seconds is not None) != (self.stage == "loaded"):
            raise ValueError("seconds comes with the loaded stage, and only with it")

    def event(self) -> tuple[str, dict[str, Any]]:
        """The node event it becomes: ``("model.loading", {model, stage, progress})`` or
        ``("model.loaded", {model, seconds})``."""
        if self.stage == "loaded":
            assert self.seconds is not None
            return "model.loaded", {"model": self.model, "seconds": round(self.seconds, 3)}
        return "model.loading", {
            "model": self.model,
            "stage": self.stage,
            "progress": self.progress,
        }


Reporter = Callable[[LoadReport], None]
"""Receives reports, from any thread. A host must not fail a load because nobody is left to
tell, so a reporter drops what it can no longer deliver rather than raise."""

_reporter: ContextVar[Reporter | None] = ContextVar("model_loading_reporter", default=None)


def current_reporter() -> Reporter | None:
    """The reporter of the node this code runs for, if any."""
    return _reporter.get()


def report(load: LoadReport) -> None:
    """Tell the node this code runs for (if any) where the load stands."""
    reporter = _reporter.get()
    if reporter is not None:
        reporter(load)


@contextmanager
def reporting(reporter: Reporter | None) -> Iterator[None]:
    """Send the reports made in this context (and in tasks and threads started from it, which
    copy the context) to ``reporter`` until the block ends."""
    token = _reporter.set(reporter)
    try:
        yield
    finally:
        _reporter.reset(token)


@contextmanager
def node_reporter(emit: Callable[[str, dict[str, Any]], None]) -> Iterator[Reporter]:
    """A reporter turning reports into events through ``emit`` (a node's ``NodeContext.emit``),
    always called on the running event loop so that events keep their order: a report made on
    the loop is emitted at once, one made in another thread is handed to the loop. Reports made
    after the block ends, or once the loop is closed, are dropped. Must be entered on the loop.
    """
    loop = asyncio.get_running_loop()
    open_ = True

    def emit_now(load: LoadReport) -> None:
        if open_:
            emit(*load.event())

    def reporter(load: LoadReport) -> None:
        try:
            on_loop = asyncio.get_running_loop() is loop
        except RuntimeError:  # no loop in this thread
            on_loop = False
        if on_loop:
            emit_now(load)
            return
        with suppress(RuntimeError):  # the loop closed while the host was still loading
            loop.call_soon_threadsafe(emit_now, load)

    try:
        yield reporter
    finally:
        open_ = False
