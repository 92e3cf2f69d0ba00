"""Unit conversion between units of one dimension: length, mass, time, temperature, volume,
speed and data size.

Every unit is ``base = value * factor + offset`` in its dimension's base unit (metre, kilogram,
second, kelvin, litre, metre per second, byte); only temperatures have an offset. Unit names are
looked up exactly first (``MB`` and ``Mbit`` differ), then ignoring case; plurals of the spelled-out
names are accepted. US customary volumes are the US ones; imperial gallons and pints are named so.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from graphs.tools.base import ToolError

SIGNIFICANT_DIGITS = 10


class UnitError(ToolError):
    """An unknown unit, or two units that measure different things."""


@dataclass(frozen=True)
class Unit:
    symbol: str
    dimension: str
    factor: float
    offset: float = 0.0


_UNITS: dict[str, Unit] = {}
_FOLDED: dict[str, Unit] = {}


def _define(dimension: str, symbol: str, factor: float, *names: str, offset: float = 0.0) -> None:
    unit = Unit(symbol, dimension, factor, offset)
    for name in (symbol, *names):
        spellings = [name]
        if len(name) >= 3 and name.replace(" ", "").isalpha() and not name.endswith("s"):
            spellings.append(name + "s")
        for spelling in spellings:
            _UNITS[spelling] = unit
            _FOLDED.setdefault(spelling.lower(), unit)


# Length (metre).
_define("length", "m", 1, "meter", "metre")
_define("length", "km", 1e3, "kilometer", "kilometre")
_define("length", "cm", 1e-2, "centimeter", "centimetre")
_define("length", "mm", 1e-3, "millimeter", "millimetre")
_define("length", "µm", 1e-6, "um", "micrometer", "micrometre", "micron")
_define("length", "nm", 1e-9, "nanometer", "nanometre")
_define("length", "in", 0.0254, "inch", "inches")
_define("length", "ft", 0.3048, "foot", "feet")
_define("length", "yd", 0.9144, "yard")
_define("length", "mi", 1609.344, "mile")
_define("length", "nmi", 1852, "nautical mile")
# Mass (kilogram).
_define("mass", "kg", 1, "kilogram", "kilo")
_define("mass", "g", 1e-3, "gram", "gramme")
_define("mass", "mg", 1e-6, "milligram")
_define("mass", "µg", 1e-9, "ug", "microgram")
_define("mass", "t", 1e3, "tonne", "metric ton")
_define("mass", "lb", 0.45359237, "lbs", "pound")
_define("mass", "oz", 0.028349523125, "ounce")
_define("mass", "st", 6.35029318, "stone")
# Time (second). A year is the mean Gregorian year; a month a twelfth of it.
_define("time", "s", 1, "sec", "secs", "second")
_define("time", "ms", 1e-3, "millisecond")
_define("time", "µs", 1e-6, "us", "microsecond")
_define("time", "ns", 1e-9, "nanosecond")
_define("time", "min", 60, "mins", "minute")
_define("time", "h", 3600, "hr", "hrs", "hour")
_define("time", "d", 86400, "day")
_define("time", "wk", 604800, "week")
_define("time", "mo", 2629746, "month")
_define("time", "yr", 31556952, "y", "year")
# Temperature (kelvin).
_define("temperature", "K", 1, "kelvin")
_define("temperature", "°C", 1, "C", "degC", "celsius", "degree celsius", "degrees celsius",
        offset=273.15)  # fmt: skip
_define("temperature", "°F", 5 / 9, "F", "degF", "fahrenheit", "degree fahrenheit",
        "degrees fahrenheit", offset=273.15 - 32 * 5 / 9)  # fmt: skip
# Volume (litre).
_define("volume", "L", 1, "l", "liter", "litre")
_define("volume", "mL", 1e-3, "ml", "milliliter", "millilitre")
_define("volume", "cL", 1e-2, "cl", "centiliter", "centilitre")
_define("volume", "dL", 0.1, "dl", "deciliter", "decilitre")
_define("volume", "m³", 1e3, "m3", "cubic meter", "cubic metre")
_define("volume", "cm³", 1e-3, "cm3", "cc", "cubic centimeter", "cubic centimetre")
_define("volume", "gal", 3.785411784, "gallon", "us gallon")
_define("volume", "qt", 0.946352946, "quart")
_define("volume", "pt", 0.473176473, "pint")
_define("volume", "cup", 0.2365882365)
_define("volume", "fl oz", 0.0295735295625, "floz", "fluid ounce")
_define("volume", "tbsp", 0.01478676478125, "tablespoon")
_define("volume", "tsp", 0.00492892159375, "teaspoon")
_define("volume", "imp gal", 4.54609, "imperial gallon", "uk gallon")
_define("volume", "imp pt", 0.56826125, "imperial pint", "uk pint")
# Speed (metre per second).
_define("speed", "m/s", 1, "mps", "meter per second", "meters per second")
_define("speed", "km/h", 1 / 3.6, "kph", "kmh", "km/hr", "kilometer per hour",
        "kilometers per hour")  # fmt: skip
_define("speed", "mph", 0.44704, "mi/h", "mile per hour", "miles per hour")
_define("speed", "kn", 1852 / 3600, "kt", "knot")
_define("speed", "ft/s", 0.3048, "fps", "foot per second", "feet per second")
# Data size (byte). kB, MB, ... are decimal; KiB, MiB, ... binary.
_define("data size", "bit", 1 / 8)
_define("data size", "B", 1, "byte")
_define("data size", "kB", 1e3, "KB", "kilobyte")
_define("data size", "MB", 1e6, "megabyte")
_define("data size", "GB", 1e9, "gigabyte")
_define("data size", "TB", 1e12, "terabyte")
_define("data size", "PB", 1e15, "petabyte")
_define("data size", "KiB", 2**10, "kibibyte")
_define("data size", "MiB", 2**20, "mebibyte")
_define("data size", "GiB", 2**30, "gibibyte")
_define("data size", "TiB", 2**40, "tebibyte")
_define("data size", "kbit", 1e3 / 8, "kilobit")
_define("data size", "Mbit", 1e6 / 8, "megabit")
_define("data size", "Gbit", 1e9 / 8, "gigabit")


def find_unit(name: str) -> Unit:
    """The unit called ``name`` (exact spelling first, then ignoring case and extra spaces).
    Raises ``UnitError`` suggesting the closest known names."""
    cleaned = " ".join(name.split())
    unit = _UNITS.get(cleaned) or _FOLDED.get(cleaned.lower())
    if unit is not None:
        return unit
    close = difflib.get_close_matches(cleaned.lower(), _FOLDED, n=3, cutoff=0.75)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    dimensions = sorted({u.dimension for u in _UNITS.values()})
    raise UnitError(f"unknown unit {name!r}{hint} (units of {', '.join(dimensions)} are known)")


def convert(value: float, from_unit: str, to_unit: str) -> tuple[float, Unit, Unit]:
    """``value`` in ``from_unit`` expressed in ``to_unit`` (to ``SIGNIFICANT_DIGITS``), with
    the two units found.

    Raises ``UnitError`` for an unknown unit, units of different dimensions (``kg`` to ``m``) or
    a temperature below absolute zero.
    """
    source, target = find_unit(from_unit), find_unit(to_unit)
    if source.dimension != target.dimension:
        raise UnitError(
            f"cannot convert {source.symbol} ({source.dimension}) to {target.symbol} "
            f"({target.dimension})"
        )
    base = value * source.factor + source.offset
    if source.dimension == "temperature" and base < -1e-9:
        raise UnitError(f"{value:g} {source.symbol} is below absolute zero")
    result = (base - target.offset) / target.factor
    return float(f"{result:.{SIGNIFICANT_DIGITS}g}"), source, target
