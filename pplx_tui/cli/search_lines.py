"""``pplx chats search``'s lines: a hit's id, time and title, then where it is and its snippet.

As ``chats list`` (:mod:`.chats_table`): in a pipe every line is whole; on a terminal each
takes one line, cut with "…" (at 80 columns a long title wrapped over seven), the snippet kept
around the words found. A snippet that only repeats the title (the first question, which
titles the chat, the words found in view there) is not printed again: the line names where it
is, ``question 1 (the title)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple, TextIO

from pplx_tui.cli.columns import cells, fit

INDENT = "    "
BEFORE_MATCH = 12
"""Cells of a cut snippet kept before the words found (the rest after them)."""


class HitLine(NamedTuple):
    """One hit, as shown: its values cleaned (one line, no key), its snippet as text."""

    heading: str
    """``id  time``, before the title."""
    title: str
    where: str
    """``answer 2``, ``sources of answer 2``…"""
    snippet: str
    found: str
    """The words found, as the snippet shows them ("" if not known)."""


def where_found(field: str, number: int) -> str:
    """Where a hit is: ``question 2``, ``answer 2``, ``sources of answer 2``, numbered by
    question as exports do (answer 2 answers question 2; 0: an answer to no question)."""
    kind = "answer" if field == "source" else field
    named = f"{kind} {number}" if number else kind
    return f"sources of {named}" if field == "source" else named


def hit_lines(hit: HitLine, width: int | None) -> list[str]:
    """The two lines of ``hit``, fitted to ``width`` cells on a terminal (``None``: a pipe)."""
    title = hit.title
    if width is not None and cells(f"{hit.heading}  {title}") > width:
        title = fit(title, max(width - cells(hit.heading) - 2, 1))
    heading = f"{hit.heading}  {title}"
    if repeats_title(hit, title):
        return [heading, f"{INDENT}{hit.where} (the title)"]
    lead = f"{INDENT}{hit.where}: "
    snippet = hit.snippet
    if width is not None and cells(lead + snippet) > width:
        snippet = _around(snippet, hit.found, max(width - cells(lead), 2))
    return [heading, lead + snippet]


def repeats_title(hit: HitLine, shown: str) -> bool:
    """The snippet is the first question's text within the title, or the question the title
    was cut from, and the words found are in the title as ``shown`` (not cut off there)."""
    text, title = hit.snippet.strip("…").strip(), hit.title.rstrip("…").strip()
    if hit.where != "question 1" or not (text and title):
        return False
    if hit.found.casefold() not in shown.rstrip().rstrip("…").casefold():
        return False
    return text in title or text.startswith(title)


def _around(snippet: str, found: str, room: int) -> str:
    """``snippet`` cut to ``room`` cells keeping ``found`` in view: from a little before it
    (a cut start marked "…"), to the end or a "…"."""
    start = snippet.find(found) if found else -1
    if start > BEFORE_MATCH:
        cut = snippet.rfind(" ", 0, start - BEFORE_MATCH) + 1 or start - BEFORE_MATCH
        snippet = "…" + snippet[cut:].lstrip("…")
    return fit(snippet, room).rstrip() if cells(snippet) > room else snippet


def indexing_note(stream: TextIO) -> Callable[[int, int], None] | None:
    """What tells ``pplx chats search``'s user, on a terminal, that the chats are being indexed
    first (a first search of 2,000 chats takes seconds, and said nothing): one line, once."""
    try:
        if not stream.isatty():
            return None
    except (OSError, ValueError):
        return None
    said = False

    def note(done: int, total: int) -> None:
        nonlocal said
        if not said:
            said = True
            print(f"pplx: indexing {total:,} chats (once)…", file=stream, flush=True)

    return note
