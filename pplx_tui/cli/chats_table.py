"""``pplx chats list``'s table: id, time, count, models, title.

In a pipe the columns have fixed widths and every title is whole (scripts read the same bytes
whatever window they ran in). On a terminal each chat takes one line: the models column takes
what the longest title leaves, narrows for the title, and goes in a narrow terminal; a title cut
to fit ends with "…".
"""

from __future__ import annotations

from dataclasses import dataclass

from pplx_tui.cli.columns import cells, fit, pad_right

MODELS_WIDTH = 24
"""The models column's width at most in a pipe or a file, and what a terminal gives it before
it narrows for the title (it takes more when the longest title leaves more)."""
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
    count_width = max((cells(row.count) for row in rows), default=0)
    longest = max((cells(row.models) for row in rows), default=0)
    if width is None:
        models_width, title_room = min(longest, MODELS_WIDTH), None
    else:
        before = sum(max((cells(getattr(r, f)) for r in rows), default=0) for f in ("id", "time"))
        left = width - (before + count_width + 3 * 2)  # the models, their gap and the title
        titles = max((cells(row.title + row.mark) for row in rows), default=0)
        models_width = min(longest, max(MODELS_WIDTH, left - 2 - titles))
        if left - 2 - models_width < TITLE_MIN:
            models_width = min(longest, max(MODELS_MIN, left - 2 - TITLE_MIN))
        if left - 2 - models_width < TITLE_MIN:
            models_width = None  # no room for both: the title says more
        # (what is left, even under TITLE_MIN: a line too long wraps every row)
        title_room = max(left - 2 - models_width if models_width is not None else left, 1)
    lines = []
    for row in rows:
        shown = [row.id, row.time, pad_right(row.count, count_width)]
        if models_width is not None:
            shown.append(fit(row.models, models_width))
        shown.append(_title(row, title_room))
        lines.append("  ".join(shown))
    return lines


def _title(row: ChatRow, room: int | None) -> str:
    """The title and its mark, the title cut with "…" to fit ``room`` cells."""
    if room is None or cells(row.title + row.mark) <= room:
        return row.title + row.mark
    kept = room - cells(row.mark)
    if kept < 2:
        return fit(row.title + row.mark, room)
    return fit(row.title, kept) + row.mark
