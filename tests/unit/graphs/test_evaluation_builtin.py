"""The shipped datasets: sizes, splits, domains that are template node ids, the input format."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources

import pytest

from graphs import load_spec
from graphs.evaluation.builtin import BUILTIN_DATASETS, load_builtin
from graphs.evaluation.dataset import dataset_fields, parse_dataset
from graphs.evaluation.routes import resolve_expected_routes
from graphs.templates import get_template
from graphs.templates.routing import octopus_domains


def shipped(filename: str) -> bytes:
    return resources.files("graphs.evaluation").joinpath("builtin", filename).read_bytes()


def test_mmlu_1700_has_100_test_questions_per_domain() -> None:
    rows = load_builtin("mmlu-1700")
    assert len(rows) == 1700 == BUILTIN_DATASETS["mmlu-1700"].rows
    domains = [d["domain"] for d in octopus_domains()]
    assert Counter(row.route for row in rows) == dict.fromkeys(domains, 100)
    assert [row.route for row in rows] == [d for d in domains for _ in range(100)]
    assert len({row.metadata["id"] for row in rows}) == 1700
    assert dataset_fields(rows) == ["answer", "choices", "metadata", "route"]


def test_mmlu_1700_rows_are_formatted_as_the_plan_says() -> None:
    for row in load_builtin("mmlu-1700"):
        assert row.choices is not None
        assert len(row.choices) == 4
        assert row.answer in ("A", "B", "C", "D")
        lines = "\n".join(f"{letter}. {c}" for letter, c in zip("ABCD", row.choices, strict=True))
        assert row.input.endswith(f"\n\n{lines}\n\nAnswer with the letter of the correct choice.")
        assert set(row.metadata) == {"id", "subject"}


def test_every_mmlu_domain_is_a_target_of_the_octopus_template() -> None:
    spec = load_spec(get_template("octopus-v4-mmlu").spec())
    for domain in {row.route for row in load_builtin("mmlu-1700")}:
        assert isinstance(domain, str)
        assert resolve_expected_routes(domain, spec) == ({"router": domain}, [])


def test_mt_bench_80_first_turns() -> None:
    rows = load_builtin("mt-bench-80")
    assert len(rows) == 80 == BUILTIN_DATASETS["mt-bench-80"].rows
    assert Counter(row.metadata["category"] for row in rows) == dict.fromkeys(
        ["writing", "roleplay", "reasoning", "math", "coding", "extraction", "stem", "humanities"],
        10,
    )
    assert [row.metadata["question_id"] for row in rows] == list(range(81, 161))
    assert all(row.input.strip() and row.expected is None for row in rows)
    assert sum("reference" in row.metadata for row in rows) > 0


@pytest.mark.parametrize("name", sorted(BUILTIN_DATASETS))
def test_shipped_files_pass_the_upload_checks(name: str) -> None:
    dataset = BUILTIN_DATASETS[name]
    data = shipped(dataset.filename)
    assert parse_dataset(data, filename=dataset.filename) == load_builtin(name)
    assert dataset.title
    assert dataset.description
    assert dataset.licence
    assert all(json.loads(line) for line in data.decode().splitlines())


def test_load_builtin_returns_a_fresh_list() -> None:
    first = load_builtin("mt-bench-80")
    first.clear()
    assert len(load_builtin("mt-bench-80")) == 80


def test_unknown_builtin_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="mmlu-1700, mt-bench-80"):
        load_builtin("gsm8k")
