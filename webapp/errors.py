"""Domain errors raised by services and selectors: a stable ``code`` and a human ``message``.

The API's exception handler (``webapp.api.errors``) turns them into ``{"code", "message", ...}``
bodies; ``details`` adds JSON-ready fields to that body. Services never build HTTP responses.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base class. Subclasses set the default ``code``; the API maps each subclass to a status."""

    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details


class Invalid(DomainError):
    """The request is well-formed but its content cannot be accepted (HTTP 400)."""


class NotFound(DomainError):
    """The object does not exist *or the actor may not know that it does* (HTTP 404)."""

    code = "not_found"


class Forbidden(DomainError):
    """The actor can see the object but their role does not allow this action (HTTP 403)."""

    code = "permission_denied"


class Conflict(DomainError):
    """The action clashes with the current state, e.g. a taken slug (HTTP 409)."""

    code = "conflict"


class Unavailable(DomainError):
    """A service the action needs (the task queue) cannot be reached right now and nothing was
    done, so the same request may simply be sent again (HTTP 503, with a ``Retry-After`` of
    ``retry_after_s`` seconds)."""

    code = "unavailable"
    retry_after_s = 5
