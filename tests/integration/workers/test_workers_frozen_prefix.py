"""Training from stored hidden states equals training through the whole model (real SmolLM2).

With LoRA on the top layers only, a decision-only batch's loss and gradients computed from the
frozen layers' stored output must match a full forward/backward pass: that is what makes the
cheap path a faithful one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from workers.routing.dataset import Example
from workers.routing.frozen_prefix import FrozenPrefix
from workers.routing.trainer import _batch_loss, _Encoder, _store_hidden_states, _stored_batch_loss

pytestmark = pytest.mark.slow

QUERIES = (
    "What is two plus two?",
    "Who wrote Hamlet, and when was it first performed on stage?",
    "Define entropy.",
)


def test_stored_hidden_states_give_the_full_pass_loss_and_gradients(smollm2_folder: Path) -> None:
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(smollm2_folder))
    model = AutoModelForCausalLM.from_pretrained(str(smollm2_folder), dtype=torch.float32)
    names = ["<nexa_end>", "<nexa_0>", "<nexa_1>"]
    tokenizer.add_tokens(names, special_tokens=True)
    model.resize_token_embeddings(len(tokenizer), mean_resizing=False)
    layers = model.config.num_hidden_layers
    peft_model = get_peft_model(
        model,
        LoraConfig(
            r=4,
            target_modules=["q_proj", "v_proj"],
            layers_to_transform=list(range(layers - 4, layers)),
            trainable_token_indices={"embed_tokens": tokenizer.convert_tokens_to_ids(names)},
            init_lora_weights=False,  # non-zero LoRA weights, so the top layers really differ
            task_type="CAUSAL_LM",
        ),
    )
    encoder = _Encoder(tokenizer, max_query_tokens=32)
    items = [encoder.example(Example(q, i % 2, q), rewrite=False) for i, q in enumerate(QUERIES)]
    frozen = FrozenPrefix(peft_model, trainable_layers=4)
    stored = _store_hidden_states(frozen, items, range(len(items)), encoder.pad_id)
    trainable = [p for p in peft_model.parameters() if p.requires_grad]

    def loss_and_gradients(compute: Callable[[], Any]) -> tuple[float, list[Any]]:
        peft_model.zero_grad()
        loss = compute()
        loss.backward()
        return float(loss.detach()), [p.grad.clone() for p in trainable]

    full_loss, full_grads = loss_and_gradients(
        lambda: _batch_loss(peft_model, items, encoder.pad_id)
    )
    stored_loss, stored_grads = loss_and_gradients(
        lambda: _stored_batch_loss(
            peft_model, frozen, [stored[i] for i in range(len(items))], [t for _, t in items]
        )
    )

    assert stored_loss == pytest.approx(full_loss, rel=1e-5)
    for full, cheap in zip(full_grads, stored_grads, strict=True):
        assert torch.allclose(full, cheap, rtol=1e-3, atol=1e-4)
    assert len(peft_model.get_base_model().model.layers) == layers  # restored after the pass
