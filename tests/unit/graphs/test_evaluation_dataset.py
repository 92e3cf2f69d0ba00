"""Dataset files: JSONL and CSV parsing, every problem named by line and field at once."""

from __future__ import annotations

import json

import pytest

from graphs.evaluation.dataset import (
    MAX_DATASET_ROWS,
    MAX_PROBLEMS,
    DatasetError,
    DatasetRow,
    RowProblem,
    dataset_fields,
    parse_dataset,
)


def jsonl(*rows: object) -> bytes:
    return "\n".join(json.dumps(row) for row in rows).encode()


def problems_of(data: bytes, filename: str = "d.jsonl") -> list[tuple[int, str | None]]:
    with pytest.raises(DatasetError) as caught:
        parse_dataset(data, filename=filename)
    return [(p.line, p.field) for p in caught.value.problems]


def test_jsonl_rows_keep_every_field() -> None:
    data = jsonl(
        {
            "input": "What is 2+2?",
            "expected": "4",
            "choices": ["3", "4"],
            "answer": "b",
            "route": "math",
            "metadata": {"id": 7},
            "images": [{"data": "aGk=", "media_type": "image/png"}],
        },
        {"input": "Route me", "route": {"r": "code"}},
    )
    rows = parse_dataset(data, filename="set.JSONL")
    assert rows[0] == DatasetRow(
        input="What is 2+2?",
        images=({"data": "aGk=", "media_type": "image/png"},),
        expected="4",
        choices=("3", "4"),
        answer="B",
        route="math",
        metadata={"id": 7},
    )
    assert rows[1].route == {"r": "code"}
    assert dataset_fields(rows) == ["answer", "choices", "expected", "images", "metadata", "route"]


def test_numbers_and_objects_as_expected_keep_their_json_text() -> None:
    rows = parse_dataset(
        jsonl({"input": "a", "expected": 42}, {"input": "b", "expected": {"x": [1, 2.5]}}),
        filename="d.ndjson",
    )
    assert [row.expected for row in rows] == ["42", '{"x": [1, 2.5]}']


def test_blank_lines_are_skipped_and_lines_are_physical() -> None:
    data = b'{"input": "a"}\n\n   \n{"input": ""}\n'
    assert problems_of(data) == [(4, "input")]


def test_every_problem_is_reported_by_line_and_field_at_once() -> None:
    data = "\n".join(
        [
            json.dumps({"input": "fine"}),
            '{"input": "broken",',
            json.dumps(["not", "an", "object"]),
            json.dumps({"expected": "no input"}),
            json.dumps({"input": "q", "choices": ["a", "b", "c", "d"], "answer": "E"}),
            json.dumps({"input": "q", "colour": "red"}),
        ]
    ).encode()
    with pytest.raises(DatasetError) as caught:
        parse_dataset(data, filename="d.jsonl")
    problems = caught.value.problems
    assert [(p.line, p.field) for p in problems] == [
        (2, None),
        (3, None),
        (4, "input"),
        (5, "answer"),
        (6, "colour"),
    ]
    assert str(problems[3]) == (
        "line 5, answer: must be one letter A-D (the row has 4 choices), not 'E'"
    )
    assert "known: input, images, expected" in problems[4].message
    assert "line 2" in str(caught.value)
    assert "5 problems" in str(caught.value)
    assert problems[0].to_json() == {
        "line": 2,
        "field": None,
        "message": problems[0].message,
    }


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"input": 3}, "input"),
        ({"input": "  "}, "input"),
        ({"input": "q", "answer": "A"}, "answer"),
        ({"input": "q", "choices": ["only one"]}, "choices"),
        ({"input": "q", "choices": "a|b"}, "choices"),
        ({"input": "q", "choices": ["a", ""]}, "choices"),
        ({"input": "q", "choices": [chr(65 + i) for i in range(27)]}, "choices"),
        ({"input": "q", "choices": ["a", "b"], "answer": "AB"}, "answer"),
        ({"input": "q", "choices": ["a", "b"], "answer": 1}, "answer"),
        ({"input": "q", "route": ""}, "route"),
        ({"input": "q", "route": {}}, "route"),
        ({"input": "q", "route": {"r": 3}}, "route"),
        ({"input": "q", "route": 5}, "route"),
        ({"input": "q", "metadata": [1]}, "metadata"),
        ({"input": "q", "images": "x"}, "images"),
        ({"input": "q", "images": [{"data": "a"}] * 5}, "images"),
        ({"input": "q", "images": [{"media_type": "image/png"}]}, "images"),
        ({"input": "q", "images": ["http://example.com/a.png"]}, "images"),
        ({"input": "q", "images": [{"data": "a", "url": "x"}]}, "images"),
        ({"input": "q", "images": [7]}, "images"),
    ],
)
def test_invalid_field_values_are_named(row: dict[str, object], field: str) -> None:
    assert problems_of(jsonl(row)) == [(1, field)]


def test_null_optional_fields_are_absent() -> None:
    rows = parse_dataset(jsonl({"input": "q", "expected": None, "route": None}), filename="a.jsonl")
    assert rows == [DatasetRow(input="q")]
    assert dataset_fields(rows) == []


def test_data_url_images_are_accepted() -> None:
    rows = parse_dataset(
        jsonl({"input": "q", "images": ["data:image/png;base64,aGk="]}), filename="a.jsonl"
    )
    assert rows[0].images == ("data:image/png;base64,aGk=",)


def test_csv_happy_path_with_bom_crlf_and_quoted_newlines() -> None:
    text = (
        "\ufeffInput,expected,choices,answer,route,metadata\r\n"
        '"two\r\nlines",4,"[""3"", ""4""]",B,math,"{""k"": 1}"\r\n'
        "plain,,a | b | c,c,,\r\n"
        'routed,,,,"{""r"": ""code""}",\r\n'
    )
    rows = parse_dataset(text.encode(), filename="d.csv")
    assert rows[0] == DatasetRow(
        input="two\r\nlines",
        expected="4",
        choices=("3", "4"),
        answer="B",
        route="math",
        metadata={"k": 1},
    )
    assert rows[1] == DatasetRow(input="plain", choices=("a", "b", "c"), answer="C")
    assert rows[2].route == {"r": "code"}


def test_csv_problems_name_the_record_line() -> None:
    text = (
        "input,answer,choices,metadata\n"
        "ok,,,\n"
        '"spans\ntwo lines",Z,a|b,\n'
        ",,,\n"
        "x,,,{bad\n"
        "y,,,,extra\n"
    )
    assert problems_of(text.encode(), "d.csv") == [
        (3, "answer"),
        (6, "metadata"),
        (7, None),
    ]


def test_csv_header_problems() -> None:
    data = b"question,colour,expected,expected\nq,red,1,2\n"
    assert problems_of(data, "d.csv") == [
        (1, "question"),
        (1, "colour"),
        (1, "expected"),
        (1, "input"),
    ]


def test_csv_with_a_header_only_has_no_rows() -> None:
    assert problems_of(b"input,expected\n", "d.csv") == [(1, None)]


@pytest.mark.parametrize("data", [b"", b"  \n\r\n", b"\xef\xbb\xbf"])
def test_empty_file_is_refused(data: bytes) -> None:
    with pytest.raises(DatasetError) as caught:
        parse_dataset(data, filename="d.jsonl")
    assert caught.value.problems == [RowProblem(0, None, "the file is empty")]
    assert str(caught.value.problems[0]) == "the file is empty"


def test_unknown_extension_names_the_supported_ones() -> None:
    with pytest.raises(DatasetError) as caught:
        parse_dataset(b'{"input": "q"}', filename="data.xlsx")
    message = caught.value.problems[0].message
    assert "data.xlsx" in message
    assert ".jsonl" in message
    assert ".ndjson" in message
    assert ".csv" in message


def test_not_utf8_names_the_line() -> None:
    data = b'{"input": "a"}\n{"input": "caf\xe9"}\n'
    assert problems_of(data) == [(2, None)]


def test_too_many_rows_is_one_problem() -> None:
    data = b'{"input": "q"}\n' * (MAX_DATASET_ROWS + 1)
    with pytest.raises(DatasetError) as caught:
        parse_dataset(data, filename="d.jsonl")
    assert len(caught.value.problems) == 1
    assert str(MAX_DATASET_ROWS) in caught.value.problems[0].message
    csv_data = b"input\n" + b"q\n" * (MAX_DATASET_ROWS + 1)
    assert len(problems_of(csv_data, "d.csv")) == 1


def test_exactly_the_limit_is_accepted() -> None:
    data = b'{"input": "q"}\n' * MAX_DATASET_ROWS
    assert len(parse_dataset(data, filename="d.jsonl")) == MAX_DATASET_ROWS


def test_problems_are_capped_with_a_count_of_the_rest() -> None:
    data = b"{}\n" * (MAX_PROBLEMS + 30)
    with pytest.raises(DatasetError) as caught:
        parse_dataset(data, filename="d.jsonl")
    problems = caught.value.problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].message == "and 30 more problems"


def test_unicode_is_kept() -> None:
    rows = parse_dataset(
        jsonl({"input": "Ça va? \u2028 日本語", "expected": "😀"}), filename="a.jsonl"
    )
    assert rows[0].input == "Ça va? \u2028 日本語"
    assert rows[0].expected == "😀"


def test_row_json_round_trip_omits_empty_fields() -> None:
    row = DatasetRow(input="q", choices=("a", "b"), answer="A", route={"r": "x"}, metadata={"k": 1})
    data = row.to_json()
    assert data == {
        "input": "q",
        "choices": ["a", "b"],
        "answer": "A",
        "route": {"r": "x"},
        "metadata": {"k": 1},
    }
    assert DatasetRow.from_json(json.loads(json.dumps(data))) == row
    assert DatasetRow(input="only").to_json() == {"input": "only"}
