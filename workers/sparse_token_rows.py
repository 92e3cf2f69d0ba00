"""Apply a router adapter's trained token rows without copying the whole vocabulary matrix.

peft's ``TrainableTokensLayer`` applies an adapter's trained rows by building a full copy of
the embedding (and, tied to it, the vocabulary projection) with ``index_copy`` on *every*
forward pass: for SmolLM2 that is two 49k x 576 copies, measured at about a third of a
functional-token routing decision on CPU. The rows it changes are a handful, so the same result
comes cheaper:

- embedding: look the tokens up in the base matrix, then overwrite the positions holding a
  trained token with that token's trained row;
- vocabulary projection: project onto the base matrix, then recompute just the trained tokens'
  columns from their trained rows.

``install`` swaps this in for one layer's ``forward_adapters`` when exactly one adapter is active
(what a routing decision and every mixed-batch sub-batch use); any other case, and layers this
does not know how to handle, keep peft's own implementation.
"""

from __future__ import annotations

import types
from typing import Any


def install(token_layer: Any) -> None:
    """Route ``token_layer.forward_adapters`` (a peft ``TrainableTokensLayer``) through
    ``_forward_adapters``; idempotent."""
    if getattr(token_layer, "_sparse_rows_installed", False):
        return
    token_layer._peft_forward_adapters = token_layer.forward_adapters
    token_layer.forward_adapters = types.MethodType(_forward_adapters, token_layer)
    token_layer._sparse_rows_installed = True


def _forward_adapters(layer: Any, x: Any, active_adapters: Any, *args: Any, **kwargs: Any) -> Any:
    import torch

    adapters = list(active_adapters or ())
    sparse = (
        len(adapters) == 1
        and not layer.disable_adapters
        and not layer.merged
        and not args
        and not kwargs
        and layer._get_embed_scale() is None
    )
    base = layer.base_layer
    if not sparse or not isinstance(base, torch.nn.Embedding | torch.nn.Linear):
        return layer._peft_forward_adapters(x, active_adapters, *args, **kwargs)
    (adapter,) = adapters
    index = torch.tensor(layer.token_indices[adapter], device=base.weight.device)
    rows = layer.trainable_tokens_delta[adapter].to(base.weight)
    if isinstance(base, torch.nn.Embedding):
        result = base(x)
        hits = torch.isin(x, index)
        if bool(hits.any()):
            position = (x[hits].unsqueeze(-1) == index).int().argmax(dim=-1)
            result[hits] = rows[position].to(result.dtype)
        return result
    bias = None if base.bias is None else base.bias[index]
    result = base(x)
    result[..., index] = torch.nn.functional.linear(x, rows, bias).to(result.dtype)
    return result
