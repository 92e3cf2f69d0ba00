"""Router adapters shipped with Octograph in ``workers/adapters/``, as their
``functional_tokens.json`` describes them (what they route to and how well they did on their
held-out validation split). Reads JSON only: safe to import from the web app."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from graphs.runtime import BackendError
from workers.routing.adapter_meta import ROUTER_META

PACKAGED_ADAPTERS = Path(__file__).resolve().parents[1] / "adapters"
"""Adapters shipped with Octograph (e.g. ``router-mmlu17`` of the ``octopus-v4-mmlu`` template)."""


@dataclass(frozen=True)
class ShippedRouterAdapter:
    """A shipped router adapter: its ``name`` (the folder, as a router node's ``adapter``), the
    catalog key of its ``base_model``, its ``targets`` (one functional token each), and its
    validation figures: accuracy on the ``validation_examples`` held out from training (None
    when the file records none) and how many ``train_examples`` it learned from."""

    name: str
    base_model: str
    targets: int
    val_accuracy: float | None
    train_examples: int
    validation_examples: int


def shipped_router_adapters(folder: Path = PACKAGED_ADAPTERS) -> list[ShippedRouterAdapter]:
    """Every adapter folder under ``folder`` with a ``functional_tokens.json``, by name (plain
    LoRA adapters are left out). Raises ``BackendError`` naming the file when one is unreadable."""
    found = sorted(path for path in folder.glob(f"*/{ROUTER_META}") if path.is_file())
    return [_read(path) for path in found]


def _read(path: Path) -> ShippedRouterAdapter:
    try:
        raw = json.loads(path.read_text())
        training = raw.get("training", {})
        accuracy = training.get("val_accuracy")
        return ShippedRouterAdapter(
            name=path.parent.name,
            base_model=str(raw["base_model"]),
            targets=len(raw["targets"]),
            val_accuracy=None if accuracy is None else float(accuracy),
            train_examples=int(training["train_examples"]),
            validation_examples=int(training["validation_examples"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BackendError(f"unreadable router adapter metadata {path}: {exc}") from exc
