"""Typed readers of environment variables: the one way ``workers/`` and ``webapp/`` read settings.

It lives in ``workers/`` because both layers may import it (``webapp/`` imports ``workers/``,
never the reverse; see CONTRIBUTING.md), while ``graphs/`` reads no environment at all: what it
needs from the server (the webhook tools' access, ``graphs.tools.webhook.WebhookAccess``) is
handed in by the process that runs it.

Every reader reads the environment when called, strips the value, treats an empty value as unset
(``default``), and raises ``SettingsError`` naming the variable when the value cannot be used, so
a typo stops the process instead of silently falling back to a default.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

TRUE_SPELLINGS = frozenset({"1", "true", "yes", "on"})
FALSE_SPELLINGS = frozenset({"0", "false", "no", "off"})

Number = TypeVar("Number", int, float)


class SettingsError(ValueError):
    """An environment variable is missing or holds a value that cannot be used; the message names
    the variable."""


def env_raw(name: str) -> str:
    """The variable's value, stripped; ``""`` when unset."""
    return os.environ.get(name, "").strip()


def env_str(name: str, default: str | None = None) -> str:
    """The value; ``default`` when unset. Raises ``SettingsError`` when both are missing."""
    raw = env_raw(name)
    if raw:
        return raw
    if default is None:
        raise SettingsError(f"environment variable {name} must be set")
    return default


def env_bool(name: str, default: bool) -> bool:
    """``1/true/yes/on`` or ``0/false/no/off`` (any case); ``default`` when unset. Raises
    ``SettingsError`` for any other spelling."""
    raw = env_raw(name).lower()
    if not raw:
        return default
    if raw in TRUE_SPELLINGS:
        return True
    if raw in FALSE_SPELLINGS:
        return False
    raise SettingsError(f"{name} must be one of true/false/1/0/yes/no/on/off, got {raw!r}")


def env_int(name: str, default: int, *, low: int | None = None, high: int | None = None) -> int:
    """An integer; ``default`` when unset. Raises ``SettingsError`` when it is not an integer or
    lies outside ``[low, high]`` (either bound optional)."""
    return _number(name, default, int, "an integer", low, high)


def env_float(
    name: str, default: float, *, low: float | None = None, high: float | None = None
) -> float:
    """A number; ``default`` when unset. Raises ``SettingsError`` when it is not a number or lies
    outside ``[low, high]`` (either bound optional)."""
    return _number(name, default, float, "a number", low, high)


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list (blank items dropped); ``default`` when unset."""
    raw = env_raw(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str) -> Path | None:
    """A path (``~`` expanded); None when unset."""
    raw = env_raw(name)
    return Path(raw).expanduser() if raw else None


def env_secret(name: str) -> str | None:
    """The value exactly as set (a secret is passed on unstripped); None when unset."""
    return os.environ.get(name)


def load_dotenv(path: Path) -> None:
    """Read ``KEY=value`` lines of ``path`` (when it exists) into the environment. Variables
    already set win, so the real environment always overrides the file. Raises ``SettingsError``
    naming the file and line of a line that is not ``NAME=value``."""
    if not path.is_file():
        return
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        if not sep or not name.strip().isidentifier():
            raise SettingsError(f"{path}:{number}: expected NAME=value, got {line!r}")
        os.environ.setdefault(name.strip(), value.strip().strip("'\""))


def _number(
    name: str,
    default: Number,
    parse: Callable[[str], Number],
    what: str,
    low: float | None,
    high: float | None,
) -> Number:
    raw = env_raw(name)
    if not raw:
        return default
    try:
        value = parse(raw)
    except ValueError:
        raise SettingsError(f"{name} must be {what}, got {raw!r}") from None
    if low is not None and high is not None and not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, got {value}")
    if low is not None and value < low:
        raise SettingsError(f"{name} must be at least {low}, got {value}")
    if high is not None and value > high:
        raise SettingsError(f"{name} must be at most {high}, got {value}")
    return value
