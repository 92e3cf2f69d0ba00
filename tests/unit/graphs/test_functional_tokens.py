"""The functional-token call format: writing it, and parsing what small models really emit."""

from __future__ import annotations

import pytest

from graphs.functional_tokens import (
    END_TOKEN,
    FunctionalCall,
    call_arguments,
    format_call,
    functional_token_names,
    parse_call,
    token_name,
)


def test_format_call_writes_token_quoted_query_and_end() -> None:
    assert format_call(4, " Find the derivative of x^2 ") == (
        "<nexa_4>('Find the derivative of x^2')<nexa_end>"
    )


def test_layout_puts_end_first_then_tokens_in_order() -> None:
    assert functional_token_names(3) == [END_TOKEN, "<nexa_0>", "<nexa_1>", "<nexa_2>"]


def test_negative_token_index_is_rejected() -> None:
    with pytest.raises(ValueError, match=">= 0"):
        token_name(-1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<nexa_4>('Find x')<nexa_end>", FunctionalCall(4, "Find x", True)),
        ("  <nexa_12> ( 'Find x' )  <nexa_end>  ", FunctionalCall(12, "Find x", True)),
        ("<nexa_1>('What's Bob's job?')<nexa_end>", FunctionalCall(1, "What's Bob's job?", True)),
        ("<nexa_1>('It\\'s fine')<nexa_end>", FunctionalCall(1, "It's fine", True)),
        ('<nexa_2>("double quoted")<nexa_end>', FunctionalCall(2, "double quoted", True)),
        ("<nexa_0>('cut short", FunctionalCall(0, "cut short", False)),
        ("<nexa_0>('no end')", FunctionalCall(0, "no end", False)),
        ("<nexa_3>bare query<nexa_end>", FunctionalCall(3, "bare query", True)),
        ("<nexa_3>('a')<nexa_end> trailing chatter", FunctionalCall(3, "a", True)),
        ("Sure! <nexa_5>('x')<nexa_end>", FunctionalCall(5, "x", True)),
    ],
)
def test_parse_call_tolerates_model_output(text: str, expected: FunctionalCall) -> None:
    assert parse_call(text) == expected


def test_parse_call_without_token_keeps_the_text_as_query() -> None:
    assert parse_call("('just a query')") == FunctionalCall(None, "just a query", False)


def test_empty_query_falls_back_to_the_original() -> None:
    assert parse_call("<nexa_2>('')<nexa_end>", fallback_query=" original ").query == "original"
    assert parse_call("<nexa_2>", fallback_query="original") == FunctionalCall(2, "original", False)


def test_parse_inverts_format() -> None:
    query = "Is it Tom's or O'Neil's book?"
    assert parse_call(format_call(7, query)) == FunctionalCall(7, query, True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<nexa_2>('5', 'km', 'mi')<nexa_end>", "('5', 'km', 'mi')"),
        ("  ('2 * 21') <nexa_end> chatter", "('2 * 21')"),
        ("<nexa_0>(value=3, unit='kg')", "(value=3, unit='kg')"),
        ("<nexa_1><nexa_end>", ""),
    ],
)
def test_call_arguments_keep_the_argument_list_as_written(text: str, expected: str) -> None:
    assert call_arguments(text) == expected
