"""What a loaded transformers model's forward pass is given, shared by decoding and scoring:
chat prompt ids, the padding id, the end-of-sequence ids and per-row adapter names.

All of it runs on the model's torch thread (``LoadedModel.executor``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from graphs.runtime import BackendError, Message
from workers.model_cache import BASE_ADAPTER, LoadedModel


def padding_id(loaded: LoadedModel, eos_ids: frozenset[int] = frozenset()) -> int:
    """The tokenizer's padding id, else the lowest end-of-sequence id, else 0."""
    pad_id = loaded.tokenizer.pad_token_id
    if pad_id is not None:
        return int(pad_id)
    eos = eos_ids or end_of_sequence_ids(loaded)
    return min(eos) if eos else 0


def end_of_sequence_ids(loaded: LoadedModel) -> frozenset[int]:
    """Every id that ends a turn: the tokenizer's EOS and the generation config's (int or list)."""
    ids: set[int] = set()
    candidates = [
        loaded.tokenizer.eos_token_id,
        getattr(getattr(loaded.model, "generation_config", None), "eos_token_id", None),
        getattr(loaded.model.config, "eos_token_id", None),
    ]
    for value in candidates:
        if isinstance(value, int):
            ids.add(value)
        elif isinstance(value, list | tuple):
            ids.update(v for v in value if isinstance(v, int))
    return frozenset(ids)


def chat_prompt_ids(
    loaded: LoadedModel, messages: Sequence[Message], prefix: str = ""
) -> list[int]:
    """Token ids of ``messages`` rendered by the model's chat template, assistant turn opened
    and started with ``prefix``."""
    tokenizer = loaded.tokenizer
    try:
        text = tokenizer.apply_chat_template(
            [m.to_dict() for m in messages], add_generation_prompt=True, tokenize=False
        )
    except Exception as exc:  # e.g. a base model without a chat template
        raise BackendError(
            f"model {loaded.key!r} cannot format a chat: {type(exc).__name__}: {exc}"
        ) from exc
    # The template already wrote the BOS/role tokens; adding special tokens would double them.
    ids: list[int] = tokenizer(text + prefix, add_special_tokens=False).input_ids
    return ids


def adapter_names_kwargs(loaded: LoadedModel, adapters: Sequence[Path | None]) -> dict[str, Any]:
    """``adapter_names`` for one forward pass, attaching adapters as needed.

    Once any adapter is attached the model is a PeftModel whose *active* adapter would apply to
    every row, so base rows must say ``"__base__"`` explicitly.
    """
    names = [BASE_ADAPTER if a is None else loaded.adapter_name(a) for a in adapters]
    return {"adapter_names": names} if loaded.has_adapters else {}
