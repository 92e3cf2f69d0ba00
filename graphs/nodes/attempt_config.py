"""How each attempt of a node that calls a model or a service is bounded: its time limit and retry
budget (``ExecutionSettings``, which ``graphs.engine.execution`` enforces), and the check of a
required text setting those kinds share."""

from __future__ import annotations

from dataclasses import dataclass

from graphs.problems import ConfigError

DEFAULT_TIMEOUT_S = 300.0
MAX_RETRIES = 5


@dataclass(frozen=True, kw_only=True)
class ExecutionSettings:
    """``timeout_s``: seconds one attempt may take; ``retries``: extra attempts after an error the
    backend marks as transient (connection lost, rate limited)."""

    timeout_s: float = DEFAULT_TIMEOUT_S
    retries: int = 2

    def __post_init__(self) -> None:
        if not 0 < self.timeout_s <= 3600:
            raise ConfigError("timeout_s", "must be more than 0 and at most 3600 seconds")
        if not 0 <= self.retries <= MAX_RETRIES:
            raise ConfigError("retries", f"must be between 0 and {MAX_RETRIES}")


def require_text(field: str, value: str) -> None:
    """Raise ``ConfigError`` when a required text setting is blank."""
    if not value.strip():
        raise ConfigError(field, "must not be empty")
