"""Date arithmetic on ISO dates (``YYYY-MM-DD``): adding a duration, the days between two dates,
the day of the week.

Adding months or years keeps the day of the month, clamped to the month's last day
(2024-01-31 + 1 month = 2024-02-29), as calendars and people do.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from graphs.tools.base import ToolError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
DURATION_UNITS = ("days", "weeks", "months", "years")


class DateError(ToolError):
    """A text that is not an ISO date, an unknown duration unit, or a date out of range."""


def parse_date(text: str) -> date:
    """``'2024-02-29'`` as a date. Raises ``DateError`` for anything else (other formats are
    refused rather than guessed: is 03/04 March or April?)."""
    cleaned = text.strip()
    if not _ISO_DATE.match(cleaned):
        raise DateError(f"{text!r} is not an ISO date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(cleaned)
    except ValueError as error:
        raise DateError(f"{text!r} is not a valid date ({error})") from None


def duration_unit(text: str) -> str:
    """``'week'``, ``'Weeks'`` -> ``'weeks'``. Raises ``DateError`` for other units."""
    cleaned = text.strip().lower()
    unit = cleaned if cleaned.endswith("s") else cleaned + "s"
    if unit not in DURATION_UNITS:
        raise DateError(f"unknown duration unit {text!r} (use one of {', '.join(DURATION_UNITS)})")
    return unit


def add_duration(start: date, amount: int, unit: str) -> date:
    """``start`` moved by ``amount`` (negative: back) ``unit``s (see ``duration_unit``).

    Raises ``DateError`` for an unknown unit or a result outside years 1 to 9999.
    """
    unit = duration_unit(unit)
    try:
        if unit == "days":
            return start + timedelta(days=amount)
        if unit == "weeks":
            return start + timedelta(weeks=amount)
        months = amount * (12 if unit == "years" else 1)
        return _add_months(start, months)
    except (OverflowError, ValueError):
        raise DateError(
            f"{start.isoformat()} {'+' if amount >= 0 else '-'} {abs(amount)} {unit} "
            "is outside the supported years 1 to 9999"
        ) from None


def _add_months(start: date, months: int) -> date:
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise ValueError("year out of range")
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last_day))


def days_between(start: date, end: date) -> int:
    """Days from ``start`` to ``end``: negative when ``end`` comes first."""
    return (end - start).days


def weekday_name(day: date) -> str:
    """``'Monday'`` ... ``'Sunday'`` (English, whatever the server's locale)."""
    return ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[
        day.weekday()
    ]
