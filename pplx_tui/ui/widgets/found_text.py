"""Where a find's text stands in the lines a Markdown text draws: :func:`occurrences`.

The text is looked for in what is drawn, not in the Markdown (whose marks, escapes and link
targets are not on screen), case-insensitively as the find bar counts its messages. A line
wrapped at a space reads on into the next one (the blanks around them skipped: a list item's
indent, a quote's padding), so a phrase broken over two lines is found; a blank line (a
paragraph's end) stops it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

__all__ = ["Occurrence", "Piece", "occurrences"]


class Piece(NamedTuple):
    """The part of an occurrence on one line: characters ``start`` to ``end`` of ``line``."""

    line: int
    start: int
    end: int


Occurrence = tuple[Piece, ...]
"""One place the text stands, a piece a line (more than one where it is wrapped)."""


def occurrences(lines: Sequence[str], wanted: str) -> list[Occurrence]:
    """Every place ``wanted`` (casefolded) stands in ``lines``, in reading order."""
    found: list[Occurrence] = []
    run: list[int] = []
    for y, line in enumerate([*lines, ""]):
        if line.strip():
            run.append(y)
        elif run:
            found.extend(_in_run(lines, run, wanted))
            run = []
    return found


def _in_run(lines: Sequence[str], run: list[int], wanted: str) -> list[Occurrence]:
    """The occurrences in the lines ``run`` (numbers of lines with text, one after another)."""
    if not wanted or wanted not in " ".join(lines[y].strip() for y in run).casefold():
        return []  # (most paragraphs: nothing mapped character by character)
    folded: list[str] = []
    places: list[tuple[int, int] | None] = []
    """Where each character of ``folded`` is drawn (``None``: the space a wrap took)."""
    for y in run:
        line = lines[y]
        if folded:
            folded.append(" ")
            places.append(None)
        lead = len(line) - len(line.lstrip())
        for x in range(lead, len(line.rstrip())):
            folding = line[x].casefold()  # ("ß": two characters, drawn in one place)
            folded.extend(folding)
            places.extend([(y, x)] * len(folding))
    text = "".join(folded)
    found: list[Occurrence] = []
    start = text.find(wanted)
    while start != -1:
        drawn = [p for p in places[start : start + len(wanted)] if p is not None]
        found.append(_pieces(drawn))
        start = text.find(wanted, start + len(wanted))
    return found


def _pieces(drawn: list[tuple[int, int]]) -> Occurrence:
    """The places ``drawn`` (line, character; in order) as one piece a line."""
    pieces: list[Piece] = []
    for y, x in drawn:
        if pieces and pieces[-1].line == y:
            pieces[-1] = pieces[-1]._replace(end=x + 1)
        else:
            pieces.append(Piece(y, x, x + 1))
    return tuple(pieces)
