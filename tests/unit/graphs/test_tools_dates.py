"""Date arithmetic on ISO dates."""

from __future__ import annotations

from datetime import date

import pytest

from graphs.tools.dates import (
    DateError,
    add_duration,
    days_between,
    duration_unit,
    parse_date,
    weekday_name,
)


@pytest.mark.parametrize(
    ("start", "amount", "unit", "expected"),
    [
        ("2024-03-01", 30, "days", "2024-03-31"),
        ("2024-03-01", -1, "day", "2024-02-29"),
        ("2023-12-25", 2, "weeks", "2024-01-08"),
        ("2024-01-31", 1, "month", "2024-02-29"),
        ("2023-01-31", 1, "months", "2023-02-28"),
        ("2024-05-31", -3, "Months", "2024-02-29"),
        ("2024-02-29", 1, "year", "2025-02-28"),
        ("2024-02-29", 4, "years", "2028-02-29"),
        ("2024-11-15", 2, "months", "2025-01-15"),
    ],
)
def test_adds_durations(start: str, amount: int, unit: str, expected: str) -> None:
    assert add_duration(parse_date(start), amount, unit) == date.fromisoformat(expected)


def test_days_between_counts_forward_and_backward() -> None:
    assert days_between(parse_date("2024-01-01"), parse_date("2024-03-01")) == 60
    assert days_between(parse_date("2024-03-01"), parse_date("2024-01-01")) == -60


def test_weekday_is_named_in_english() -> None:
    assert weekday_name(parse_date("2024-07-04")) == "Thursday"
    assert weekday_name(parse_date("2000-01-01")) == "Saturday"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("03/04/2024", r"'03/04/2024' is not an ISO date \(YYYY-MM-DD\)"),
        ("2024-02-30", "'2024-02-30' is not a valid date"),
        ("tomorrow", "is not an ISO date"),
        ("20240101", "is not an ISO date"),
    ],
)
def test_other_date_formats_are_refused(text: str, message: str) -> None:
    with pytest.raises(DateError, match=message):
        parse_date(text)


def test_unknown_duration_unit_is_refused() -> None:
    with pytest.raises(DateError, match="unknown duration unit 'fortnight'"):
        duration_unit("fortnight")


def test_results_outside_the_calendar_are_refused() -> None:
    with pytest.raises(DateError, match="outside the supported years 1 to 9999"):
        add_duration(parse_date("9999-12-01"), 1, "months")
    with pytest.raises(DateError, match="outside the supported years"):
        add_duration(parse_date("2024-01-01"), -(10**9), "days")
    with pytest.raises(DateError, match="outside the supported years"):
        add_duration(parse_date("2024-01-01"), 10**30, "weeks")
