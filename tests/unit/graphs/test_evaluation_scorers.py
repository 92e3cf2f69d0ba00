"""Scorers: observing a run's events, every scorer's edge cases, and reading choice letters."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

from graphs import load_spec
from graphs.engine.local_driver import run_graph
from graphs.evaluation.dataset import DatasetRow
from graphs.evaluation.scorers import (
    SCORERS,
    Decision,
    Observation,
    Score,
    ScorerSpec,
    default_scorers,
    extract_choice,
    find_json,
    last_number,
    normalize,
    observe,
    scorer_problems,
)
from tests.unit.graphs.compact_specs import router_fan
from workers.backends.fake import FakeBackend

CHOICES = ("cat", "dog", "bird", "fish")


def done(output: str, **more: Any) -> Observation:
    return Observation(status="completed", output=output, error=None, **more)


FAILED = Observation(status="failed", output="", error="node 'm' failed: boom")


def score(
    name: str,
    row: DatasetRow,
    observation: Observation,
    expected_routes: Mapping[str, str] | None = None,
    **options: Any,
) -> Score:
    return SCORERS[name].score(
        row, observation, options=options, expected_routes=expected_routes or {}
    )


def event(type_: str, node: str | None = None, ts: str = "", **data: Any) -> dict[str, Any]:
    return {"type": type_, "node": node, "data": data, "ts": ts}


# --- observe ---------------------------------------------------------------------------------


def test_observe_reads_a_completed_run() -> None:
    events = [
        event("run.started", ts="2024-05-01T10:00:00.000Z", input={}),
        event("node.started", "r", "2024-05-01T10:00:00.010Z", kind="router", model="qwen"),
        event(
            "router.decision",
            "r",
            "2024-05-01T10:00:00.100Z",
            target="math",
            scores={"math": 0.7, "prose": 0.3},
            candidates=[],
        ),
        event("node.completed", "r", "", latency_ms=90.5, tokens_in=12, tokens_out=0),
        event("node.started", "math", "", kind="model", model="phi"),
        event("node.completed", "math", "", latency_ms=300, tokens_in=20, tokens_out=8),
        event("node.started", "out", "", kind="output"),
        event("node.completed", "out", "", latency_ms=0.1, tokens_in=0, tokens_out=0),
        event(
            "run.completed", ts="2024-05-01T10:00:01.250Z", output="42", tokens_in=32, tokens_out=8
        ),
    ]
    observation = observe(events)
    assert observation == Observation(
        status="completed",
        output="42",
        error=None,
        decisions={"r": Decision("math", 0.7, {"math": 0.7, "prose": 0.3})},
        latency_ms=1250.0,
        tokens_in=32,
        tokens_out=8,
        node_latency_ms={"r": 90.5, "math": 300.0, "out": 0.1},
        node_tokens={"r": (12, 0), "math": (20, 8), "out": (0, 0)},
        node_models={"r": "qwen", "math": "phi"},
    )
    assert Observation.from_json(json.loads(json.dumps(observation.to_json()))) == observation


def test_observe_failed_and_cancelled_runs() -> None:
    failed = observe(
        [
            event("run.started", ts="2024-05-01T10:00:00+00:00"),
            event(
                "router.decision",
                "r",
                target="b",
                scores={},
                candidates=[
                    {"target": "a", "probability": 0.1},
                    {"target": "b", "probability": 0.9},
                ],
            ),
            event("node.completed", "r", latency_ms=5, tokens_in=3, tokens_out=1),
            event("run.failed", ts="2024-05-01T10:00:00.5+00:00", error="node 'b' failed: x"),
        ]
    )
    assert failed.status == "failed"
    assert failed.error == "node 'b' failed: x"
    assert failed.decisions["r"].probability == 0.9
    assert (failed.tokens_in, failed.tokens_out) == (3, 1)
    assert failed.latency_ms == 500.0
    cancelled = observe([event("run.started"), event("run.cancelled", reason="stopped by ann")])
    assert (cancelled.status, cancelled.error, cancelled.latency_ms) == (
        "cancelled",
        "stopped by ann",
        0.0,
    )


def test_observe_without_a_terminal_event_is_a_failure() -> None:
    observation = observe([event("run.started")])
    assert observation.status == "failed"
    assert observation.error == "the run did not finish"
    assert observe([]).status == "failed"


async def test_observe_reads_the_events_the_engine_writes() -> None:
    spec = load_spec(
        router_fan(
            {"model": "router"},
            [
                ("math", "model", {"model": "math"}, "math"),
                ("prose", "model", {"model": "prose"}, "writing"),
            ],
        )
    )
    client = FakeBackend(scores={"router": [0.2, 0.8]}, reply=lambda request: "a poem")
    result = await run_graph(spec, "write a poem", client)
    observation = observe(e.to_json() for e in result.events)
    assert observation.status == "completed"
    assert observation.output == "a poem"
    assert observation.decisions["r"].target == "prose"
    assert observation.decisions["r"].probability == pytest.approx(0.8)
    assert observation.node_models == {"r": "router", "prose": "prose"}
    assert set(observation.node_latency_ms) == {"q", "r", "prose", "out"}
    assert observation.latency_ms >= 0


# --- specs and problems ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("numeric", ScorerSpec("numeric")),
        (" numeric:tolerance=0.01 ", ScorerSpec("numeric", {"tolerance": 0.01})),
        (
            "numeric:tolerance=0.5,relative=1e-2",
            ScorerSpec("numeric", {"tolerance": 0.5, "relative": 0.01}),
        ),
        ("json_field:field=a.b", ScorerSpec("json_field", {"field": "a.b"})),
        ("regex:flags=i", ScorerSpec("regex", {"flags": "i"})),
    ],
)
def test_scorer_spec_parse(text: str, spec: ScorerSpec) -> None:
    assert ScorerSpec.parse(text) == spec
    assert ScorerSpec.from_json(json.loads(json.dumps(spec.to_json()))) == spec


@pytest.mark.parametrize("text", ["", ":x=1", "numeric:tolerance", "numeric:=3"])
def test_scorer_spec_parse_errors(text: str) -> None:
    with pytest.raises(ValueError, match="scorer"):
        ScorerSpec.parse(text)


def test_scorer_spec_json_is_flat() -> None:
    assert ScorerSpec("numeric", {"tolerance": 1}).to_json() == {"name": "numeric", "tolerance": 1}
    assert ScorerSpec.from_json("exact") == ScorerSpec("exact")


def test_default_scorers_follow_the_fields() -> None:
    assert default_scorers(["expected", "answer", "choices", "route"]) == [
        "route",
        "choice",
        "exact",
    ]
    assert default_scorers(["metadata"]) == []


def test_scorer_problems_name_everything_wrong() -> None:
    specs = [
        ScorerSpec("bleu"),
        ScorerSpec("choice"),
        ScorerSpec("numeric", {"tolerance": -1, "digits": 2}),
        ScorerSpec("regex", {"flags": "iq"}),
        ScorerSpec("judge", {"model": "a", "graph": 3}),
        ScorerSpec("judge"),
    ]
    problems = scorer_problems(specs, ["expected"])
    assert problems[0].startswith("unknown scorer 'bleu' (known: exact, contains, regex")
    assert "scorer 'choice' needs the fields answer, choices" in problems[1]
    assert any("unknown option 'digits'" in p for p in problems)
    assert any("tolerance must be a number >= 0" in p for p in problems)
    assert any("flags must be letters" in p for p in problems)
    assert any("either model or graph" in p for p in problems)
    assert any("named twice" in p for p in problems)
    assert scorer_problems([ScorerSpec("judge", {"model": "qwen"})], []) == []
    assert scorer_problems([ScorerSpec("route"), ScorerSpec("exact")], ["route", "expected"]) == []


def test_scorer_metadata() -> None:
    assert set(SCORERS) == {
        "exact",
        "contains",
        "regex",
        "numeric",
        "choice",
        "route",
        "json_field",
        "judge",
    }
    assert [name for name, s in SCORERS.items() if s.routing_only] == ["route"]
    assert SCORERS["choice"].needs == frozenset({"answer", "choices"})
    assert all(s.description for s in SCORERS.values())


def test_judge_cannot_score_without_a_model() -> None:
    with pytest.raises(NotImplementedError, match="judge_single"):
        score("judge", DatasetRow(input="q"), done("a"))


# --- the scorers -----------------------------------------------------------------------------


def test_normalize() -> None:
    assert normalize("  Paris.  ") == "paris"
    assert normalize("New\n  York!?") == "new york"
    assert normalize("\uff21\uff22\uff23") == "abc"
    assert normalize("Straße") == "strasse"


@pytest.mark.parametrize(
    ("expected", "output", "value"),
    [
        ("Paris", "paris.", 1.0),
        ("Paris", "  PARIS \n", 1.0),
        ("Paris", "Paris, France", 0.0),
        ("New York", "new   york", 1.0),
        ("Ça", "ça!", 1.0),
        ("x", "", 0.0),
    ],
)
def test_exact(expected: str, output: str, value: float) -> None:
    assert score("exact", DatasetRow(input="q", expected=expected), done(output)).value == value


@pytest.mark.parametrize(
    ("expected", "output", "value"),
    [
        ("Paris", "It is PARIS, of course", 1.0),
        ("New York", "in new\nyork city", 1.0),
        ("Paris", "London", 0.0),
        ("日本", "答えは日本です", 1.0),
        ("x", "", 0.0),
    ],
)
def test_contains(expected: str, output: str, value: float) -> None:
    assert score("contains", DatasetRow(input="q", expected=expected), done(output)).value == value


@pytest.mark.parametrize("name", ["exact", "contains", "regex", "numeric", "json_field"])
def test_scorers_needing_expected_skip_rows_without_it(name: str) -> None:
    assert score(name, DatasetRow(input="q"), done("anything")) == Score(None)
    assert score(name, DatasetRow(input="q"), FAILED) == Score(None)


@pytest.mark.parametrize("name", ["exact", "contains", "regex", "numeric", "json_field"])
def test_a_failed_run_scores_zero_with_its_error(name: str) -> None:
    result = score(name, DatasetRow(input="q", expected="1"), FAILED)
    assert result == Score(0.0, {"error": "node 'm' failed: boom"})


def test_a_cancelled_run_scores_zero() -> None:
    cancelled = Observation(status="cancelled", output="", error="stopped")
    assert score("exact", DatasetRow(input="q", expected="a"), cancelled) == Score(
        0.0, {"error": "stopped"}
    )


def test_regex() -> None:
    row = DatasetRow(input="q", expected=r"\b4\b")
    assert score("regex", row, done("it is 4.")) == Score(1.0, {"match": "4"})
    assert score("regex", row, done("it is 44")).value == 0.0
    ignore_case = DatasetRow(input="q", expected="^yes")
    assert score("regex", ignore_case, done("YES indeed"), flags="i").value == 1.0
    assert score("regex", ignore_case, done("YES indeed")).value == 0.0
    multi = DatasetRow(input="q", expected="^b$")
    assert score("regex", multi, done("a\nb\nc"), flags="m").value == 1.0


def test_a_bad_regex_is_a_row_error_not_an_exception() -> None:
    result = score("regex", DatasetRow(input="q", expected="(unclosed"), done("x"))
    assert result.value is None
    assert "bad pattern" in result.detail["error"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("-3", -3.0),
        ("x = 1,234.5 total", 1234.5),
        ("2.5e3 metres", 2500.0),
        ("3/4 of it", 0.75),
        ("$12.50", 12.5),
        ("€ 7", 7.0),
        ("range 1-3", 3.0),
        ("The answer is 42.", 42.0),
        ("#### 72", 72.0),
        ("\u22127", -7.0),
        (".5", 0.5),
        ("12 apples and 5 pears", 5.0),
    ],
)
def test_last_number(text: str, value: float) -> None:
    parsed = last_number(text)
    assert parsed is not None
    assert parsed.value == pytest.approx(value)


def test_last_number_none() -> None:
    assert last_number("no digits here") is None
    assert last_number("") is None


@pytest.mark.parametrize(
    ("expected", "output", "options", "value"),
    [
        ("42", "The answer is 42.", {}, 1.0),
        ("42", "41.9999999", {}, 1.0),
        ("42", "41.9", {}, 0.0),
        ("42", "41.9", {"tolerance": 0.2}, 1.0),
        ("1000", "1,010", {"relative": 0.01}, 1.0),
        ("1000", "1,011", {"relative": 0.01}, 0.0),
        ("-3", "x = -3", {}, 1.0),
        ("0.5", "50%", {}, 1.0),
        ("50%", "0.5", {}, 1.0),
        ("2500", "2.5e3", {}, 1.0),
        ("0.75", "3/4", {}, 1.0),
        ("$1,234", "1234 dollars", {}, 1.0),
        ("7", "", {}, 0.0),
        ("7", "seven", {}, 0.0),
    ],
)
def test_numeric(expected: str, output: str, options: dict[str, Any], value: float) -> None:
    result = score("numeric", DatasetRow(input="q", expected=expected), done(output), **options)
    assert result.value == value


def test_numeric_expected_that_is_not_a_number_is_a_row_error() -> None:
    result = score("numeric", DatasetRow(input="q", expected="Paris"), done("3"))
    assert result.value is None
    assert "not a number" in result.detail["error"]


def test_choice() -> None:
    row = DatasetRow(input="q", choices=CHOICES, answer="B")
    assert score("choice", row, done("The answer is (B).")) == Score(1.0, {"extracted": "B"})
    assert score("choice", row, done("C")) == Score(0.0, {"extracted": "C"})
    assert score("choice", row, done("")) == Score(0.0, {"extracted": None})
    assert score("choice", row, FAILED).value == 0.0
    assert score("choice", DatasetRow(input="q", choices=CHOICES), done("B")).value is None


def test_route() -> None:
    row = DatasetRow(input="q", route="math")
    observation = done("x", decisions={"r": Decision("math", 0.9), "s": Decision("a", 0.5)})
    result = score("route", row, observation, {"r": "math", "s": "b"})
    assert result.value == 0.5
    assert result.detail == {
        "r": {"expected": "math", "chosen": "math", "correct": True},
        "s": {"expected": "b", "chosen": "a", "correct": False},
    }
    assert score("route", row, observation, {}).value is None
    assert score("route", DatasetRow(input="q"), observation, {}).value is None


def test_route_scores_a_failed_run_on_the_decisions_made_before_the_failure() -> None:
    row = DatasetRow(input="q", route="math")
    failed = Observation(status="failed", error="boom", decisions={"r": Decision("math", 0.6)})
    assert score("route", row, failed, {"r": "math"}).value == 1.0
    nothing = Observation(status="failed", error="boom")
    result = score("route", row, nothing, {"r": "math"})
    assert result.value == 0.0
    assert result.detail["r"] == {"expected": "math", "chosen": None, "correct": False}


@pytest.mark.parametrize(
    ("text", "found", "value"),
    [
        ('{"a": 1}', True, {"a": 1}),
        ('Here: ```json\n{"a": {"b": [1, 2]}}\n``` done', True, {"a": {"b": [1, 2]}}),
        ('text {not json} then [1, 2] and {"x": 1}', True, [1, 2]),
        ("no json at all", False, None),
        ("", False, None),
    ],
)
def test_find_json(text: str, found: bool, value: Any) -> None:
    assert find_json(text) == (found, value)


def test_json_field_with_a_path() -> None:
    output = done('Sure! ```json\n{"city": {"name": "Paris", "pop": 2.1}, "tags": ["a", "b"]}\n```')

    def at(path: str, expected: str) -> float | None:
        row = DatasetRow(input="q", expected=expected)
        return score("json_field", row, output, field=path).value

    assert at("city.name", "paris") == 1.0
    assert at("city.pop", "2.1") == 1.0
    assert at("city.pop", "2") == 0.0
    assert at("tags.1", "b") == 1.0
    assert at("tags", '["a", "b"]') == 1.0
    assert at("city.missing", "x") == 0.0
    assert at("tags.9", "x") == 0.0
    no_json = score("json_field", DatasetRow(input="q", expected="1"), done("none"), field="a")
    assert no_json == Score(0.0, {"error": "no JSON in the output"})


def test_json_field_without_a_path_matches_every_expected_key() -> None:
    row = DatasetRow(input="q", expected='{"name": "Ann", "age": 30}')
    assert score("json_field", row, done('{"name": "ann", "age": 30.0, "x": 1}')).value == 1.0
    mismatch = score("json_field", row, done('{"name": "Bob"}'))
    assert mismatch == Score(0.0, {"mismatched": ["age", "name"]})
    assert score("json_field", row, done("[1]")).value == 0.0
    not_object = score("json_field", DatasetRow(input="q", expected="42"), done('{"a": 1}'))
    assert not_object.value is None


def test_score_json_round_trip() -> None:
    result = Score(0.5, {"r": {"chosen": "a"}})
    assert Score.from_json(json.loads(json.dumps(result.to_json()))) == result
    assert Score.from_json({"value": None}) == Score(None)


# --- extract_choice --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "letter"),
    [
        ("The answer is (B).", "B"),
        ("B", "B"),
        ("b)", "B"),
        ("**C**", "C"),
        ("Answer: D. because it swims", "D"),
        ("I think the correct option is A", "A"),
        ("Option C", "C"),
        ("A or B?", "A"),
        ("A cat is a pet; the answer is C", "C"),
        ("A cat is clearly the answer: D", "D"),
        ("I like the dog best", "B"),
        ("It has to be a fish", "D"),
        ("E", None),
        ("The answer is E. Actually D.", "D"),
        ("The answer is a bit unclear but (C) fits", "C"),
        ("answer: b", "B"),
        (r"\boxed{D}", "D"),
        ("B is correct", "B"),
        ("Answer:\n\nC", "C"),
        ("(c)", "C"),
        ("I believe it is D", "D"),
        ("B. dog", "B"),
        ("the answer is: Option B", "B"),
        ("Choice (d)", "D"),
        ("", None),
        ("   ", None),
        ("None of them", None),
        ("dog or cat", None),
        ("The final answer is  c.", "C"),
        ("My answer is B because A is wrong", "B"),
        ("The correct answer is **B**.", "B"),
        ("ANSWER: [A]", "A"),
        ("Correct answer - C", "C"),
        ("It's the second one, B.", "B"),
        ("Je pense que c'est C.", "C"),
        ("The answer isn't obvious; I'd say D", "D"),
    ],
)
def test_extract_choice(text: str, letter: str | None) -> None:
    assert extract_choice(text, CHOICES) == letter


def test_extract_choice_stays_within_the_number_of_choices() -> None:
    assert extract_choice("The answer is C", ["yes", "no"]) is None
    assert extract_choice("The answer is C, or maybe B", ["yes", "no"]) == "B"
    assert extract_choice("Z", [str(i) for i in range(26)]) == "Z"
    assert extract_choice("A", []) is None


def test_extract_choice_ignores_choices_inside_longer_ones() -> None:
    choices = ["Wrong, Wrong", "Wrong, Not wrong", "Not wrong, Wrong", "Not wrong, Not wrong"]
    assert extract_choice("wrong, not wrong", choices) == "B"
    assert extract_choice("Both are not wrong, not wrong", choices) == "D"
