"""Split a reasoning model's ``<think>…</think>`` parts out of its streamed answer.

Reasoning models (``sonar-reasoning-pro``, deep research) start their content with
``<think>``, reason, close with ``</think>`` and then answer; some think again later in the
answer. The tags can be split anywhere between deltas (``<``, ``thi``, ``nk>``), so
:class:`ThinkSplitter` holds back only the few characters that could still become a tag (or a
code fence) and releases them as soon as they cannot.

Choices: a ``<think>`` before the answer has begun (leading whitespace allowed) is reasoning
up to its ``</think>``, or to the end if it never closes. A later one is a think block only
outside code (a fenced block or a code span: an answer *showing* the tags keeps them) and
only once its ``</think>`` comes: what follows it is held back until then, so an answer that
*talks about* ``<think>`` tags is shown as written at its end. Past :data:`LATER_HOLD`
characters with no ``</think>`` it is taken as reasoning all the same (nothing is held
without bound). Each later block's reasoning follows the earlier ones after a blank line.
A lone ``<`` that turns out not to start a tag is answer text.
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


Piece = tuple[str, str]
"""Reasoning, then the answer text after it (either may be ``""``)."""


class ThinkSplitter:
    """Feed content deltas; get :data:`Piece` pairs back, in the order the text came."""

    __slots__ = (
        "_after_space",
        "_answered",
        "_fence",
        "_gap",
        "_held",
        "_line_start",
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
        if not held:
            return "", ""
        if self._state == _THINKING:
            return held, ""
        if self._state == _LATER:
            return "", OPEN + held  # never closed: the answer's own text
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
            if self._line_start and text[position : found.start()].strip():
                self._line_start = False
            token = found.group()
            if token == OPEN and not (self._fence or self._span):
                self._give(answer, text[: found.start()])
                self._held = ""
                self._state = _LATER
                self._gap = True
                return text[found.end() :]
            if token == "\n":
                if self._line_start:
                    self._span = 0  # a blank line ends the paragraph, and a code span in it
                self._line_start = True
            elif token == OPEN:
                self._line_start = False  # (in code: text)
            else:
                self._code(token)
            position = found.end()
        if self._line_start and text[position:hold].strip():
            self._line_start = False
        self._give(answer, text[:hold])
        return ""

    def _code(self, run: str) -> None:
        """A run of backticks or tildes: it may open or close a fence or a code span."""
        if self._line_start and len(run) >= 3:
            if not self._fence:
                self._fence, self._span = run, 0
            elif run[0] == self._fence[0] and len(run) >= len(self._fence):
                self._fence = ""
        elif not self._fence and run[0] == "`":
            self._span = 0 if self._span == len(run) else self._span or len(run)
        self._line_start = False

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
