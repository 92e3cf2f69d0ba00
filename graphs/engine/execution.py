"""Running one node: its executor under a time limit, retrying errors marked transient.

Shared by every driver, so a node behaves the same in-process and on a Celery worker.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from graphs import model_loading
from graphs.nodes.base import NodeContext, NodeResult
from graphs.nodes.registry import NODE_KINDS
from graphs.runtime import BackendError, TransientBackendError

RETRY_BACKOFF_S = 0.5


class NodeFailure(Exception):
    """A node failed for good. ``code``: timeout | transient | backend | internal."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class NodeOutcome:
    result: NodeResult
    latency_ms: float
    attempts: int


async def execute_node(context: NodeContext, *, backoff_s: float = RETRY_BACKOFF_S) -> NodeOutcome:
    """Run ``context.node`` to completion.

    Each attempt is limited to the node's ``timeout_s``; a ``TransientBackendError`` is retried up
    to ``retries`` times, waiting ``backoff_s * 2**attempt`` between attempts. Raises
    ``NodeFailure`` when the node cannot complete; ``asyncio.CancelledError`` passes through.
    Model hosts' loading reports become the node's ``model.loading`` / ``model.loaded`` events
    (``graphs.model_loading``).
    """
    with (
        model_loading.node_reporter(context.emit) as reporter,
        model_loading.reporting(reporter),
    ):
        return await _attempts(context, backoff_s)


async def _attempts(context: NodeContext, backoff_s: float) -> NodeOutcome:
    kind = NODE_KINDS[context.node.kind]
    timeout = getattr(context.config, "timeout_s", None)
    retries = getattr(context.config, "retries", 0)
    started = time.perf_counter()
    attempt = 0
    while True:
        attempt += 1
        try:
            result = await asyncio.wait_for(kind.execute(context), timeout)
        except TimeoutError:
            raise NodeFailure(f"timed out after {timeout:g} s", "timeout") from None
        except TransientBackendError as error:
            if attempt > retries:
                raise NodeFailure(
                    f"{error} (gave up after {attempt} attempts)", "transient"
                ) from error
            await asyncio.sleep(backoff_s * 2 ** (attempt - 1))
            continue
        except BackendError as error:
            raise NodeFailure(str(error), "backend") from error
        except Exception as error:  # an executor bug must fail the node, not the whole driver
            raise NodeFailure(f"{type(error).__name__}: {error}", "internal") from error
        latency_ms = (time.perf_counter() - started) * 1000
        return NodeOutcome(result=result, latency_ms=round(latency_ms, 3), attempts=attempt)
