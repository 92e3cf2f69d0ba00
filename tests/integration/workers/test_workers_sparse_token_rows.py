"""The sparse application of trained token rows gives peft's results (tiny random Llama)."""

from __future__ import annotations

from typing import Any

import pytest

from workers import sparse_token_rows

torch = pytest.importorskip("torch")

VOCAB, TRAINED = 64, [60, 61, 62]


def tiny_router_model(adapters: tuple[str, ...]) -> Any:
    """A tied-embedding Llama with trainable rows ``TRAINED`` in each adapter, random deltas."""
    from peft import LoraConfig, PeftModel, get_peft_model
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=VOCAB,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        tie_word_embeddings=True,
    )
    lora = LoraConfig(
        r=4,
        target_modules=["q_proj", "v_proj"],
        trainable_token_indices={"embed_tokens": TRAINED},
        init_lora_weights=False,
    )
    model: Any = get_peft_model(LlamaForCausalLM(config), lora, adapter_name=adapters[0])
    for name in adapters[1:]:
        model.add_adapter(name, lora)
    for parameter_name, parameter in model.named_parameters():
        if "trainable_tokens_delta" in parameter_name:
            torch.nn.init.normal_(parameter)
    assert isinstance(model, PeftModel)
    return model.eval()


def logits(model: Any, ids: list[list[int]], **kwargs: Any) -> Any:
    with torch.inference_mode():
        return model(input_ids=torch.tensor(ids), **kwargs).logits


def install_everywhere(model: Any) -> int:
    """Install on every trainable-token layer; return how many now use the sparse forward."""
    from peft.utils.other import TrainableTokensWrapper

    layers = [m.token_adapter for m in model.modules() if isinstance(m, TrainableTokensWrapper)]
    for layer in layers:
        sparse_token_rows.install(layer)
    return sum(
        layer.forward_adapters.__func__ is sparse_token_rows._forward_adapters for layer in layers
    )


def test_single_adapter_logits_match_peft_with_trained_tokens_in_the_input() -> None:
    model = tiny_router_model(("router",))
    ids = [[1, 5, 60, 9, 62], [3, 61, 61, 2, 4]]  # trained tokens as inputs, and as outputs
    expected = logits(model, ids)

    assert install_everywhere(model) == 2  # the embedding and the tied vocabulary projection
    got = logits(model, ids)

    assert torch.allclose(got, expected, atol=1e-5)


def test_mixed_batches_keep_each_rows_adapter() -> None:
    model = tiny_router_model(("a", "b"))
    ids = [[1, 60, 7], [2, 61, 8], [3, 62, 9]]
    names = ["a", "b", "a"]
    expected = logits(model, ids, adapter_names=names)

    install_everywhere(model)
    got = logits(model, ids, adapter_names=names)

    assert torch.allclose(got, expected, atol=1e-5)
    # the two adapters' trained rows really differ, so a row given the wrong ones would show
    assert not torch.allclose(got[0], logits(model, ids, adapter_names=["b"] * 3)[0], atol=1e-3)
