"""A source's date as a search API gave it (``2024-11-02``, ``2024/11``, ``2024-11-02T…``,
``May 3, 2024``, ``3 May 2024``, or anything at all): read as far as it is a real date, for
the reference exports and the sources lists alike. A date written only in digits with the day
or month first (``05/03/2024``) is not read: May 3 or March 5 cannot be told."""

from __future__ import annotations

import re
from datetime import date

from pplx_tui.sanitize import clean_line

__all__ = ["parse_date", "shown_date"]

_DATE = re.compile(r"^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?:$|[T ])")
_WEEKDAY = r"(?:[a-z]{3,9}\.?,?\s+)?"
"""``Fri, `` before an RFC 2822 date (``Fri, 03 May 2024 10:00:00 GMT``)."""
_MONTH_FIRST = re.compile(
    rf"^{_WEEKDAY}([a-z]{{3,9}})\.?\s+(?:(\d{{1,2}})(?:st|nd|rd|th)?,?\s+)?(\d{{4}})(?:$|[T ,])",
    re.IGNORECASE,
)
"""``May 3, 2024``, ``Sept. 3rd 2024``, ``May 2024``."""
_DAY_FIRST = re.compile(
    rf"^{_WEEKDAY}(\d{{1,2}})(?:st|nd|rd|th)?\s+([a-z]{{3,9}})\.?,?\s+(\d{{4}})(?:$|[T ,])",
    re.IGNORECASE,
)
"""``3 May 2024``, ``03 May, 2024``."""
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def parse_date(value: str | None) -> tuple[int, ...]:
    """``(year, month, day)`` as far as ``value`` gives them and they are valid; ``()``
    otherwise."""
    text = clean_line(value or "").strip()
    parts = _digits(text) or _worded(text)
    if not parts:
        return ()
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return ()
    return parts


def _digits(text: str) -> tuple[int, ...]:
    """``2024-11-02``, ``2024/11``, ``2024-11-02T…``: year first."""
    match = _DATE.match(text)
    return tuple(int(p) for p in match.groups() if p) if match else ()


def _worded(text: str) -> tuple[int, ...]:
    """``May 3, 2024`` or ``3 May 2024`` (a month named in English, whole or cut to three
    letters, ``Sept``), ``May 2024``."""
    if match := _MONTH_FIRST.match(text):
        name, day, year = match.groups()
    elif match := _DAY_FIRST.match(text):
        day, name, year = match.groups()
    else:
        return ()
    month = _month(name)
    if not month:
        return ()
    return (int(year), month, int(day)) if day else (int(year), month)


def _month(name: str) -> int:
    """1 to 12 for ``May``, ``sep``, ``Sept``, ``September``; 0 for any other word."""
    word = name.lower()
    for number, full in enumerate(_MONTHS, start=1):
        if word in (full, full[:3]) or (word == "sept" and number == 9):
            return number
    return 0


def shown_date(value: str | None) -> str:
    """``2022-06-06`` (``2022-06`` or ``2022`` as far as it goes), or ``""`` for no date."""
    return "-".join(f"{part:0{4 if i == 0 else 2}d}" for i, part in enumerate(parse_date(value)))
