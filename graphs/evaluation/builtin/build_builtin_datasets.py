"""Build the shipped datasets of ``graphs/evaluation/builtin/`` (run once, at development time).

    python graphs/evaluation/builtin/build_builtin_datasets.py [--data ../shared/data]

Reads ``mmlu_routing.jsonl``, ``mt_bench_questions.jsonl`` and ``octopus_v4_domains.json`` from
the data folder and writes ``mmlu-1700.jsonl`` and ``mt-bench-80.jsonl`` next to this script.
The product reads only the written files. Deterministic: the same inputs give the same bytes.
Standard library only, on purpose: it runs without the project installed.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parents[3] / "shared" / "data"  # <repo>/../shared/data

SEED = 11
PER_DOMAIN = 100
SPLIT = "test"  # never "dev": the shipped router adapter was trained on it
INSTRUCTION = "Answer with the letter of the correct choice."


def mmlu_input(question: str, choices: list[str]) -> str:
    """The question, a blank line, one ``X. choice`` line per choice, a blank line, then the
    instruction."""
    lines = "\n".join(f"{chr(ord('A') + i)}. {choice}" for i, choice in enumerate(choices))
    return f"{question}\n\n{lines}\n\n{INSTRUCTION}"


def build_mmlu(data: Path) -> list[dict[str, Any]]:
    """100 ``test`` rows per domain, sampled with one ``random.Random(11)`` over the domains in
    token order (``<nexa_0>``..), each domain's rows in file order; the result is sorted stably by
    (domain token order, position in the file)."""
    domains = [
        d["domain"] for d in json.loads((data / "octopus_v4_domains.json").read_text())["domains"]
    ]
    rows = [
        json.loads(line) for line in (data / "mmlu_routing.jsonl").read_text().splitlines() if line
    ]
    rng = random.Random(SEED)
    chosen: list[tuple[int, int]] = []  # (domain order, file position)
    for order, domain in enumerate(domains):
        positions = [
            i for i, row in enumerate(rows) if row["domain"] == domain and row["split"] == SPLIT
        ]
        if len(positions) < PER_DOMAIN:
            raise SystemExit(f"domain {domain} has only {len(positions)} {SPLIT} rows")
        chosen += [(order, position) for position in rng.sample(positions, PER_DOMAIN)]
    chosen.sort()
    result = []
    for _, position in chosen:
        row = rows[position]
        result.append(
            {
                "input": mmlu_input(row["question"], row["choices"]),
                "choices": row["choices"],
                "answer": row["answer"],
                "route": row["domain"],
                "metadata": {"id": row["id"], "subject": row["subject"]},
            }
        )
    return result


def build_mt_bench(data: Path) -> list[dict[str, Any]]:
    """The first turn of each question, in file order; MT-Bench's reference answer for the first
    turn (math, reasoning, coding questions) goes into the metadata as ``reference``."""
    result = []
    for line in (data / "mt_bench_questions.jsonl").read_text().splitlines():
        if not line:
            continue
        question = json.loads(line)
        metadata: dict[str, Any] = {
            "question_id": question["question_id"],
            "category": question["category"],
        }
        reference = question.get("reference") or []
        if reference and reference[0]:
            metadata["reference"] = reference[0]
        result.append({"input": question["turns"][0], "metadata": metadata})
    return result


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    text = "".join(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n" for row in rows)
    path.write_text(text, encoding="utf-8")
    print(f"{path.name}: {len(rows)} rows, {len(text.encode())} bytes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    write_jsonl(HERE / "mmlu-1700.jsonl", build_mmlu(args.data))
    write_jsonl(HERE / "mt-bench-80.jsonl", build_mt_bench(args.data))


if __name__ == "__main__":
    main()
