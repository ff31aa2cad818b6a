"""A source's date as a search API gave it (``2024-11-02``, ``2024/11``, ``2024-11-02T…``,
or anything at all): read as far as it is a real date, for the reference exports and the
sources lists alike."""

from __future__ import annotations

import re
from datetime import date

from pplx_tui.sanitize import clean_line

__all__ = ["parse_date", "shown_date"]

_DATE = re.compile(r"^(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?:$|[T ])")


def parse_date(value: str | None) -> tuple[int, ...]:
    """``(year, month, day)`` as far as ``value`` (``2024-11-02``, ``2024/11``, ``2024-11-02T…``)
    gives them and they are valid; ``()`` otherwise."""
    match = _DATE.match(clean_line(value or ""))
    if not match:
        return ()
    parts = [int(p) for p in match.groups() if p]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return ()
    return tuple(parts)


def shown_date(value: str | None) -> str:
    """``2022-06-06`` (``2022-06`` or ``2022`` as far as it goes), or ``""`` for no date."""
    return "-".join(f"{part:0{4 if i == 0 else 2}d}" for i, part in enumerate(parse_date(value)))
