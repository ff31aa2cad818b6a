"""A place in a Markdown text that is found again once the text is laid out at another width.

A line number means other text at another width: a paragraph of two lines at 140 columns is
four at 60. :func:`place_of` says where a line is by its block and the share of the block's
words before it, which wrapping does not change; :func:`line_of` finds the line holding that
word at the new width (the conversation keeps what the user reads in view, across a resize).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Sequence

    from textual.content import Content

__all__ = ["TextPlace", "line_of", "place_of"]


class TextPlace(NamedTuple):
    """Where a line is: in block ``block``, after ``share`` of its words; or ``past`` lines
    below its end (a margin, 1: the first line after it), or above its start (negative: the
    margin above the first block)."""

    block: int
    share: float = 0.0
    past: int = 0


def place_of(blocks: Sequence[tuple[int, list[Content]]], line: int) -> TextPlace:
    """The place of line ``line`` of the text laid out as ``blocks`` (each block's first line
    and its lines: ``MarkdownDocument.blocks``)."""
    if not blocks:
        return TextPlace(0, past=line)
    index = max(0, bisect_right([start for start, _ in blocks], line) - 1)
    start, lines = blocks[index]
    inside = line - start
    if inside < 0:
        return TextPlace(index, past=inside)
    if inside >= len(lines):
        return TextPlace(index, past=inside - len(lines) + 1)
    words = _words(lines)
    total = sum(words)
    share = sum(words[:inside]) / total if total else inside / len(lines)
    return TextPlace(index, share)


def line_of(blocks: Sequence[tuple[int, list[Content]]], place: TextPlace) -> int:
    """The line of the text laid out as ``blocks`` at ``place`` (found by :func:`place_of`,
    possibly at another width)."""
    if not blocks:
        return max(place.past, 0)
    start, lines = blocks[min(place.block, len(blocks) - 1)]
    if place.past:
        return start + place.past + (len(lines) - 1 if place.past > 0 else 0)
    words = _words(lines)
    total = sum(words)
    if not total:
        return start + min(int(place.share * len(lines)), max(len(lines) - 1, 0))
    wanted = round(place.share * total)  # the word the line started with
    seen = 0
    for number, count in enumerate(words):
        if seen + count > wanted:
            return start + number
        seen += count
    return start + len(lines) - 1


def _words(lines: list[Content]) -> list[int]:
    return [len(line.plain.split()) for line in lines]
