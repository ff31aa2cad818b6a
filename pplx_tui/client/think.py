"""Split a reasoning model's ``<think>…</think>`` parts out of its streamed answer.

Reasoning models (``sonar-reasoning-pro``, deep research) start their content with
``<think>``, reason, close with ``</think>`` and then answer; some think again later in the
answer. The tags can be split anywhere between deltas (``<``, ``thi``, ``nk>``), so
:class:`ThinkSplitter` holds back only the few characters that could still become a tag (or a
code fence) and releases them as soon as they cannot.

Choices: a ``<think>`` before the answer has begun (leading whitespace allowed) is reasoning
up to its ``</think>``, or to the end if it never closes. A later one is a think block only
outside code (a fenced block, a code span, or an indented code block: an answer *showing*
the tags keeps them) and only once its ``</think>`` comes: what follows it is held back until
then, so an answer that *talks about* ``<think>`` tags is shown as written at its end. Past
:data:`LATER_HOLD` characters with no ``</think>`` it is taken as reasoning all the same
(nothing is held without bound). Each later block's reasoning follows the earlier ones after
a blank line. A lone ``<`` that turns out not to start a tag is answer text.

An indented code block is read as Markdown reads one: a line indented 4 columns past the
open list item's text (past nothing outside a list) that does not go on a paragraph (it
comes first, after a blank line, a heading, a code line or a fence). Inside a list item, 4
spaces are the item's own text. Lists are followed from their markers (``-``, ``*``, ``+``,
``1.``, ``1)``) well enough for that. Block quotes, thematic breaks and ``===`` headings
are taken for paragraphs, and a fence in a list item is followed as one outside it: there
a tag may still be read as reasoning.
"""

from __future__ import annotations

import re

OPEN = "<think>"
CLOSE = "</think>"
LATER_HOLD = 65_536
"""Characters held back after a later ``<think>`` waiting for its ``</think>``."""

_START, _THINKING, _ANSWER_START, _ANSWER, _LATER = range(5)
_TOKEN = re.compile(r"<think>|`+|~{3,}|\n")
"""What changes the answer's state: a tag, a code span's or fence's run, a line's end."""
_RUN_AT_END = re.compile(r"(?:`+|~+)\Z")
_HEAD = 16
"""Characters of a line kept to tell a list item or a heading."""
_MARKER = re.compile(r"([-+*]|\d{1,9}[.)])(?:([ \t]+)|\Z)")
_HEADING = re.compile(r"#{1,6}(?:[ \t]|\Z)")


Piece = tuple[str, str]
"""Reasoning, then the answer text after it (either may be ``""``)."""


class ThinkSplitter:
    """Feed content deltas; get :data:`Piece` pairs back, in the order the text came."""

    __slots__ = (
        "_after_space",
        "_answered",
        "_column",
        "_empty_item",
        "_fence",
        "_gap",
        "_head",
        "_held",
        "_indented",
        "_line_start",
        "_lists",
        "_paragraph",
        "_plain",
        "_span",
        "_state",
        "_thought",
    )

    def __init__(self) -> None:
        self._state = _START
        self._held = ""
        self._answered = False
        """Answer text was given (a later think block ends in the answer, not before it)."""
        self._after_space = True
        """The answer given so far ends with whitespace (or is empty)."""
        self._thought = False
        """Reasoning was given."""
        self._gap = False
        """A later think block began: its reasoning goes after a blank line."""
        self._fence = ""
        """The run of backticks or tildes of the open fenced code block."""
        self._span = 0
        """The backticks of the open code span."""
        self._line_start = True
        """Nothing but whitespace yet on the answer's current line."""
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

    def feed(self, text: str) -> list[Piece]:
        """Split one delta into reasoning and answer: one piece, or more when a think block
        comes after some answer text in it."""
        text = self._held + text
        self._held = ""
        pieces: list[Piece] = []
        reasoning: list[str] = []
        answer: list[str] = []
        while text:
            if self._state == _START:
                stripped = text.lstrip()
                if not stripped:
                    self._held = text
                    break
                if stripped.startswith(OPEN):
                    self._state = _THINKING
                    text = stripped[len(OPEN) :]
                    continue
                if OPEN.startswith(stripped):
                    self._held = text
                    break
                self._state = _ANSWER
                continue
            if self._state == _THINKING:
                end = text.find(CLOSE)
                if end >= 0:
                    if answer and text[:end]:  # answer text came before this reasoning
                        pieces.append(("".join(reasoning), "".join(answer)))
                        reasoning, answer = [], []
                    self._reason(reasoning, text[:end])
                    self._state = _ANSWER_START
                    text = text[end + len(CLOSE) :]
                    continue
                keep = _partial_suffix(text, CLOSE)
                if keep:
                    self._held = text[-keep:]
                    text = text[:-keep]
                if answer and text:
                    pieces.append(("".join(reasoning), "".join(answer)))
                    reasoning, answer = [], []
                self._reason(reasoning, text)
                break
            if self._state == _LATER:
                end = text.find(CLOSE)
                if end >= 0 or len(text) > LATER_HOLD:
                    self._state = _THINKING  # (which takes the reasoning up to the tag)
                    continue
                self._held = text
                break
            if self._state == _ANSWER_START:
                # The answer after ``</think>`` usually starts with blank lines: drop them (after
                # a later block, only the spaces that would double the answer's own).
                if not self._answered:
                    text = text.lstrip()
                elif self._after_space:
                    text = text.lstrip(" \t")
                if text:
                    self._state = _ANSWER
                continue
            text = self._answer(text, answer)
        if reasoning or answer:
            pieces.append(("".join(reasoning), "".join(answer)))
        return pieces

    def flush(self) -> Piece:
        """At the end of the stream: release what was held back."""
        held, self._held = self._held, ""
        if self._state == _LATER:
            return "", OPEN + held  # never closed: the answer's own text (at its end too)
        if not held:
            return "", ""
        if self._state == _THINKING:
            return held, ""
        if self._state in (_START, _ANSWER):
            self._state = _ANSWER
            # A whitespace-only or cut-off ``<thi`` answer, a backtick run: as written.
            return "", held
        return "", ""

    def _reason(self, reasoning: list[str], text: str) -> None:
        if text:
            if self._gap and self._thought:
                text = "\n\n" + text
            self._gap, self._thought = False, True
            reasoning.append(text)

    def _answer(self, text: str, answer: list[str]) -> str:
        """Give the answer ``text`` up to a later think block; what follows its ``<think>``
        (``""`` if none). A run of backticks or tildes, or the start of a tag, at the end is
        held back: the next delta may make it longer."""
        hold = len(text)
        if run := _RUN_AT_END.search(text):
            hold = run.start()
        hold -= _partial_suffix(text[:hold], OPEN)
        self._held = text[hold:]
        position = 0
        for found in _TOKEN.finditer(text, 0, hold):
            self._text(text[position : found.start()])
            position = found.end()
            token = found.group()
            if token == "\n":
                self._end_line()
                continue
            if token == OPEN and not (self._fence or self._span or self._in_code_block()):
                self._give(answer, text[: found.start()])
                self._held = ""
                self._state = _LATER
                self._gap = True
                return text[found.end() :]
            at_start = self._line_start
            self._text(token)
            if token != OPEN and not self._indented:  # (in code, both are text)
                self._code(token, at_start)
        self._text(text[position:hold])
        self._give(answer, text[:hold])
        return ""

    def _code(self, run: str, at_start: bool) -> None:
        """A run of backticks or tildes: it may open or close a fence or a code span."""
        if at_start and len(run) >= 3:
            self._plain = False
            if not self._fence:
                self._fence, self._span = run, 0
            elif run[0] == self._fence[0] and len(run) >= len(self._fence):
                self._fence = ""
        elif not self._fence and run[0] == "`":
            self._span = 0 if self._span == len(run) else self._span or len(run)

    def _text(self, text: str) -> None:
        """Follow the current line through ``text`` (no line end in it): its indentation,
        then where it begins and its first characters."""
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
        self._line_start, self._plain, self._head = False, True, ""

    def _end_line(self) -> None:
        """At a line's end: whether it was blank, code, a fence's, or a line of text."""
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
        self._line_start, self._column = True, 0

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

    def _give(self, answer: list[str], text: str) -> None:
        if text:
            answer.append(text)
            self._answered, self._after_space = True, text[-1].isspace()


def _partial_suffix(text: str, tag: str) -> int:
    """Length of the longest end of ``text`` that is a proper beginning of ``tag``."""
    start = text.rfind("<", max(0, len(text) - len(tag) + 1))
    if start < 0:
        return 0
    tail = text[start:]
    return len(tail) if tag.startswith(tail) else 0
