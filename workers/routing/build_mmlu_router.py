"""Build the packaged 17-domain router adapter of the ``octopus-v4-mmlu`` template.

    python -m workers.routing.build_mmlu_router [--data ../shared/data/mmlu_routing.jsonl]

A developer tool (the product never reads the data file): trains on MMLU's ``dev`` split only
(never ``test``), holding out a stratified share of it for validation, plus a few synthetic
queries per domain from the edge descriptions, and writes ``workers/adapters/router-mmlu17``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from graphs import check
from graphs.templates.routing import octopus_v4_mmlu
from workers.routing.dataset import Example, route_targets, split, synthesize
from workers.routing.trainer import TrainConfig, TrainJob, TrainProgress, train_router

DEFAULT_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mmlu_routing.jsonl"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "adapters" / "router-mmlu17"
ROUTER_NODE = "router"


def dev_examples(data: Path, domain_tokens: dict[str, int]) -> list[Example]:
    """MMLU ``dev`` questions as examples routed to their domain; the rewrite is the question."""
    examples = []
    with data.open() as lines:
        for line in lines:
            row = json.loads(line)
            if row["split"] != "dev":
                continue
            question = row["question"].strip()
            examples.append(Example(question, domain_tokens[row["domain"]], question))
    return examples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument(
        "--lora-layers", type=int, help="LoRA on the last N decoder layers only (default: all)"
    )
    parser.add_argument("--lora-r", type=int, default=8)
    parser.add_argument(
        "--lora-modules", nargs="+", default=["q_proj", "v_proj"], help="linear layers LoRA adapts"
    )
    parser.add_argument("--max-query-tokens", type=int, default=64)
    parser.add_argument("--synthetic-per-domain", type=int, default=12)
    parser.add_argument("--validation-fraction", type=float, default=0.1)
    parser.add_argument("--rewrite-fraction", type=float, default=0.1)
    parser.add_argument(
        "--max-minutes", type=float, help="training time budget (stops early, then saves)"
    )
    args = parser.parse_args(argv)

    from workers.catalog import default_catalog
    from workers.model_store import ModelStore

    spec, problems = check(octopus_v4_mmlu())
    if spec is None:
        raise SystemExit(f"the octopus-v4-mmlu template is invalid: {problems}")
    router = next(n for n in spec.nodes if n.id == ROUTER_NODE)
    targets = route_targets(spec, ROUTER_NODE)
    domain_tokens = {t.target: t.token for t in targets}
    train, validation = split(
        dev_examples(args.data, domain_tokens), args.validation_fraction, seed=0
    )
    train += synthesize(targets, per_target=args.synthetic_per_domain, seed=0)
    entry = default_catalog().get(router.config.model)
    base = ModelStore().resolve(entry).location
    config = TrainConfig(
        epochs=args.epochs,
        lora_layers=args.lora_layers,
        lora_r=args.lora_r,
        lora_alpha=2 * args.lora_r,
        lora_modules=tuple(args.lora_modules),
        batch_size=8,
        learning_rate=1e-3,
        max_query_tokens=args.max_query_tokens,
        rewrite_fraction=args.rewrite_fraction,
        bf16_autocast=True,
        max_seconds=args.max_minutes * 60 if args.max_minutes else None,
    )
    print(f"training on {len(train)} examples, validating on {len(validation)}", flush=True)

    def show(p: TrainProgress) -> None:
        acc = "-" if p.val_accuracy is None else f"{p.val_accuracy:.3f}"
        print(
            f"step {p.step}/{p.total_steps} epoch {p.epoch} loss {p.loss:.4f} val_acc {acc} "
            f"elapsed {p.elapsed_s:.0f}s eta {p.eta_s:.0f}s",
            flush=True,
        )

    job = TrainJob(base, targets, train, validation, args.out, config, base_key=entry.key)
    report = train_router(job, show)
    print(f"saved {report.folder} in {report.seconds:.0f}s, val_accuracy {report.val_accuracy}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
