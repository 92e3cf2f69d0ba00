"""Left padding of a batch of sequences of different lengths, for decoder-only models.

Left padding puts every row's last token at the last position, so one ``logits_to_keep`` slice
holds each row's next-token logits; positions count real tokens only, so a padded row sees the
same positions as alone. Used by the transformers backend (decoding, scoring) and by router
training. torch is imported when called, never at import.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypedDict


def left_pad(rows: Sequence[Any], fill: float) -> tuple[Any, Any, Any]:
    """Tensors [length_i, ...] left-padded with ``fill`` into one [batch, longest, ...] tensor
    of their dtype, with ``attention_mask`` and ``position_ids`` (both [batch, longest], long).
    ``rows`` must not be empty."""
    import torch

    longest = max(row.shape[0] for row in rows)
    padded = rows[0].new_full((len(rows), longest, *rows[0].shape[1:]), fill)
    attention = torch.zeros((len(rows), longest), dtype=torch.long)
    for i, row in enumerate(rows):
        padded[i, longest - row.shape[0] :] = row
        attention[i, longest - row.shape[0] :] = 1
    return padded, attention, (attention.cumsum(-1) - 1).clamp(min=0)


class PaddedInputs(TypedDict):
    """A decoder-only model's keyword arguments for a left-padded batch, each [batch, longest]."""

    input_ids: Any
    attention_mask: Any
    position_ids: Any


def left_pad_token_ids(prompts: Sequence[list[int]], pad_id: int) -> PaddedInputs:
    """``left_pad`` of the token ids of ``prompts`` (long, ``pad_id`` as padding), ready to pass
    to the model as ``model(**inputs, ...)``."""
    import torch

    input_ids, attention_mask, position_ids = left_pad(
        [torch.tensor(prompt, dtype=torch.long) for prompt in prompts], pad_id
    )
    return PaddedInputs(
        input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids
    )
