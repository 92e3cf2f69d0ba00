"""Unit conversion: every dimension, temperature offsets, name spellings, clear refusals."""

from __future__ import annotations

import pytest

from graphs.tools.units import UnitError, convert, find_unit


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (5, "km", "mi", 3.106855961),
        (1, "mile", "feet", 5280),
        (12, "inches", "cm", 30.48),
        (1, "nautical mile", "m", 1852),
        (2.5, "kg", "lb", 5.511556554),
        (16, "oz", "pounds", 1),
        (1, "tonne", "kg", 1000),
        (90, "minutes", "h", 1.5),
        (2, "days", "hours", 48),
        (1, "week", "days", 7),
        (1, "year", "days", 365.2425),
        (100, "°C", "°F", 212),
        (32, "fahrenheit", "celsius", 0),
        (-40, "C", "F", -40),
        (0, "K", "°C", -273.15),
        (300, "kelvin", "fahrenheit", 80.33),
        (1, "gallon", "L", 3.785411784),
        (1, "imperial gallon", "L", 4.54609),
        (250, "mL", "cups", 1.056688209),
        (1, "m3", "liters", 1000),
        (100, "km/h", "mph", 62.13711922),
        (10, "m/s", "km/h", 36),
        (1, "knot", "km/h", 1.852),
        (1, "GiB", "MB", 1073.741824),
        (1, "GB", "MiB", 953.6743164),
        (100, "Mbit", "MB", 12.5),
        (8, "bits", "byte", 1),
    ],
)
def test_converts_within_a_dimension(
    value: float, source: str, target: str, expected: float
) -> None:
    result, _, _ = convert(value, source, target)
    assert result == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_names_are_found_by_symbol_word_plural_and_case() -> None:
    assert find_unit("km").symbol == find_unit("Kilometers").symbol == "km"
    assert find_unit("  degrees   celsius ").symbol == "°C"
    assert find_unit("MB").symbol == "MB"
    assert find_unit("Mbit").symbol == "Mbit"
    assert find_unit("mb").symbol == "MB"  # folded case means bytes, the common reading


def test_units_of_different_dimensions_are_refused() -> None:
    with pytest.raises(UnitError, match=r"cannot convert kg \(mass\) to m \(length\)"):
        convert(1, "kg", "m")
    with pytest.raises(UnitError, match=r"cannot convert °C \(temperature\) to s \(time\)"):
        convert(1, "C", "seconds")


def test_unknown_unit_is_named_with_suggestions() -> None:
    with pytest.raises(UnitError, match="unknown unit 'kilometr'; did you mean 'kilometre'"):
        convert(1, "kilometr", "m")
    with pytest.raises(UnitError, match=r"unknown unit 'furlong' \(units of data size, length"):
        convert(1, "m", "furlong")


def test_temperatures_below_absolute_zero_are_refused() -> None:
    with pytest.raises(UnitError, match="-300 °C is below absolute zero"):
        convert(-300, "C", "K")
