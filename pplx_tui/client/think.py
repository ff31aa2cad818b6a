"""Split a reasoning model's ``<think>…</think>`` part out of its streamed answer.

Reasoning models (``sonar-reasoning-pro``, deep research) start their content with
``<think>``, reason, close with ``</think>`` and then answer. The tags can be split anywhere
between deltas (``<``, ``thi``, ``nk>``), so :class:`ThinkSplitter` holds back only the few
characters that could still become a tag and releases them as soon as they cannot.

Choice: a ``<think>`` tag is recognised only before the answer has begun (leading whitespace
allowed). After the first visible answer character everything is answer text, so an answer
that *talks about* ``<think>`` tags is shown as written. A lone ``<`` that turns out not to
start a tag is answer text; a think part never closed is reasoning.
"""

from __future__ import annotations

OPEN = "<think>"
CLOSE = "</think>"

_START, _THINKING, _ANSWER_START, _ANSWER = range(4)


class ThinkSplitter:
    """Feed content deltas; get ``(reasoning, answer)`` text pieces back (either may be ``""``)."""

    __slots__ = ("_held", "_state")

    def __init__(self) -> None:
        self._state = _START
        self._held = ""

    def feed(self, text: str) -> tuple[str, str]:
        """Split one delta into its reasoning part and its answer part."""
        if self._state == _ANSWER:
            return "", text
        text = self._held + text
        self._held = ""
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
                answer.append(text)
                break
            if self._state == _THINKING:
                end = text.find(CLOSE)
                if end >= 0:
                    reasoning.append(text[:end])
                    self._state = _ANSWER_START
                    text = text[end + len(CLOSE) :]
                    continue
                keep = _partial_suffix(text, CLOSE)
                if keep:
                    self._held = text[-keep:]
                    text = text[:-keep]
                reasoning.append(text)
                break
            if self._state == _ANSWER_START:
                # The answer after ``</think>`` usually starts with blank lines: drop them.
                stripped = text.lstrip()
                if stripped:
                    self._state = _ANSWER
                    answer.append(stripped)
                break
            answer.append(text)  # pragma: no cover - _ANSWER returns early
            break
        return "".join(reasoning), "".join(answer)

    def flush(self) -> tuple[str, str]:
        """At the end of the stream: release what was held back."""
        held, self._held = self._held, ""
        if not held:
            return "", ""
        if self._state == _THINKING:
            return held, ""
        if self._state == _START:
            self._state = _ANSWER
            # A whitespace-only or cut-off ``<thi`` answer: keep it as written.
            return "", held
        return "", ""


def _partial_suffix(text: str, tag: str) -> int:
    """Length of the longest end of ``text`` that is a proper beginning of ``tag``."""
    start = text.rfind("<", max(0, len(text) - len(tag) + 1))
    if start < 0:
        return 0
    tail = text[start:]
    return len(tail) if tag.startswith(tail) else 0
