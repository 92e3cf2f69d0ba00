"""What every tool gives back, and how it fails."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphs.runtime import BackendError, TransientBackendError


class ToolError(BackendError):
    """A tool could not do its job: bad arguments, an impossible computation, a failed webhook.

    The message is shown to the user as the node's error (the engine reports it like a model
    backend's error: the node fails with code ``backend``).
    """


class TransientToolError(ToolError, TransientBackendError):
    """A failure worth retrying (the webhook's server unreachable, busy or timing out); the node
    retries it as many times as its ``retries`` setting allows."""


@dataclass(frozen=True)
class ToolOutput:
    """A tool's result: ``value`` is JSON data for the trace, ``text`` what flows downstream."""

    value: Any
    text: str
