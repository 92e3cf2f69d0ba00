"""The built-in functions a ``tool`` node can call, each with its fixed argument schema.

They run in-process, offline and fast (the calculator's limits bound its work). Each one turns
its bound arguments (``graphs.tools.schema.bind_arguments``) into a ``ToolOutput`` whose text
reads as an answer (``2 * (3 + 4) = 14``), so it can go straight to an output node or to a model
that phrases it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from graphs.tools import calculator, dates, units
from graphs.tools.base import ToolOutput
from graphs.tools.schema import ArgumentSpec


@dataclass(frozen=True)
class BuiltinFunction:
    """``run`` takes the bound arguments and raises ``ToolError`` when it cannot do its job."""

    name: str
    description: str
    arguments: tuple[ArgumentSpec, ...]
    run: Callable[[Mapping[str, Any]], ToolOutput]


def _calculate(args: Mapping[str, Any]) -> ToolOutput:
    expression = str(args["expression"]).strip()
    value = calculator.evaluate(expression)
    return ToolOutput(value=value, text=f"{expression} = {calculator.format_number(value)}")


def _convert_units(args: Mapping[str, Any]) -> ToolOutput:
    value, source, target = units.convert(args["value"], args["from_unit"], args["to_unit"])
    given = calculator.format_number(args["value"])
    return ToolOutput(
        value=value,
        text=f"{given} {source.symbol} = {calculator.format_number(value)} {target.symbol}",
    )


def _date_add(args: Mapping[str, Any]) -> ToolOutput:
    start = dates.parse_date(args["date"])
    amount: int = args["amount"]
    unit = dates.duration_unit(args.get("unit", "days"))
    result = dates.add_duration(start, amount, unit)
    sign = "+" if amount >= 0 else "-"
    units = unit if abs(amount) != 1 else unit.removesuffix("s")
    return ToolOutput(
        value=result.isoformat(),
        text=f"{start.isoformat()} {sign} {abs(amount)} {units} = {result.isoformat()} "
        f"({dates.weekday_name(result)})",
    )


def _date_diff(args: Mapping[str, Any]) -> ToolOutput:
    start, end = dates.parse_date(args["start"]), dates.parse_date(args["end"])
    days = dates.days_between(start, end)
    weeks, rest = divmod(abs(days), 7)
    return ToolOutput(
        value=days,
        text=f"from {start.isoformat()} to {end.isoformat()}: {days} days "
        f"({weeks} weeks and {rest} days)",
    )


def _weekday(args: Mapping[str, Any]) -> ToolOutput:
    day = dates.parse_date(args["date"])
    name = dates.weekday_name(day)
    return ToolOutput(value=name, text=f"{day.isoformat()} is a {name}")


def _iso_date(name: str, description: str) -> ArgumentSpec:
    return ArgumentSpec(name=name, type="string", description=description)


BUILTINS: dict[str, BuiltinFunction] = {
    function.name: function
    for function in (
        BuiltinFunction(
            "calculator",
            "Evaluates an arithmetic expression: + - * / // % ** (or ^), parentheses, "
            "functions such as sqrt, log, sin, round, and the constants pi, e, tau.",
            (
                ArgumentSpec(
                    name="expression",
                    description="the expression, for example 2 * (3 + 4) or sqrt(2) / 2",
                ),
            ),
            _calculate,
        ),
        BuiltinFunction(
            "convert_units",
            "Converts a quantity between units of length, mass, time, temperature, volume, "
            "speed or data size.",
            (
                ArgumentSpec(name="value", type="number", description="the quantity"),
                ArgumentSpec(name="from_unit", description="its unit, for example km or °F"),
                ArgumentSpec(name="to_unit", description="the unit wanted, for example mi or °C"),
            ),
            _convert_units,
        ),
        BuiltinFunction(
            "date_add",
            "Adds a duration to a date (a negative amount subtracts it).",
            (
                _iso_date("date", "the start date, YYYY-MM-DD"),
                ArgumentSpec(name="amount", type="integer", description="how many units to add"),
                ArgumentSpec(
                    name="unit",
                    description="days, weeks, months or years (default days)",
                    required=False,
                ),
            ),
            _date_add,
        ),
        BuiltinFunction(
            "date_diff",
            "Counts the days from one date to another.",
            (
                _iso_date("start", "the first date, YYYY-MM-DD"),
                _iso_date("end", "the second date, YYYY-MM-DD"),
            ),
            _date_diff,
        ),
        BuiltinFunction(
            "weekday",
            "Names the day of the week of a date.",
            (_iso_date("date", "the date, YYYY-MM-DD"),),
            _weekday,
        ),
    )
}
