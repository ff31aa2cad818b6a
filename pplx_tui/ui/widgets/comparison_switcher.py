"""The line above a comparison's columns that says which answer later questions follow (and,
one column shown at a time, numbers and names them all), fitted to the width it is given at
each layout: its choice was made with the comparison's width before its first layout (0: the
names stayed uncut) and not always made again once it had one.

What later questions follow is the only hint on the screen of which answer the chat carries on
with, so it is never lost to the width (QA: at 60 columns with the sources shown the names
wrapped onto a second row and pushed it out; at 80 it was cut without "…"). From wide to
narrow (:func:`switcher_rows`): all in one row; the names with their vendors, then without,
above the hint on its own row; the other columns' names left out (their numbers kept), then
the shown one's cut with "…"; the hint said shorter, down to ``Follows 2``, then
cut with "…". No row is wider than the room.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from pplx_tui.ui.widgets.fitted_line import FittedLine, cells, cut

__all__ = ["SwitcherLine", "fitted_line", "followed_line", "switcher_rows", "wrapped_line"]

HINTS = (
    "Later questions follow {0} ({1} / {2}: switch)",
    "Later questions follow {0} ({1}/{2}: switch)",
    "Later questions follow {0} ({1}/{2})",
    "Follows {0} · {1}/{2}: switch",
    "Follows {0} · {1}/{2}",
    "Follows {0}",
)
"""What the hint says, from the longest (the README's) to the shortest."""


def fitted_line(lines: list[str], room: int) -> str:
    """The first of ``lines`` (the likeliest, in order) whose rows fit in ``room`` cells (0:
    any), else the last."""
    for line in lines:
        if room <= 0 or max(cells(row) for row in line.split("\n")) <= room:
            return line
    return lines[-1] if lines else ""


def wrapped_line(lines: list[str], room: int) -> str:
    """The first of ``lines`` that fits in one row of ``room`` cells, else the last in as many
    rows as it needs, broken between its `` · `` parts (a part longer than a row between its
    words): the common-sources line, read in full (QA: cut to "· o…" at 120 columns)."""
    line = fitted_line(lines, room)
    if room <= 0 or cells(line) <= room:
        return line
    rows: list[str] = []
    for part in line.split(" · "):
        if rows and cells(joined := f"{rows[-1]} · {part}") <= room:
            rows[-1] = joined
        elif cells(part) <= room:
            rows.append(part)
        else:
            rows += textwrap.wrap(part, room, break_on_hyphens=False) or [part]
    return "\n".join(rows)


def _first_fitting(rows: Sequence[str], room: int) -> str | None:
    return next((row for row in rows if cells(row) <= room), None)


KEYS = ("a", "A")
"""The keys that show the next / previous alternative, unless a ``[keymap]`` moves them."""


def _hint(followed: str, room: int, keys: Sequence[str]) -> str:
    """The hint on a row of its own: the longest that fits, else the shortest cut."""
    hints = [hint.format(followed, *keys) for hint in HINTS]
    return _first_fitting(hints, room) or cut(hints[-1], room)


def followed_line(names: Sequence[str], room: int, keys: Sequence[str] = KEYS) -> str:
    """Columns side by side: ``Later questions follow perplexity/sonar-pro (a / A: switch)``,
    ``names`` the followed column's, longest first (with its vendor, without); ``keys``:
    those that switch."""
    full = [HINTS[0].format(name, *keys) for name in names]
    if room <= 0:
        return full[0]
    shorter = [hint.format(names[-1], *keys) for hint in HINTS[1:]]
    return _first_fitting([*full, *shorter], room) or cut(shorter[-1], room)


def _names_row(numbers: Sequence[int], names: Sequence[str | None], current: int) -> str:
    """``1 sonar  [2 sonar-pro]  3``: each answer's number and name (``None``: the number
    alone), the one shown in brackets."""
    parts = [
        f"{number} {name}" if name else str(number)
        for number, name in zip(numbers, names, strict=True)
    ]
    parts[current] = f"[{parts[current]}]"
    return "  ".join(parts)


def switcher_rows(
    numbers: Sequence[int],
    names: Sequence[Sequence[str]],
    current: int,
    room: int,
    keys: Sequence[str] = KEYS,
) -> str:
    """One column shown at a time: ``[1 sonar]  2 sonar-pro · later questions follow 1 (a / A:
    switch)``, each answer numbered (``numbers``) and named (``names``: the columns' names,
    longest first: with their vendors, without), the one shown (``current``, which later
    questions follow) in brackets, fitted to ``room`` cells as the module says (a row each for
    the names and the hint when they do not fit in one)."""
    rows = [_names_row(numbers, named, current) for named in names]
    hint = HINTS[0].format(numbers[current], *keys)
    whole = [f"{row} · {hint[0].lower()}{hint[1:]}" for row in rows]
    if room <= 0:
        return whole[0]
    if (line := _first_fitting(whole, room)) is not None:
        return line
    return f"{_names(numbers, names, current, room)}\n{_hint(str(numbers[current]), room, keys)}"


def _names(numbers: Sequence[int], names: Sequence[Sequence[str]], current: int, room: int) -> str:
    """The names row in ``room`` cells: the names as they are, then the shown one's alone (the
    other columns' numbers kept: QA, a bare "3" beside a named "2" read as a drawing error),
    then the shown one's cut with "…" (then left out), then the row cut."""
    candidates = [_names_row(numbers, named, current) for named in names]
    kept: list[str | None] = [name if n == current else None for n, name in enumerate(names[-1])]
    candidates.append(_names_row(numbers, kept, current))
    if (row := _first_fitting(candidates, room)) is not None:
        return row
    bare = _names_row(numbers, [None] * len(kept), current)
    name_room = room - cells(bare) - 1  # the name and the space before it
    if name_room >= 2:
        kept[current] = cut(names[-1][current], name_room)
        return _names_row(numbers, kept, current)
    return cut(bare, room)


class SwitcherLine(FittedLine):
    """The switcher line (or the common-sources line above it): what its fit gives for the
    width at each layout."""
