"""Cut a long (streaming) Markdown answer into independent segments at safe block boundaries.

An answer is shown as a column of ``MarkdownText`` segments of about :data:`SEGMENT_CHARS`
characters: finished segments keep their laid-out lines, and only the last one is parsed,
laid out and repainted again while text streams in, so the cost of a delta stays flat however
long the answer grows.

A cut is only made where Markdown itself starts a new block: at the start of a non-indented
line after a blank line, outside fenced code (as :class:`~pplx_tui.markdown_code.CodeTracker`
reads it). Text can be fed in pieces of any size (deltas); the state carries over.
"""

from __future__ import annotations

from pplx_tui.markdown_code import CodeTracker

__all__ = ["SEGMENT_CHARS", "Segmenter", "split_segments"]

SEGMENT_CHARS = 8_000
"""A segment is closed at the first safe boundary after this many characters. Appending parses
and lays out only the segment's last block, so a longer segment costs little more per draw,
while each new segment is a widget to mount and style (~5 ms; 2,000 characters made 15 of them
for a 2,000-delta answer, 4 now)."""


class Segmenter:
    """Feed text with :meth:`split`; it says where new segments begin."""

    __slots__ = ("_code", "_line", "_previous_blank", "limit", "size")

    def __init__(self, limit: int = SEGMENT_CHARS) -> None:
        self.limit = limit
        self.size = 0
        """Characters in the current segment."""
        self._code = CodeTracker()
        self._line = ""
        self._previous_blank = False

    def split(self, text: str) -> list[str]:
        """``text`` as pieces; each piece after the first starts a new segment."""
        pieces: list[str] = []
        start = position = 0
        while position < len(text):
            if (
                not self._line
                and self._previous_blank
                and not self._code.fence
                and not text[position].isspace()
                and self.size + position - start >= self.limit
            ):
                pieces.append(text[start:position])
                self.size = 0
                start = position
            newline = text.find("\n", position)
            if newline == -1:
                self._line += text[position:]
                break
            line = self._line + text[position:newline]
            self._line = ""
            self._code.line(line)
            self._previous_blank = not line.strip()
            position = newline + 1
        self.size += len(text) - start
        pieces.append(text[start:])
        return pieces


def split_segments(markdown: str, limit: int = SEGMENT_CHARS) -> list[str]:
    """A whole document cut into segments (at least one, possibly empty)."""
    return Segmenter(limit).split(markdown)
