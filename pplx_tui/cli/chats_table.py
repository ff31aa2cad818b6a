"""``pplx chats list``'s table: id, time, count, models, title.

In a pipe every value is whole, the models column as wide as the longest (scripts read the same
bytes whatever window they ran in, and ``grep sonar-pro`` finds a chat whatever its models). On
a terminal each chat takes one line: the models column takes what the longest title leaves,
narrows for the title, and goes in a narrow terminal; a title cut to fit ends with "…".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pplx_tui.cli.columns import cells, fit, pad_right

MODELS_WIDTH = 24
"""What a terminal gives the models column before it narrows for the title (it takes more when
the longest title leaves more)."""
MODELS_MIN = 12
"""The models column's narrowest on a terminal; narrower, it goes."""
TITLE_MIN = 16
"""Cells a terminal's line keeps for the title before the models column goes."""


@dataclass(frozen=True, slots=True)
class ChatRow:
    """One chat's values, as shown."""

    id: str
    time: str
    count: str
    models: str
    title: str
    mark: str = ""
    """After the title, kept when the title is cut (`` (read-only)``)."""


def table_lines(rows: list[ChatRow], width: int | None) -> list[str]:
    """The lines of the table, fitted to ``width`` cells on a terminal (``None``: a pipe)."""
    id_width = max((cells(row.id) for row in rows), default=0)
    if any(cells(row.id) != id_width for row in rows):  # a chat file named by hand: zzzz.json
        rows = [replace(row, id=pad_right(row.id, id_width)) for row in rows]
    count_width = max((cells(row.count) for row in rows), default=0)
    longest = max((cells(row.models) for row in rows), default=0)
    if width is None:
        return [_line(row, longest, None, count_width, _FULL) for row in rows]
    time_width = max((cells(row.time) for row in rows), default=0)
    before = max((cells(row.id) for row in rows), default=0) + time_width
    left = width - (before + count_width + 3 * 2)  # the models, their gap and the title
    titles = max((cells(row.title + row.mark) for row in rows), default=0)
    models_width: int | None = min(longest, max(MODELS_WIDTH, left - 2 - titles))
    if left - 2 - models_width < TITLE_MIN:
        models_width = min(longest, max(MODELS_MIN, left - 2 - TITLE_MIN))
    if left - 2 - models_width < TITLE_MIN:
        models_width = None  # no room for both: the title says more
    room = left - 2 - models_width if models_width is not None else left
    # Narrower still (QA: at 40 columns a line was 44 cells, with no title): the count goes,
    # then the time of day, then the date, before the title is cut under its least room.
    shown = _FULL
    if room < TITLE_MIN:
        shown, room = _NO_COUNT, room + count_width + 2
    if room < TITLE_MIN:
        dates = max((cells(_date(row.time)) for row in rows), default=0)
        shown, room = _DATE, room + time_width - dates
    if room < TITLE_MIN:
        shown, room = _ID_ONLY, room + time_width + 2 - (time_width - dates)
    # (what is left, even under TITLE_MIN: a line too long wraps every row)
    return [_line(row, models_width, max(room, 1), count_width, shown) for row in rows]


_FULL, _NO_COUNT, _DATE, _ID_ONLY = range(4)
"""What a line shows before its models and title: id, time and count; id and time; id and
the date; the id alone."""


def _line(row: ChatRow, models: int | None, room: int | None, count_width: int, shown: int) -> str:
    """``row`` as a line: ``shown`` (:data:`_FULL`...) of id, time and count, the models cut to
    ``models`` cells (``None``: not shown), the title to ``room`` (``None``: whole)."""
    columns = [row.id]
    if shown < _DATE:
        columns.append(row.time)
    elif shown == _DATE:
        columns.append(_date(row.time))
    if shown == _FULL:
        columns.append(pad_right(row.count, count_width))
    if models is not None:
        columns.append(fit(row.models, models))
    columns.append(_title(row, room))
    return "  ".join(columns)


def _date(time: str) -> str:
    """The date of a ``YYYY-MM-DD HH:MM`` time."""
    return time.rsplit(" ", 1)[0]


def _title(row: ChatRow, room: int | None) -> str:
    """The title and its mark, the title cut with "…" to fit ``room`` cells."""
    if room is None or cells(row.title + row.mark) <= room:
        return row.title + row.mark
    kept = room - cells(row.mark)
    if kept < 2:
        return fit(row.title + row.mark, room)
    return fit(row.title, kept) + row.mark
