"""``functional_tokens.json``: what a router adapter folder says about its functional tokens.

Written by the trainer, read by the model cache when the adapter is attached to a shared base
(to extend the shared tokenizer and embedding matrix) and by the backend when routing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphs.functional_tokens import END_TOKEN
from graphs.runtime import BackendError
from workers.routing.dataset import RouteTarget

ROUTER_META = "functional_tokens.json"


@dataclass(frozen=True)
class RouterMeta:
    """``token_ids`` maps ``<nexa_end>`` and each ``<nexa_k>`` to its id, laid out after the
    ``base_vocab`` tokens of the base tokenizer (``graphs.functional_tokens``);
    ``max_query_tokens`` is how long the queries it was trained on were cut."""

    base_vocab: int
    token_ids: dict[str, int]
    max_query_tokens: int

    @property
    def end_id(self) -> int:
        return self.token_ids[END_TOKEN]


def write_router_meta(
    folder: Path,
    *,
    base_key: str,
    link: Mapping[str, str] | None,
    base_vocab: int,
    token_ids: Mapping[str, int],
    targets: Sequence[RouteTarget],
    training: Mapping[str, Any],
) -> None:
    """Write ``functional_tokens.json`` into ``folder``: the base model's catalog key, the graph
    and router node it was trained for (``link``), the token layout, the targets, and
    ``training`` (the settings and results of the run)."""
    meta = {
        "format": 1,
        "base_model": base_key,
        "trained_for": dict(link or {}),
        "base_vocab": base_vocab,
        "token_ids": dict(token_ids),
        "targets": [
            {"token": t.token, "edge": t.edge, "target": t.target, "description": t.description}
            for t in targets
        ],
        "training": dict(training),
    }
    (folder / ROUTER_META).write_text(json.dumps(meta, indent=2) + "\n")


def read_router_meta(folder: Path) -> RouterMeta | None:
    """The meta of the router adapter in ``folder``; None for a plain LoRA adapter.

    Raises ``BackendError`` naming the file when it is unreadable.
    """
    path = folder / ROUTER_META
    if not path.is_file():
        return None
    try:
        raw = json.loads(path.read_text())
        return RouterMeta(
            base_vocab=int(raw["base_vocab"]),
            token_ids={str(k): int(v) for k, v in raw["token_ids"].items()},
            max_query_tokens=int(raw.get("training", {}).get("max_query_tokens", 256)),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BackendError(f"unreadable router adapter metadata {path}: {exc}") from exc
