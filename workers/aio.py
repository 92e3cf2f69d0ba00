"""One asyncio event loop per process, in a daemon thread, for synchronous callers (Celery tasks).

Node executors and backends are async, and a backend may keep loop-bound state (the transformers
backend batches concurrent calls of one loop into one forward pass), so every task of a worker
process runs its coroutines on this same loop rather than on a fresh ``asyncio.run`` loop each.
The thread starts on first use, so a forking pool starts it in each child, never in the parent.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None


def loop() -> asyncio.AbstractEventLoop:
    """The process's background loop, started on the first call."""
    global _loop
    with _lock:
        if _loop is None or _loop.is_closed():
            new_loop = asyncio.new_event_loop()
            threading.Thread(
                target=new_loop.run_forever, name="octograph-asyncio", daemon=True
            ).start()
            _loop = new_loop
        return _loop


def run(coroutine: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
    """Run ``coroutine`` on the background loop and wait for its result (or exception).

    Must not be called from the loop's own thread (it would wait on itself). Raises
    ``TimeoutError`` after ``timeout`` seconds, cancelling the coroutine.
    """
    future = asyncio.run_coroutine_threadsafe(coroutine, loop())
    try:
        return future.result(timeout)
    except TimeoutError:
        future.cancel()
        raise
