"""Citation markers in answer text: the one definition every part of pplx-tui uses.

Answers cite their sources with ``[n]`` markers; the Agent API's non-fast presets write
``[web:n]`` instead (PROTOCOL.md §2). Both mean the same thing — source ``n`` of the answer
(:attr:`pplx_tui.models.Source.index`) — so every reader of markers goes through this module:
the client, the store's search text, the exports, ``pplx ask`` and the TUI. Markers inside
Markdown code (any kind: :mod:`pplx_tui.markdown_code`) are not markers, as the answer streams
too (:class:`StreamedCitations`), nor is an escaped one: ``\\[5\\]`` (or ``\\[5]``) is Markdown's
literal text "[5]" (:func:`is_marker_match`).

A marker may name a number the answer has no source for (a capture of the ``low`` preset
cites ``[web:0]`` with its only page fetched, not searched); :func:`unknown_numbers` finds
those so that every front end can say so rather than drop them.

A number of four digits or more is a marker only where the answer has a source of that number
(:func:`is_marker`): an answer with 10,000 sources cites ``[5658]``, while ``[2024]`` in an
answer with five is a year in brackets, neither a citation nor one naming no source. Every
reader passes the answer's source numbers (``known``) for that.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator
from typing import TYPE_CHECKING

from pplx_tui.markdown_code import RUN, CodeTracker, outside_code, split_code

if TYPE_CHECKING:
    from pplx_tui.values import Source

__all__ = [
    "MARKER",
    "MARKER_PATTERN",
    "MARKER_TAIL",
    "UNCITED",
    "StreamedCitations",
    "cited_numbers",
    "is_marker",
    "is_marker_match",
    "marker_numbers",
    "markers",
    "normalize_markers",
    "unknown_note",
    "unknown_numbers",
]

MARKER_PATTERN = r"\[(?:web:)?(\d+)\]"
"""``[n]`` or ``[web:n]``; group 1 is the number. For building larger patterns: a match is a
marker if :func:`is_marker` says so of its number."""
MARKER = re.compile(MARKER_PATTERN)
_ALWAYS = 3
"""Digits a marker's number may have whatever the answer's sources (a number of more is one
only where a source has it)."""
_LONGEST = 12
"""Digits of the longest number read as a source's (a longer one is text)."""
MARKER_TAIL = len("[web:]") + _LONGEST - 1
"""Characters a streaming reader keeps from the previous delta so that a marker split across
deltas (``[web:``, ``12]``) is still seen whole."""
UNCITED = "○ not cited"
"""The mark of a source an answer that has ended does not cite (the sources panel, the export)."""
_TOKEN = re.compile(RUN.pattern + r"|\n")
_HELD = re.compile(r"(?:`+|~+|\\*\[(?:w(?:e(?:b:?)?)?)?|\\*\[(?:web:)?\d+|\\+)\Z")
"""What a delta may end with that the next may make longer: a run of backticks or tildes, a
marker not closed yet (with the backslashes before it, which may escape it), backslashes."""


def is_marker(digits: str, known: Container[int] = ()) -> bool:
    """Whether ``[digits]`` (or ``[web:digits]``) is a citation marker in an answer whose
    sources have the numbers ``known``: up to three digits always (naming no source, it is
    said to), more only as a source's number is written (``[01234]`` is not ``[1234]``)."""
    if len(digits) <= _ALWAYS:
        return True
    return len(digits) <= _LONGEST and digits[0] != "0" and int(digits) in known


def is_marker_match(match: re.Match[str], known: Container[int] = ()) -> bool:
    """Whether ``match`` (of a pattern built on :data:`MARKER_PATTERN`) is a marker: its number
    is one (:func:`is_marker`) and its ``[`` is not escaped (after an odd number of
    backslashes: Markdown shows ``\\[5]`` as the text "[5]", and so does the app)."""
    if not is_marker(match.group(1), known):
        return False
    text, at = match.string, match.start()
    backslashes = 0
    while at > backslashes and text[at - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 0


def markers(text: str, known: Container[int] = ()) -> Iterator[re.Match[str]]:
    """The markers in ``text`` (code included: see :func:`marker_numbers`)."""
    return (m for m in MARKER.finditer(text) if is_marker_match(m, known))


def marker_numbers(markdown: str, known: Container[int] = ()) -> list[int]:
    """The numbers of the markers in ``markdown``, in reading order, code excluded;
    ``known``: the answer's source numbers (:func:`is_marker`)."""
    found = (markers(text, known) for text, code in split_code(markdown) if not code)
    return [int(m.group(1)) for text_markers in found for m in text_markers]


def cited_numbers(markdown: str, known: Container[int] = ()) -> set[int]:
    """The distinct source numbers ``markdown`` cites."""
    return set(marker_numbers(markdown, known))


def unknown_numbers(markdown: str, sources: Iterable[Source]) -> list[int]:
    """Numbers ``markdown`` cites that name none of ``sources``, ascending."""
    known = {source.index for source in sources}
    return sorted(cited_numbers(markdown, known) - known)


def normalize_markers(markdown: str, known: Container[int] = ()) -> str:
    """``[web:n]`` written as ``[n]`` outside code, so a reader matches it to source ``n``."""
    if "[web:" not in markdown:
        return markdown

    def number(match: re.Match[str]) -> str:
        return f"[{match.group(1)}]" if is_marker_match(match, known) else match.group(0)

    return outside_code(markdown, lambda text: MARKER.sub(number, text))


class StreamedCitations:
    """The sources an answer cites as it streams in: its markers outside code, a marker or a
    fence cut between two deltas included. A code span is code from its first backtick (the
    stream cannot wait for its end): :func:`cited_numbers` of the whole answer has the last
    word."""

    def __init__(self, known: Container[int] = ()) -> None:
        """``known``: the answer's source numbers (:func:`is_marker`), kept up to date."""
        self._known = known
        self._code = CodeTracker()
        self._held = ""

    def feed(self, text: str) -> set[int]:
        """The numbers cited by the markers that ``text`` (a delta) completes."""
        text = self._held + text
        held = _HELD.search(text, max(0, len(text) - MARKER_TAIL))
        end = held.start() if held else len(text)
        if held and held.group()[0] in "`~":
            end = len(text.rstrip(held.group()[0]))  # (the whole run, however long)
        self._held = text[end:]
        cited: set[int] = set()
        position = 0
        for found in _TOKEN.finditer(text, 0, end):
            self._text(text[position : found.start()], cited)
            position = found.end()
            if found.group() == "\n":
                self._code.end_line()
            else:
                self._code.run(found.group())
        self._text(text[position:end], cited)
        return cited

    def _text(self, text: str, cited: set[int]) -> None:
        self._code.text(text)
        if "]" in text and not self._code.in_code:
            cited.update(int(m.group(1)) for m in markers(text, self._known))


def unknown_note(numbers: Iterable[int]) -> str:
    """``"[0] names no source"`` for the numbers :func:`unknown_numbers` found ("" if none)."""
    found = [f"[{n}]" for n in numbers]
    if not found:
        return ""
    return f"{', '.join(found)} {'names' if len(found) == 1 else 'name'} no source"
