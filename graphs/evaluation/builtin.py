"""Datasets shipped with Octograph (``builtin/``), each with its source and licence.

``mmlu-1700``: 100 questions of MMLU's ``test`` split for each of Octopus v4's 17 domains (the
routing target is the domain, a node id of template ``octopus-v4-mmlu``). The split matters: the
shipped router adapter was trained on the ``dev`` split, so these questions are unseen by it.
``mt-bench-80``: the first turns of MT-Bench's 80 questions. ``builtin/README.md`` says how the
files were built (``builtin/build_builtin_datasets.py``, run once at development time).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from graphs.evaluation.dataset import DatasetRow


@dataclass(frozen=True)
class BuiltinDataset:
    """A shipped dataset: its key, a title and description for people, its licence, the file
    under ``graphs/evaluation/builtin/`` and its number of rows."""

    name: str
    title: str
    description: str
    licence: str
    filename: str
    rows: int


BUILTIN_DATASETS: Mapping[str, BuiltinDataset] = {
    dataset.name: dataset
    for dataset in (
        BuiltinDataset(
            name="mmlu-1700",
            title="MMLU routing: 17 domains x 100 questions",
            description=(
                "1,700 multiple-choice questions from MMLU's test split, 100 for each of Octopus "
                "v4's 17 domains, with the right letter (choice scorer) and the domain as the "
                "expected route (route scorer, template octopus-v4-mmlu)."
            ),
            licence="MIT (MMLU, Hendrycks et al.)",
            filename="mmlu-1700.jsonl",
            rows=1700,
        ),
        BuiltinDataset(
            name="mt-bench-80",
            title="MT-Bench: 80 open questions",
            description=(
                "The first turns of MT-Bench's 80 questions in 8 categories (writing, roleplay, "
                "reasoning, math, coding, extraction, STEM, humanities), for a judge model to "
                "grade; reference answers, where MT-Bench has them, are in the metadata."
            ),
            licence="Apache-2.0 (FastChat, LMSYS)",
            filename="mt-bench-80.jsonl",
            rows=80,
        ),
    )
}


def load_builtin(name: str) -> list[DatasetRow]:
    """The rows of built-in dataset ``name``, in file order (a fresh list each call).

    Raises ``KeyError`` naming the known datasets when ``name`` is not one of them.
    """
    if name not in BUILTIN_DATASETS:
        raise KeyError(f"no built-in dataset '{name}' (known: {', '.join(BUILTIN_DATASETS)})")
    return list(_load(BUILTIN_DATASETS[name].filename))


@cache
def _load(filename: str) -> tuple[DatasetRow, ...]:
    text = resources.files("graphs.evaluation").joinpath("builtin", filename).read_text("utf-8")
    return tuple(DatasetRow.from_json(json.loads(line)) for line in text.splitlines() if line)
