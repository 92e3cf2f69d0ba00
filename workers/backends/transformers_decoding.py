"""Decoding a batch of generate requests of one transformers model together, on its torch
thread: one loop over a left-padded batch with a shared KV cache, every row with its own
sampling settings, end of sequence, stop strings and LoRA adapter, streaming its own deltas.

Ids past the base vocabulary (functional tokens) are masked in every row except a router row's
``<nexa_end>``, so workers never emit functional tokens.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphs.runtime import BackendError, Chunk, FinishReason, GenerateRequest
from workers.backends.incremental_text import IncrementalText
from workers.backends.transformers_inputs import (
    adapter_names_kwargs,
    chat_prompt_ids,
    padding_id,
)
from workers.left_padding import PaddedInputs, left_pad_token_ids
from workers.model_cache import LoadedModel

log = logging.getLogger(__name__)


@dataclass(eq=False)
class GenerateRow:
    """One generate request in flight: its queue of chunks (or one exception) for the caller."""

    request: GenerateRequest
    adapter: Path | None
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[Chunk | BaseException] = field(default_factory=asyncio.Queue)
    cancelled: threading.Event = field(default_factory=threading.Event)

    def emit(self, item: Chunk | BaseException) -> None:
        """Hand ``item`` to the caller's event loop; callable from any thread."""
        try:
            self.loop.call_soon_threadsafe(self.queue.put_nowait, item)
        except RuntimeError:  # the caller's loop is closed: nobody is listening any more
            self.cancelled.set()


class _RowState:
    """Per-row decoding state on the torch thread: sampling, counts and incremental text."""

    def __init__(
        self, row: GenerateRow, prompt: list[int], max_new: int, tokenizer: Any, end_id: int | None
    ) -> None:
        """``end_id``: a router row's ``<nexa_end>``, the one functional token it may emit, which
        ends it like an end-of-sequence token."""
        import torch

        params = row.request.params
        self.row = row
        self.prompt = prompt
        self.max_new = max_new
        self.params = params
        seed = params.seed if params.seed is not None else secrets.randbits(63)
        self.generator = torch.Generator().manual_seed(seed)
        self.text = IncrementalText(tokenizer, params.stop)
        self.tokens_out = 0
        self.done = max_new == 0
        self.end_id = end_id

    def finish(self, reason: FinishReason) -> None:
        self.done = True
        self.row.emit(
            Chunk(
                text=self.text.flush(),
                done=True,
                tokens_in=len(self.prompt),
                tokens_out=self.tokens_out,
                finish_reason=reason,
            )
        )


def decode_batch(loaded: LoadedModel, rows: list[GenerateRow], eos_ids: frozenset[int]) -> int:
    """Decode ``rows`` together; stream each row's chunks; return the tokens generated.

    Shapes: ``input_ids``/``attention_mask``/``position_ids`` are [batch, longest prompt] with
    prompts left-padded (so every row's next token is at the last position), then [batch, 1] per
    step. Failures before decoding fail only their row; a failure while decoding fails every
    unfinished row of the batch.
    """
    tokenizer = loaded.tokenizer
    max_positions = getattr(loaded.model.config, "max_position_embeddings", None)
    states: list[_RowState] = []
    adapters: list[Path | None] = []
    for row in rows:
        try:
            if row.adapter is not None:
                # Attach now so a bad adapter fails only this row (and, for a router, before its
                # functional tokens are needed to tokenize the prefix).
                loaded.adapter_name(row.adapter)
            prompt = chat_prompt_ids(loaded, row.request.messages, row.request.prefix)
            max_new = row.request.params.max_tokens
            if max_positions is not None:
                if len(prompt) >= max_positions:
                    raise BackendError(
                        f"prompt is {len(prompt)} tokens; model {loaded.key!r} takes at most "
                        f"{max_positions}"
                    )
                max_new = min(max_new, max_positions - len(prompt))
        except BackendError as exc:
            row.emit(exc)
            continue
        except Exception as exc:  # anything else must still reach the caller, not hang it
            log.exception("preparing a row failed for model %s", loaded.key)
            row.emit(BackendError(f"model {loaded.key!r} cannot take this request: {exc}"))
            continue
        meta = loaded.router_meta(row.adapter) if row.adapter is not None else None
        end_id = meta.end_id if meta is not None else None
        states.append(_RowState(row, prompt, max_new, tokenizer, end_id))
        adapters.append(row.adapter)
    for state in states:
        if state.done:
            state.finish("length")  # no room for a single token
    if all(s.done for s in states):
        return 0

    try:
        _decode_loop(loaded, states, adapters, eos_ids)
    except Exception as exc:
        log.exception("decoding failed for model %s", loaded.key)
        error = BackendError(f"model {loaded.key!r} failed while generating: {exc}")
        for state in states:
            if not state.done:
                state.done = True
                state.row.emit(error)
    return sum(s.tokens_out for s in states)


def _decode_loop(
    loaded: LoadedModel,
    states: list[_RowState],
    adapters: list[Path | None],
    eos_ids: frozenset[int],
) -> None:
    """Prefill then decode step by step until every row is done (see ``decode_batch``)."""
    import torch

    pad_id = padding_id(loaded, eos_ids)
    batch = len(states)
    inputs = left_pad_token_ids([s.prompt for s in states], pad_id)
    next_position = inputs["position_ids"][:, -1:] + 1  # [batch, 1]
    extra = adapter_names_kwargs(loaded, adapters)
    model = loaded.model
    cache = None

    with torch.inference_mode():
        while True:
            # logits_to_keep=1: only the last position's logits, [batch, 1, vocab]
            out = model(**inputs, past_key_values=cache, use_cache=True, logits_to_keep=1, **extra)
            cache = out.past_key_values
            logits = out.logits[:, -1, :].float()  # [batch, vocab]
            if loaded.has_functional_tokens:
                mask_functional(logits, states, loaded.base_vocab)
            greedy = logits.argmax(dim=-1).tolist()
            next_tokens: list[int] = []
            for i, state in enumerate(states):
                if state.done or state.row.cancelled.is_set():
                    state.done = True
                    next_tokens.append(pad_id)
                    continue
                token = greedy[i] if state.params.temperature == 0 else _sample(logits[i], state)
                next_tokens.append(token)
                _advance(state, token, eos_ids)
            if all(s.done for s in states):
                return
            # Finished rows keep feeding padding: rows never attend to each other, so their
            # tokens cannot change the other rows' results.
            ones = torch.ones((batch, 1), dtype=torch.long)
            inputs = PaddedInputs(
                input_ids=torch.tensor(next_tokens, dtype=torch.long).unsqueeze(1),
                attention_mask=torch.cat([inputs["attention_mask"], ones], dim=1),
                position_ids=next_position,
            )
            next_position = next_position + 1


def mask_functional(logits: Any, states: Sequence[_RowState], base_vocab: int) -> None:
    """In place on ``logits`` [batch, vocab]: no row may sample ids >= ``base_vocab`` (functional
    tokens, reserved rows), except a router row its ``<nexa_end>``."""
    ends = [
        (i, s.end_id, logits[i, s.end_id].item())
        for i, s in enumerate(states)
        if s.end_id is not None
    ]
    logits[:, base_vocab:] = float("-inf")
    for i, end_id, value in ends:
        logits[i, end_id] = value


def _advance(state: _RowState, token: int, eos_ids: frozenset[int]) -> None:
    """Account for one sampled token: stream its text, finish on EOS (``eos``), a stop string
    (``stop``) or ``max_new`` tokens (``length``)."""
    if token in eos_ids or token == state.end_id:
        state.finish("eos")
        return
    state.tokens_out += 1
    delta, stopped = state.text.add(token)
    if stopped or state.tokens_out >= state.max_new:
        if delta:
            state.row.emit(Chunk(text=delta))
        state.finish("stop" if stopped else "length")
    elif delta:
        state.row.emit(Chunk(text=delta))


def _sample(logits: Any, state: _RowState) -> int:
    """Sample one token id from ``logits`` [vocab] (float32) with temperature and top-p."""
    import torch

    probs = torch.softmax(logits / state.params.temperature, dim=-1)
    if state.params.top_p < 1:
        sorted_probs, order = torch.sort(probs, descending=True)
        # Keep the smallest prefix whose mass reaches top_p (the first token always stays).
        outside = sorted_probs.cumsum(-1) - sorted_probs >= state.params.top_p
        sorted_probs[outside] = 0
        pick = torch.multinomial(sorted_probs, 1, generator=state.generator)
        return int(order[pick])
    return int(torch.multinomial(probs, 1, generator=state.generator))
