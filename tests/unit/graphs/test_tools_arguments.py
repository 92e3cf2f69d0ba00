"""Reading a call's arguments and binding them to a tool's schema, problems named per argument."""

from __future__ import annotations

import pytest

from graphs.tools.calls import parse_argument_list, read_arguments
from graphs.tools.schema import (
    ArgumentsError,
    ArgumentSpec,
    ArgumentType,
    CallArguments,
    JsonScalar,
    bind_arguments,
)

CONVERT = (
    ArgumentSpec(name="value", type="number"),
    ArgumentSpec(name="from_unit"),
    ArgumentSpec(name="to_unit"),
    ArgumentSpec(name="exact", type="boolean", required=False),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("('2 * 21')", CallArguments(("2 * 21",))),
        ("('5', 'km', 'mi')", CallArguments(("5", "km", "mi"))),
        (
            "(5, to_unit='mi', from_unit=\"km\")",
            CallArguments((5,), {"to_unit": "mi", "from_unit": "km"}),
        ),
        ("(-2.5, True, None)", CallArguments((-2.5, True, None))),
        ("'Tom\\'s book'", CallArguments(("Tom's book",))),
        ("()", CallArguments()),
    ],
)
def test_argument_lists_are_read_as_literals(text: str, expected: CallArguments) -> None:
    assert parse_argument_list(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "('what's 6*7')",  # an unescaped apostrophe
        "(__import__('os'))",
        "(1 + 2)",
        "(*args)",
        "(**kwargs)",
        "([1, 2])",
        "('a')('b')",
        "(b'bytes')",
    ],
)
def test_anything_but_literals_is_not_an_argument_list(text: str) -> None:
    assert parse_argument_list(text) is None


def test_a_router_call_that_does_not_parse_is_the_query_as_one_argument() -> None:
    assert read_arguments("what's 6*7", "('what's 6*7')") == CallArguments(("what's 6*7",))
    assert read_arguments("ignored", "('6*7', 'x')") == CallArguments(("6*7", "x"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"value": 5, "from_unit": "km"}', CallArguments(named={"value": 5, "from_unit": "km"})),
        ('[5, "km", "mi"]', CallArguments((5, "km", "mi"))),
        ("('5', 'km')", CallArguments(("5", "km"))),
        ("  17 * 23  ", CallArguments(("17 * 23",))),
        ('{"nested": {"a": 1}}', CallArguments(('{"nested": {"a": 1}}',))),
        ("[not json", CallArguments(("[not json",))),
        ("   ", CallArguments()),
    ],
)
def test_plain_text_is_json_an_argument_list_or_one_argument(
    text: str, expected: CallArguments
) -> None:
    assert read_arguments(text) == expected


def test_values_are_bound_by_position_and_name_and_coerced() -> None:
    call = CallArguments(("5", "km"), {"to_unit": "mi", "exact": "yes"})
    assert bind_arguments("convert", CONVERT, call) == {
        "value": 5,
        "from_unit": "km",
        "to_unit": "mi",
        "exact": True,
    }


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("number", "2.5", 2.5),
        ("number", " 7 ", 7),
        ("integer", "12", 12),
        ("integer", 3.0, 3),
        ("integer", "4.0", 4),
        ("boolean", "False", False),
        ("boolean", 1, True),
        ("string", 42, "42"),
    ],
)
def test_unambiguous_values_are_coerced(
    kind: ArgumentType, value: JsonScalar, expected: JsonScalar
) -> None:
    schema = (ArgumentSpec(name="x", type=kind),)
    bound = bind_arguments("t", schema, CallArguments((value,)))
    assert bound == {"x": expected}
    assert type(bound["x"]) is type(expected)


def test_every_problem_is_reported_per_argument() -> None:
    call = CallArguments(("five", "km", "mi", "maybe", "extra"), {"speed": 3, "value": 1})
    with pytest.raises(ArgumentsError) as caught:
        bind_arguments("convert", CONVERT, call)
    problems = [problem.to_json() for problem in caught.value.problems]
    assert problems == [
        {
            "argument": "#5",
            "expected": "at most 4 argument(s) (value, from_unit, to_unit, exact)",
            "got": "an extra value 'extra'",
        },
        {
            "argument": "speed",
            "expected": "one of the arguments value, from_unit, to_unit, exact",
            "got": "an unknown argument",
        },
        {
            "argument": "value",
            "expected": "one value",
            "got": "a value by position and another by name",
        },
        {"argument": "value", "expected": "a number", "got": "'five'"},
        {"argument": "exact", "expected": "true or false", "got": "'maybe'"},
    ]
    message = str(caught.value)
    assert message.startswith("invalid arguments for tool 'convert': argument '#5'")
    assert "argument 'value': expected a number, got 'five'" in message


def test_missing_required_arguments_are_named_and_optional_ones_may_be_left_out() -> None:
    with pytest.raises(ArgumentsError, match="argument 'to_unit': expected a string, got nothing"):
        bind_arguments("convert", CONVERT, CallArguments((1, "km")))
    bound = bind_arguments("convert", CONVERT, CallArguments((1, "km", "m", None)))
    assert "exact" not in bound


@pytest.mark.parametrize(
    ("kind", "value", "got"),
    [
        ("number", "nan", "'nan'"),
        ("number", True, "true"),
        ("integer", 2.5, "2.5"),
        ("integer", "2.5", "'2.5'"),
        ("string", False, "false"),
        ("boolean", "perhaps", "'perhaps'"),
    ],
)
def test_ambiguous_values_are_refused(kind: ArgumentType, value: JsonScalar, got: str) -> None:
    schema = (ArgumentSpec(name="x", type=kind),)
    with pytest.raises(ArgumentsError, match=f"argument 'x': expected .*, got {got}"):
        bind_arguments("t", schema, CallArguments((value,)))
