"""The moa-mixed template: one proposer per chosen model, then the built-in aggregator."""

from __future__ import annotations

import pytest

from graphs.templates import TemplateOptionError, get_template
from graphs.templates.builder import DEFAULT_MODEL
from graphs.validation import check

MIXED = get_template("moa-mixed")


def proposer_models(spec: dict[str, object]) -> list[str]:
    nodes = spec["nodes"]
    assert isinstance(nodes, list)
    return [n["config"]["model"] for n in nodes if str(n["id"]).startswith("p")]


def test_moa_mixed_has_one_proposer_per_model_feeding_the_builtin_aggregator() -> None:
    spec = MIXED.spec(proposers=[DEFAULT_MODEL, "my-ollama"])
    assert proposer_models(spec) == [DEFAULT_MODEL, "my-ollama"]
    edges = {(e["source"], e["target"]) for e in spec["edges"]}
    assert edges == {
        ("input", "p1-smollm2-135m-instruct"),
        ("input", "p2-my-ollama"),
        ("p1-smollm2-135m-instruct", "aggregator"),
        ("p2-my-ollama", "aggregator"),
        ("aggregator", "output"),
    }
    aggregator = next(n for n in spec["nodes"] if n["id"] == "aggregator")
    assert aggregator["config"]["model"] == DEFAULT_MODEL
    assert check(spec, known_models=[DEFAULT_MODEL, "my-ollama"])[1] == []


def test_moa_mixed_defaults_to_the_builtin_model() -> None:
    assert proposer_models(MIXED.spec()) == [DEFAULT_MODEL]
    assert MIXED.options == ("proposers",)


@pytest.mark.parametrize(
    ("proposers", "message"),
    [
        ([], "choose 1 to 8 proposer models"),
        ([f"m{i}" for i in range(9)], "choose 1 to 8 proposer models"),
        (["a", "b", "a"], "repeated: a"),
    ],
)
def test_moa_mixed_refuses_a_bad_proposer_list_naming_the_option(
    proposers: list[str], message: str
) -> None:
    with pytest.raises(TemplateOptionError, match=message) as caught:
        MIXED.spec(proposers=proposers)
    assert caught.value.option == "proposers"


def test_a_template_refuses_an_option_it_does_not_take() -> None:
    with pytest.raises(TemplateOptionError, match="takes no option 'proposers'") as caught:
        get_template("moa-lite").spec(proposers=["x"])
    assert caught.value.option == "proposers"
