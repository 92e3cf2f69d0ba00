"""Validation problems: errors users can act on, each naming the node or edge and the field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a graph spec.

    ``code`` is stable (clients may switch on it); ``message`` is for people. ``node`` / ``edge``
    name the offending element's id and ``field`` the path inside it (``config.temperature``).
    """

    code: str
    message: str
    node: str | None = None
    edge: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = []
        if self.node is not None:
            where.append(f"node '{self.node}'")
        if self.edge is not None:
            where.append(f"edge '{self.edge}'")
        if self.field is not None:
            where.append(self.field)
        prefix = ": ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message

    def to_dict(self) -> dict[str, str]:
        data = {"code": self.code, "message": self.message}
        for key in ("node", "edge", "field"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data


class SpecError(ValueError):
    """Raised when a graph spec is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ConfigError(ValueError):
    """Raised by a node config's ``__post_init__``: ``field`` is the config key that is wrong."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")
