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

What is code is :class:`~pplx_tui.markdown_code.CodeTracker`'s reading, shared with every
other reader of code.
"""

from __future__ import annotations

import re

from pplx_tui.markdown_code import CodeTracker

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
        "_code",
        "_gap",
        "_held",
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
        self._code = CodeTracker()
        """Where the answer's code is, as far as it has come."""

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
        code = self._code
        for found in _TOKEN.finditer(text, 0, hold):
            code.text(text[position : found.start()])
            position = found.end()
            token = found.group()
            if token == "\n":
                code.end_line()
            elif token != OPEN:
                code.run(token)
            elif code.in_code:
                code.text(token)
            else:
                self._give(answer, text[: found.start()])
                self._held = ""
                self._state = _LATER
                self._gap = True
                return text[found.end() :]
        code.text(text[position:hold])
        self._give(answer, text[:hold])
        return ""

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
