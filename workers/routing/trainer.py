"""Train a functional-token router: a LoRA adapter plus one new token per candidate.

``train_router`` is a plain function with a progress callback, so the CLI prints progress and a
Celery task can wrap it unchanged. Recipe (measured in MODELS.md): add ``<nexa_end>`` and
``<nexa_0..N-1>`` to the tokenizer in the shared layout of ``graphs.functional_tokens``, initialise
each ``<nexa_k>`` row to the mean embedding of its target's description (the default init learns
nothing in a few epochs), train LoRA on q/v projections with peft ``trainable_token_indices`` for
the new rows, and save with ``save_embedding_layers=False`` (a few MB instead of the whole
embedding matrix; the trained rows are saved as the adapter's token deltas).

The adapter folder holds: the peft adapter, the tokenizer with the functional tokens, and
``functional_tokens.json`` (``workers.routing.adapter_meta``) describing the tokens and the
candidates.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from graphs.functional_tokens import END_TOKEN, functional_token_names, token_name
from graphs.prompts import functional_token_messages
from workers.left_padding import left_pad, left_pad_token_ids
from workers.model_cache import BUILD_LOCK
from workers.routing.adapter_meta import write_router_meta
from workers.routing.dataset import Example, RouteTarget
from workers.routing.frozen_prefix import FrozenPrefix


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters of one training run (defaults: the MODELS.md recipe)."""

    epochs: int = 3
    batch_size: int = 8
    learning_rate: float = 1e-3
    lora_r: int = 8
    lora_alpha: int = 16
    lora_modules: tuple[str, ...] = ("q_proj", "v_proj")
    """The linear layers LoRA adapts, by module name."""
    lora_layers: int | None = None
    """LoRA on the last this many decoder layers only (None: every layer). Decision-only
    examples then pass the frozen layers below once (``FrozenPrefix``) and every epoch runs just
    the top layers on the stored hidden states: several epochs for the price of about one."""
    max_query_tokens: int = 256
    """Queries are cut to this many tokens, in the prompt and in the reformatted query."""
    eval_every: int = 0
    """Validate every this many steps (0: at the end of each epoch only)."""
    rewrite_fraction: float = 1.0
    """Share of training examples whose target includes the reformatted query; the others end at
    the functional token. The decision is one token while a rewrite of a long query is dozens, so
    on long queries (MMLU) most examples teach the decision alone at a fraction of the compute."""
    bf16_autocast: bool = False
    """Run forward/backward under CPU bfloat16 autocast (faster on CPUs with bf16 support)."""
    max_seconds: float | None = None
    """Stop training after this many seconds (a budget on a shared machine); the adapter is then
    validated and saved as usual. The learning-rate schedule still assumes every step."""
    seed: int = 0


@dataclass(frozen=True)
class TrainProgress:
    """Reported after every optimizer step. ``val_accuracy`` is the latest validation result
    (None before the first evaluation); ``eta_s`` extrapolates the mean step time so far."""

    step: int
    total_steps: int
    epoch: int
    loss: float
    val_accuracy: float | None
    elapsed_s: float
    eta_s: float


@dataclass(frozen=True)
class TrainReport:
    folder: Path
    steps: int
    seconds: float
    train_examples: int
    validation_examples: int
    val_accuracy: float | None


ProgressFn = Callable[[TrainProgress], None]


@dataclass(frozen=True)
class TrainJob:
    """One training to run: on ``train``, validated on ``validation``, into the adapter folder
    ``out``.

    ``base`` is a transformers model folder (``ModelStore.resolve(entry).location``) whose
    tokenizer has a chat template; ``base_key`` (its catalog key) and ``link`` (the graph and
    router node it is trained for) are recorded in the adapter's metadata. Raises ``ValueError``
    at construction for an empty training set or examples whose token has no target.
    """

    base: str | Path
    targets: Sequence[RouteTarget]
    train: Sequence[Example]
    validation: Sequence[Example]
    out: str | Path
    config: TrainConfig = TrainConfig()
    base_key: str = ""
    link: dict[str, str] | None = None

    def __post_init__(self) -> None:
        if not self.train:
            raise ValueError("the training set is empty")
        stray = {e.token for e in [*self.train, *self.validation]} - self.tokens
        if stray:
            raise ValueError(f"examples route to tokens {sorted(stray)} that no target has")

    @property
    def tokens(self) -> set[int]:
        """The candidates' functional-token numbers."""
        return {target.token for target in self.targets}

    def write_meta(
        self, *, base_vocab: int, token_ids: Mapping[str, int], training: Mapping[str, Any]
    ) -> None:
        """Write ``functional_tokens.json`` into the adapter folder ``out`` (which must exist):
        ``write_router_meta`` with this job's ``base_key``, ``link`` and ``targets``."""
        write_router_meta(
            Path(self.out),
            base_key=self.base_key,
            link=self.link,
            base_vocab=base_vocab,
            token_ids=token_ids,
            targets=self.targets,
            training=training,
        )


TrainFn = Callable[[TrainJob, ProgressFn | None], TrainReport]
"""How a training is run: ``train_router``, or ``FakeTrainer`` in tests. The progress callback is
called after every step and may raise to stop the training (nothing is saved then)."""


def train_router(job: TrainJob, progress: ProgressFn | None = None) -> TrainReport:
    """Run ``job``: train, validate, save its adapter folder (a ``TrainFn``)."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    base, targets, train, validation = job.base, job.targets, job.train, job.validation
    config, known = job.config, job.tokens
    torch.manual_seed(config.seed)

    tokenizer = AutoTokenizer.from_pretrained(str(base))
    with BUILD_LOCK:  # from_pretrained patches torch.nn.init process-wide (see model_cache)
        model = AutoModelForCausalLM.from_pretrained(str(base), dtype=torch.float32)
    base_vocab = len(tokenizer)
    names = functional_token_names(max(known) + 1)
    tokenizer.add_tokens(names, special_tokens=True)
    token_ids = {name: tokenizer.convert_tokens_to_ids(name) for name in names}
    model.resize_token_embeddings(len(tokenizer), mean_resizing=False)
    _init_new_rows(model, tokenizer, targets, token_ids)

    layer_count = model.config.num_hidden_layers
    top_layers = (
        None
        if config.lora_layers is None
        else list(range(layer_count - config.lora_layers, layer_count))
    )
    lora = LoraConfig(
        r=config.lora_r,
        lora_alpha=config.lora_alpha,
        lora_dropout=0.0,
        target_modules=list(config.lora_modules),
        layers_to_transform=top_layers,
        trainable_token_indices={"embed_tokens": list(token_ids.values())},
        task_type="CAUSAL_LM",
    )
    peft_model: Any = get_peft_model(model, lora)
    encoder = _Encoder(tokenizer, config.max_query_tokens)
    rng = random.Random(config.seed)
    encoded = [encoder.example(e, rewrite=rng.random() < config.rewrite_fraction) for e in train]
    started = time.perf_counter()
    frozen: FrozenPrefix | None = None
    stored: dict[int, Any] = {}
    if config.lora_layers is not None:
        frozen = FrozenPrefix(peft_model, config.lora_layers)
        decision_only = [i for i, (_, target) in enumerate(encoded) if len(target) == 1]
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=config.bf16_autocast):
            stored = _store_hidden_states(frozen, encoded, decision_only, encoder.pad_id)
    candidate_ids = [token_ids[token_name(t.token)] for t in targets]
    candidate_tokens = [t.token for t in targets]

    optimizer = torch.optim.AdamW(
        [p for p in peft_model.parameters() if p.requires_grad], lr=config.learning_rate
    )
    steps_per_epoch = sum(
        math.ceil(len(group) / config.batch_size) for group in _groups(encoded, stored)
    )
    total = steps_per_epoch * config.epochs
    warmup = max(1, total // 20)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup)))
    )

    def evaluate() -> float | None:
        if not validation:
            return None
        return routing_accuracy(
            peft_model, encoder, validation, candidate_ids, candidate_tokens, config.batch_size
        )

    step = 0
    accuracy: float | None = None
    out_of_time = False
    for epoch in range(config.epochs):
        if out_of_time:
            break
        peft_model.train()
        for batch in _batches(encoded, stored.keys(), config.batch_size, rng):
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=config.bf16_autocast):
                if frozen is not None and batch[0] in stored:
                    loss = _stored_batch_loss(
                        peft_model,
                        frozen,
                        [stored[i] for i in batch],
                        [encoded[i][1] for i in batch],
                    )
                else:
                    loss = _batch_loss(peft_model, [encoded[i] for i in batch], encoder.pad_id)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(peft_model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            elapsed = time.perf_counter() - started
            out_of_time = config.max_seconds is not None and elapsed >= config.max_seconds
            end_of_epoch = step % steps_per_epoch == 0
            last = out_of_time or step == total
            if (config.eval_every and step % config.eval_every == 0) or end_of_epoch or last:
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=config.bf16_autocast):
                    accuracy = evaluate()
                peft_model.train()
            if progress is not None:
                elapsed = time.perf_counter() - started
                progress(
                    TrainProgress(
                        step=step,
                        total_steps=total,
                        epoch=epoch + 1,
                        loss=float(loss.detach()),
                        val_accuracy=accuracy,
                        elapsed_s=elapsed,
                        eta_s=0.0 if last else elapsed / step * (total - step),
                    )
                )
            if out_of_time:
                break

    folder = Path(job.out)
    folder.mkdir(parents=True, exist_ok=True)
    peft_model.save_pretrained(str(folder), save_embedding_layers=False)
    tokenizer.save_pretrained(str(folder))
    seconds = time.perf_counter() - started
    job.write_meta(
        base_vocab=base_vocab,
        token_ids=token_ids,
        training=training_record(config, train, validation, accuracy, seconds),
    )
    return TrainReport(folder, step, seconds, len(train), len(validation), accuracy)


def training_record(
    config: TrainConfig,
    train: Sequence[Example],
    validation: Sequence[Example],
    val_accuracy: float | None,
    seconds: float,
) -> dict[str, Any]:
    """What an adapter's metadata says of the run that trained it: settings and results."""
    return {
        **asdict(config),
        "train_examples": len(train),
        "validation_examples": len(validation),
        "val_accuracy": val_accuracy,
        "seconds": round(seconds, 1),
    }


def _init_new_rows(
    model: Any, tokenizer: Any, targets: Sequence[RouteTarget], token_ids: dict[str, int]
) -> None:
    """Each ``<nexa_k>`` row := mean input embedding of its target's description; tokens no
    target uses and ``<nexa_end>`` := mean embedding of a neutral phrase."""
    import torch

    embeddings = model.get_input_embeddings().weight

    def mean_of(text: str) -> Any:
        ids = tokenizer(text, add_special_tokens=False).input_ids
        return embeddings[torch.tensor(ids)].mean(dim=0)

    descriptions = {token_name(t.token): t.description for t in targets}
    with torch.no_grad():
        for name, index in token_ids.items():
            text = descriptions.get(name, "end of the query" if name == END_TOKEN else "unused")
            embeddings[index] = mean_of(text)


class _Encoder:
    """Turns examples into (input ids, labels) with the router's chat prompt.

    Labels are -100 on the prompt, so only the call ``<nexa_k>('...')<nexa_end>`` is learned.
    """

    def __init__(self, tokenizer: Any, max_query_tokens: int) -> None:
        self.tokenizer = tokenizer
        self.max_query_tokens = max_query_tokens
        pad = tokenizer.pad_token_id
        self.pad_id = pad if pad is not None else tokenizer.eos_token_id

    def truncate(self, text: str) -> str:
        ids = self.tokenizer(text, add_special_tokens=False).input_ids
        if len(ids) <= self.max_query_tokens:
            return text
        return str(self.tokenizer.decode(ids[: self.max_query_tokens])).strip()

    def prompt(self, query: str) -> list[int]:
        messages = [m.to_dict() for m in functional_token_messages(self.truncate(query))]
        text = self.tokenizer.apply_chat_template(
            messages, add_generation_prompt=True, tokenize=False
        )
        ids: list[int] = self.tokenizer(text, add_special_tokens=False).input_ids
        return ids

    def example(self, example: Example, *, rewrite: bool = True) -> tuple[list[int], list[int]]:
        """(prompt ids, target ids): the whole call, or only the functional token."""
        prompt = self.prompt(example.query)
        text = Example(example.query, example.token, self.truncate(example.rewrite)).target_text
        target = self.tokenizer(text, add_special_tokens=False).input_ids
        return prompt, target if rewrite else target[:1]


def _groups(
    encoded: Sequence[tuple[list[int], list[int]]], stored: Iterable[int]
) -> list[list[int]]:
    """Example indices split into those with stored hidden states and the rest (never batched
    together: they take different forward paths); empty groups are dropped."""
    with_states = set(stored)
    groups = [
        [i for i in range(len(encoded)) if i in with_states],
        [i for i in range(len(encoded)) if i not in with_states],
    ]
    return [group for group in groups if group]


def _batches(
    encoded: Sequence[tuple[list[int], list[int]]],
    stored: Iterable[int],
    batch_size: int,
    rng: random.Random,
) -> list[list[int]]:
    """One epoch's batches: within each group, examples of similar length (less padding);
    the batches of every group in one shuffled order."""
    batches = []
    for group in _groups(encoded, stored):
        group.sort(key=lambda i: (sum(map(len, encoded[i])), rng.random()))
        batches += [group[i : i + batch_size] for i in range(0, len(group), batch_size)]
    rng.shuffle(batches)
    return batches


def _store_hidden_states(
    frozen: FrozenPrefix,
    encoded: Sequence[tuple[list[int], list[int]]],
    indices: Sequence[int],
    pad_id: int,
    batch_size: int = 16,
) -> dict[int, Any]:
    """The frozen layers' output over each prompt of ``encoded[indices]``, unpadded
    ([prompt length, hidden] per example index)."""
    ordered = sorted(indices, key=lambda i: len(encoded[i][0]))
    states: dict[int, Any] = {}
    for start in range(0, len(ordered), batch_size):
        chunk = ordered[start : start + batch_size]
        inputs = left_pad_token_ids([encoded[i][0] for i in chunk], pad_id)
        hidden = frozen.hidden_states(**inputs).float()
        for row, i in enumerate(chunk):
            states[i] = hidden[row, hidden.shape[1] - len(encoded[i][0]) :].clone()
    return states


def _stored_batch_loss(
    model: Any, frozen: FrozenPrefix, states: Sequence[Any], targets: Sequence[list[int]]
) -> Any:
    """``_batch_loss`` for decision-only examples from their stored hidden states: the top
    layers read them as ``inputs_embeds`` and the last position predicts the functional token."""
    import torch

    embeds, attention, positions = left_pad(states, 0.0)
    with frozen.top_layers_only():
        logits = model(
            inputs_embeds=embeds,
            attention_mask=attention,
            position_ids=positions,
            logits_to_keep=1,
        ).logits[:, -1, :]
    labels = torch.tensor([target[0] for target in targets])
    return torch.nn.functional.cross_entropy(logits.float(), labels)


def _batch_loss(model: Any, items: Sequence[tuple[list[int], list[int]]], pad_id: int) -> Any:
    """Mean cross-entropy of the target tokens of a batch of (prompt, target) pairs.

    Left padding aligns every target with the end of the sequence, so only the last
    ``longest target + 1`` positions need logits (``logits_to_keep``): the vocabulary projection
    is otherwise a large share of the compute for a small model.
    """
    import torch

    width = max(len(target) for _, target in items)
    inputs = left_pad_token_ids([p + t for p, t in items], pad_id)
    labels = torch.full((len(items), width), -100, dtype=torch.long)
    for i, (_, target) in enumerate(items):
        labels[i, width - len(target) :] = torch.tensor(target)
    # [batch, width + 1, vocab]; position j predicts token j + 1
    logits = model(**inputs, logits_to_keep=width + 1).logits
    return torch.nn.functional.cross_entropy(
        logits[:, :-1].float().reshape(-1, logits.shape[-1]), labels.reshape(-1), ignore_index=-100
    )


def routing_accuracy(
    model: Any,
    encoder: _Encoder,
    examples: Sequence[Example],
    candidate_ids: Sequence[int],
    candidate_tokens: Sequence[int],
    batch_size: int,
) -> float:
    """Share of ``examples`` whose most probable candidate functional token (at the first
    generated position, one forward pass) is the right one."""
    import torch

    model.eval()
    ids_tensor = torch.tensor(list(candidate_ids))
    right = 0
    with torch.inference_mode():
        for start in range(0, len(examples), batch_size):
            chunk = examples[start : start + batch_size]
            inputs = left_pad_token_ids([encoder.prompt(e.query) for e in chunk], encoder.pad_id)
            logits = model(**inputs, logits_to_keep=1).logits[:, -1, :]  # [batch, vocab]
            best = logits[:, ids_tensor].argmax(dim=-1).tolist()
            right += sum(candidate_tokens[b] == e.token for b, e in zip(best, chunk, strict=True))
    return right / len(examples)
