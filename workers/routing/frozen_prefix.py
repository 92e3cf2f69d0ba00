"""Reuse the frozen lower layers' work across epochs when LoRA trains only the top layers.

With LoRA on the last ``k`` decoder layers only, the hidden state that leaves layer ``n - k - 1``
depends on the input tokens alone, as long as the input holds no trainable token row: true of
decision-only examples (the functional token is the *label*, never an input). ``FrozenPrefix``
computes those hidden states once, and then runs just the top ``k`` layers (plus the final norm
and the vocabulary projection) on them, every epoch: the same loss and gradients as a full pass
at a fraction of the compute.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class _Captured(Exception):
    """Stops a forward pass once the frozen part's output is captured."""


class FrozenPrefix:
    """Hidden states below the trainable top ``trainable_layers`` layers of a peft-wrapped
    decoder-only model whose layers live at ``<base>.model.layers`` (Llama, Qwen, SmolLM...)."""

    def __init__(self, peft_model: Any, trainable_layers: int) -> None:
        self._model = peft_model
        self._decoder = peft_model.get_base_model().model
        count = len(self._decoder.layers)
        if not 0 < trainable_layers < count:
            raise ValueError(f"trainable_layers must be between 1 and {count - 1}")
        self._boundary = count - trainable_layers

    def hidden_states(self, input_ids: Any, attention_mask: Any, position_ids: Any) -> Any:
        """The output of the last frozen layer, [batch, length, hidden], without gradients."""
        import torch

        captured: list[Any] = []

        def capture(_module: Any, _inputs: Any, output: Any) -> None:
            captured.append(output[0] if isinstance(output, tuple) else output)
            raise _Captured

        hook = self._decoder.layers[self._boundary - 1].register_forward_hook(capture)
        try:
            with torch.no_grad():
                self._model(
                    input_ids=input_ids, attention_mask=attention_mask, position_ids=position_ids
                )
        except _Captured:
            pass
        finally:
            hook.remove()
        return captured[0]

    @contextmanager
    def top_layers_only(self) -> Iterator[None]:
        """Within the block, a forward pass given ``inputs_embeds`` (hidden states from
        ``hidden_states``) runs only the trainable top layers."""
        import torch

        layers = self._decoder.layers
        self._decoder.layers = torch.nn.ModuleList(list(layers)[self._boundary :])
        try:
            yield
        finally:
            self._decoder.layers = layers
