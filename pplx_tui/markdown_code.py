"""Where an answer's Markdown code is: the one reading every part of pplx-tui shares.

Code is shown as written: a citation marker, math or a ``<think>`` tag in it is its text.
Code is a fenced block (three or more backticks or tildes, with no backtick after a backtick
run on its first line, closed by a run of the same character at least as long with nothing
after it, or open to the end), an indented code block
and a code span (a run of N backticks up to the next run of exactly N, within a paragraph).

:class:`CodeTracker` follows the blocks as text streams in (the ``<think>`` splitter reads a
delta at a time); :func:`code_regions` gives every piece of code of a whole text, and
:func:`outside_code` changes only the text around it.

An indented code block is read as Markdown reads one: a line indented 4 columns past the
open list item's text (past nothing outside a list) that does not go on a paragraph (it
comes first, after a blank line, a heading, a code line or a fence). Inside a list item, 4
spaces are the item's own text. Lists are followed from their markers (``-``, ``*``, ``+``,
``1.``, ``1)``) well enough for that. Block quotes, thematic breaks and ``===`` headings
are taken for paragraphs, and a fence in a list item is followed as one outside it.
Core module: no Textual.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

__all__ = [
    "RUN",
    "CodeTracker",
    "code_blocks",
    "code_regions",
    "open_fence",
    "outside_code",
    "split_code",
]

RUN = re.compile(r"`+|~{3,}")
"""A run that may open or close a fence or a code span."""
_LINE = re.compile(r"([^\n]*)\n?")
_TICKS = re.compile(r"(?<!`)`+(?!`)")
_BLANK = re.compile(r"\n[ \t]*\n")
"""A paragraph's end (a code span does not go past it)."""
_HEAD = 16
"""Characters of a line kept to tell a list item or a heading."""
_MARKER = re.compile(r"([-+*]|\d{1,9}[.)])(?:([ \t]+)|\Z)")
_HEADING = re.compile(r"#{1,6}(?:[ \t]|\Z)")


class CodeTracker:
    """Follows Markdown's code blocks and spans line by line as text is fed: :meth:`text`
    for text with no run or line end in it, :meth:`run` for a :data:`RUN`, :meth:`end_line`
    at each line's end. :attr:`in_code`: whether what comes next is code."""

    __slots__ = (
        "_closing",
        "_column",
        "_empty_item",
        "_fence",
        "_head",
        "_indented",
        "_line_start",
        "_lists",
        "_opening",
        "_paragraph",
        "_plain",
        "_span",
    )

    def __init__(self) -> None:
        self._fence = ""
        """The run of backticks or tildes of the open fenced code block."""
        self._closing = False
        """The current line began with a run that closes the fence if nothing else follows."""
        self._opening = False
        """The current line opened the fence (a backtick fence's has no other backtick)."""
        self._span = 0
        """The backticks of the open code span."""
        self._line_start = True
        """Nothing but whitespace yet on the current line."""
        self._column = 0
        """The current line's indentation so far, in columns (a tab to the next 4)."""
        self._head = ""
        """The current line's first characters after its indentation."""
        self._paragraph = False
        """The line before was a paragraph's: an indented line goes on with it."""
        self._indented = False
        """The current line is in an indented code block."""
        self._plain = True
        """The current line is no fence's."""
        self._lists: list[int] = []
        """The text columns of the open list items, outermost first."""
        self._empty_item = False
        """The line before began a list item with no text."""

    @property
    def fence(self) -> str:
        """The run of the open fenced code block (``""``: none)."""
        return self._fence

    @property
    def in_code(self) -> bool:
        """Whether text that came now would be code (a span is taken as code once it opens:
        a stream cannot wait for its end)."""
        return bool(self._fence or self._span) or self._in_code_block()

    @property
    def line_in_block(self) -> bool:
        """Whether the current line is a code block's: a fence's line, the code between, or
        a line of an indented code block (a blank one only between fences)."""
        if self._line_start:
            return bool(self._fence)
        return self._indented or bool(self._fence) or not self._plain

    def run(self, run: str) -> None:
        """A run of backticks or tildes: it may open or close a fence or a code span."""
        at_start = self._line_start
        self.text(run)
        if self._indented:
            return  # (in an indented code block, a run is text)
        if self._opening and run[0] == "`" == self._fence[0]:
            # Not a fence: a paragraph's line (its backticks are its code spans' runs).
            self._plain, self._fence, self._opening = True, "", False
        elif at_start and len(run) >= 3:
            if not self._fence:
                self._plain, self._fence, self._span, self._opening = False, run, 0, True
            elif run[0] == self._fence[0] and len(run) >= len(self._fence):
                self._plain, self._closing = False, True
        elif not self._fence and run[0] == "`":
            self._span = 0 if self._span == len(run) else self._span or len(run)

    def text(self, text: str) -> None:
        """Follow the current line through ``text`` (no line end in it): its indentation,
        then where it begins and its first characters."""
        if self._closing and text.strip():
            self._closing = False  # (a closing fence has nothing after it)
        if self._line_start:
            body = text.lstrip(" \t")
            for char in text[: len(text) - len(body)]:
                self._column = (
                    self._column + 4 - self._column % 4 if char == "\t" else self._column + 1
                )
            if not body.strip():
                return
            self._begin_line()
            text = body
        if len(self._head) < _HEAD:
            self._head += text[: _HEAD - len(self._head)]

    def line(self, text: str) -> bool:
        """Follow one whole line (``text``, without its end): whether it was a code block's
        (:attr:`line_in_block`)."""
        position = 0
        if "`" in text or "~~~" in text:
            for found in RUN.finditer(text):
                self.text(text[position : found.start()])
                self.run(found.group())
                position = found.end()
        self.text(text[position:])
        in_block = self.line_in_block
        self.end_line()
        return in_block

    def end_line(self) -> None:
        """At a line's end: whether it was blank, code, a fence's, or a line of text."""
        self._opening = False
        if self._closing:
            self._fence, self._closing = "", False
        if self._line_start:
            self._span = 0  # a blank line ends the paragraph, and a code span in it
            if self._empty_item:  # (an item that begins empty ends at a blank line)
                self._lists.pop()
            self._paragraph = self._empty_item = False
        elif self._indented or self._fence or not self._plain:
            if not self._plain:  # a fence's line ends the items it is not in
                self._close_items()
            self._paragraph = self._empty_item = False
        else:
            self._text_line()
        self._line_start, self._column, self._plain = True, 0, True

    def _base(self) -> int:
        """The text column of the list item the current line is in (0: none). Unless it goes
        on a paragraph (lazily), a line indented less than an item's text ends that item."""
        lists = self._lists
        if not (self._paragraph or self._fence):
            lists = [column for column in lists if column <= self._column]
        return lists[-1] if lists else 0

    def _in_code_block(self) -> bool:
        """The current line, as far as it has come, is in an indented code block."""
        if not self._line_start:
            return self._indented
        return not (self._fence or self._paragraph) and self._column >= self._base() + 4

    def _begin_line(self) -> None:
        """The current line's first character came: is it code, which items does it end."""
        self._indented = self._in_code_block()
        if not (self._paragraph or self._fence):
            self._close_items()
        self._line_start, self._head = False, ""

    def _text_line(self) -> None:
        """A line of text ended: a heading's, a list item's first, or a paragraph's."""
        lazy, self._paragraph, self._empty_item = self._paragraph, True, False
        base = self._lists[-1] if self._lists else 0
        if self._column >= base + 4:
            return  # (indented: a paragraph's text)
        if _HEADING.match(self._head):
            self._close_items()
            self._paragraph = False
        elif marker := _MARKER.match(self._head):
            empty = not self._head[marker.end() :].strip() and len(self._head) < _HEAD
            if empty and lazy and self._column >= base:
                # No item: an empty one cannot break a paragraph ("-" makes it a heading).
                self._paragraph = marker[1] != "-"
                return
            self._close_items()
            gap = len((marker[2] or "").expandtabs(4))
            self._lists.append(self._column + len(marker[1]) + (gap if 1 <= gap <= 4 else 1))
            self._paragraph, self._empty_item = not empty, empty

    def _close_items(self) -> None:
        """End the list items whose text is indented more than the current line."""
        while self._lists and self._lists[-1] > self._column:
            self._lists.pop()


def code_regions(markdown: str) -> list[tuple[int, int]]:
    """Where each piece of code of ``markdown`` starts and ends, in order: a code block's
    lines (its fences and line ends included) or a code span (its backticks included)."""
    if "`" not in markdown and not _maybe_block(markdown):
        return []
    regions: list[tuple[int, int]] = []
    position = 0
    for start, end in [*code_blocks(markdown), (len(markdown), len(markdown))]:
        regions += _spans(markdown, position, start)
        if start < end:
            regions.append((start, end))
        position = end
    return regions


def code_blocks(markdown: str) -> list[tuple[int, int]]:
    """Where ``markdown``'s code blocks are (not its code spans): each run of lines of
    fenced or indented code, line ends included."""
    if not _maybe_block(markdown):
        return []
    tracker = CodeTracker()
    regions: list[tuple[int, int]] = []
    start = 0
    for found in _LINE.finditer(markdown):
        if found.start() == len(markdown) and found.start() == start:
            break  # (no last line after the last line end)
        if tracker.line(found.group(1)):
            if regions and regions[-1][1] == start:
                regions[-1] = (regions[-1][0], found.end())
            else:
                regions.append((start, found.end()))
        start = found.end()
    return regions


def _maybe_block(markdown: str) -> bool:
    """Whether ``markdown`` may hold a code block: a fence, or 4 columns of indentation."""
    return "```" in markdown or "~~~" in markdown or "    " in markdown or "\t" in markdown


def _spans(markdown: str, start: int, end: int) -> list[tuple[int, int]]:
    """The code spans of ``markdown[start:end]`` (text between code blocks): a run of
    backticks (not after a backslash) up to the next run exactly as long before the
    paragraph ends; a run with none is text."""
    runs = [found.span() for found in _TICKS.finditer(markdown, start, end)]
    spans: list[tuple[int, int]] = []
    opener = 0
    while opener < len(runs):
        first, last = runs[opener]
        if first > start and markdown[first - 1] == "\\":
            first += 1  # (an escaped backtick is text; the rest of its run may open a span)
        opener += 1
        if first == last:
            continue
        blank = _BLANK.search(markdown, last, end)
        limit = blank.start() if blank else end
        for closer in range(opener, len(runs)):
            closer_first, closer_last = runs[closer]
            if closer_first >= limit:
                break
            if closer_last - closer_first == last - first:
                spans.append((first, closer_last))
                opener = closer + 1
                break
    return spans


def open_fence(markdown: str) -> str:
    """The run of the fence ``markdown`` leaves open at its end (``""``: none)."""
    tracker = CodeTracker()
    for found in _LINE.finditer(markdown):
        tracker.line(found.group(1))
    return tracker.fence


def split_code(markdown: str) -> Iterator[tuple[str, bool]]:
    """``markdown`` in pieces, each with whether it is code; the pieces join to it."""
    position = 0
    for start, end in code_regions(markdown):
        if position < start:
            yield markdown[position:start], False
        yield markdown[start:end], True
        position = end
    if position < len(markdown):
        yield markdown[position:], False


def outside_code(markdown: str, change: Callable[[str], str]) -> str:
    """``markdown`` with each piece of text between its code changed by ``change``."""
    return "".join(piece if code else change(piece) for piece, code in split_code(markdown))
