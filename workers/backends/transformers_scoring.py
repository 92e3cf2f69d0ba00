"""Scoring of one transformers model in batches, on its torch thread: concurrent ``score`` and
``route`` jobs share ONE forward pass over their left-padded prompts (on a 2-core CPU a batch of
8 router decisions costs about a third of 8 single ones).

``score`` reads each candidate's first token at the first answer position; ``route`` reads the
router adapter's candidate ``<nexa_k>`` tokens at that position (functional tokens, see
``workers.model_cache``). Both are renormalised over the candidates.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from graphs.functional_tokens import token_name
from graphs.prompts import functional_token_messages
from graphs.runtime import BackendError, Message
from workers.backends.transformers_inputs import (
    adapter_names_kwargs,
    chat_prompt_ids,
    padding_id,
)
from workers.left_padding import left_pad_token_ids
from workers.model_cache import LoadedModel

log = logging.getLogger(__name__)

ScorePrompt = Callable[[], tuple[Sequence[Message], Sequence[str]]]


@dataclass(eq=False)
class ScoreJob:
    """One ``score`` or ``route`` call waiting for a scoring batch. ``prepare`` runs on the torch
    thread (it may attach the adapter) and returns the messages and candidate strings; it raises
    ``BackendError`` for a request that cannot be scored."""

    prepare: ScorePrompt
    adapter: Path | None
    future: Future[list[float]] = field(default_factory=Future)


def route_prompt(
    loaded: LoadedModel, query: str, tokens: Sequence[int], ref: str, adapter: Path
) -> tuple[Sequence[Message], Sequence[str]]:
    """The functional-token prompt of ``query`` (cut as the router was trained) and the names
    of the candidate ``<nexa_k>`` tokens. Raises ``BackendError`` when the adapter is not a
    router or lacks one of ``tokens``."""
    # Attaching first registers the adapter's functional tokens with the shared tokenizer.
    loaded.adapter_name(adapter)
    meta = loaded.router_meta(adapter)
    if meta is None:
        raise BackendError(
            f"adapter {ref!r} is not a functional-token router (no functional_tokens.json "
            "in it): train one with `octograph train-router GRAPH --router NODE`"
        )
    names = [token_name(k) for k in tokens]
    missing = [name for name in names if name not in meta.token_ids]
    if missing:
        raise BackendError(
            f"router adapter {ref!r} has no {', '.join(missing)}: the router's edges changed "
            "since it was trained; retrain it"
        )
    ids = loaded.tokenizer(query, add_special_tokens=False).input_ids
    if len(ids) > meta.max_query_tokens:  # as the router was trained
        query = loaded.tokenizer.decode(ids[: meta.max_query_tokens]).strip()
    return functional_token_messages(query), names


@dataclass
class _ScoreRow:
    job: ScoreJob
    prompt: list[int]
    first_ids: list[int]


def score_batch(loaded: LoadedModel, jobs: list[ScoreJob]) -> None:
    """Score ``jobs`` in one forward pass over their left-padded prompts and resolve each
    job's future: the probability of each candidate's first token at the first answer position,
    renormalised over the candidates. A job that cannot be prepared fails alone; a failing
    forward pass fails the batch."""
    import torch

    rows: list[_ScoreRow] = []
    for job in jobs:
        try:
            messages, candidates = job.prepare()
            first_ids = _first_token_ids(loaded, candidates)
            rows.append(_ScoreRow(job, chat_prompt_ids(loaded, messages), first_ids))
        except BackendError as exc:
            job.future.set_exception(exc)
        except Exception as exc:  # anything else must still reach the caller, not hang it
            log.exception("preparing a scoring job failed for model %s", loaded.key)
            job.future.set_exception(
                BackendError(f"model {loaded.key!r} cannot score this request: {exc}")
            )
    if not rows:
        return
    try:
        inputs = left_pad_token_ids([row.prompt for row in rows], padding_id(loaded))
        extra = adapter_names_kwargs(loaded, [row.job.adapter for row in rows])
        with torch.inference_mode():
            out = loaded.model(**inputs, logits_to_keep=1, use_cache=False, **extra)
        logits = out.logits[:, -1].float()  # [batch, vocab]
    except Exception as exc:
        log.exception("scoring failed for model %s", loaded.key)
        error = BackendError(f"model {loaded.key!r} failed while scoring: {exc}")
        for row in rows:
            row.job.future.set_exception(error)
        return
    for i, row in enumerate(rows):
        # Renormalising softmax over the whole vocabulary to the candidates equals a softmax
        # over the candidates' logits.
        chosen = logits[i, torch.tensor(row.first_ids)]
        row.job.future.set_result([float(p) for p in torch.softmax(chosen, dim=-1)])


def _first_token_ids(loaded: LoadedModel, candidates: Sequence[str]) -> list[int]:
    """Each candidate's first token id. Raises ``BackendError`` for an empty candidate or two
    candidates that start with the same token."""
    seen: dict[int, str] = {}
    for candidate in candidates:
        ids = loaded.tokenizer(candidate, add_special_tokens=False).input_ids if candidate else []
        if not ids:
            raise BackendError(f"candidate {candidate!r} has no tokens")
        if ids[0] in seen:
            token = loaded.tokenizer.convert_ids_to_tokens(ids[0])
            raise BackendError(
                f"candidates {seen[ids[0]]!r} and {candidate!r} both start with token "
                f"{token!r}; scoring needs candidates whose first tokens differ"
            )
        seen[ids[0]] = candidate
    return list(seen)
