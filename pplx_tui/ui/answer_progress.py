"""The live progress line of a working answer: elapsed time, searches, sources, tokens.

Deep research works for minutes, mostly silently: the line under a working answer says what it
has done so far (``Researching · 1m 24s · 3 searches: “…”, “…” · 14 sources · ~1,200 tokens``),
and the chat list shows the elapsed time of every chat that is answering. Tokens are the
provider's count when it reported one so far, else an estimate from the text (``~``). The
queries are cut to the room the line has (:class:`ProgressText`): whole where they fit.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from rich.cells import cell_len, set_cell_size

from pplx_tui.sanitize import clean_line

_source: Callable[[], float] = time.monotonic
"""Where :func:`clock` reads the time (tests freeze it)."""
QUERIES_SHOWN = 2
QUERY_WIDTH = 40
"""Cells a query takes in the line's text where its width is not known."""
SHORTEST_QUERY = 12
"""Cells below which a query is not cut further: the line leaves the queries out."""


def clock() -> float:
    """Seconds on a monotonic clock, for elapsed times."""
    return _source()


def format_elapsed(seconds: float) -> str:
    """``42s``, ``3m 05s``, ``1h 02m``."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m {seconds % 60:02d}s"
    return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"


@dataclass(frozen=True, slots=True)
class Progress:
    """What a working answer has done so far."""

    phase: str
    """``Queued``, ``Researching``, ``Answering``, ``Waiting for the server``…"""
    started: float
    """When the question was sent (:func:`clock`)."""
    queries: Sequence[str] = ()
    sources: int = 0
    tokens: int | None = None
    estimated: bool = False
    """``tokens`` is an estimate from the text, not the provider's count."""
    short_phase: str = ""
    """Said instead of ``phase`` where the line is too narrow for ``phase`` and the elapsed time
    side by side (a long phase: the time went to a line of its own)."""

    def line(self, now: float | None = None) -> ProgressText:
        """The line, its queries cut at :data:`QUERY_WIDTH`; ``fit(width)`` lays it out for a
        width (the progress line's)."""
        now = clock() if now is None else now
        return ProgressText(self._text(now, QUERY_WIDTH), lambda width: self._fit(now, width))

    def _fit(self, now: float, width: int) -> str:
        """One line, its queries cut to what fits ``width`` (whole if they fit). Where even
        :data:`SHORTEST_QUERY` cells each do not fit, the searches take a line of their own
        (fitted so), under the rest broken between its parts (``6m 58s`` is never split);
        where they do not fit a line either, they are counted only."""
        elapsed = format_elapsed(now - self.started)
        if self.short_phase and cell_len(f"{self.phase} · {elapsed}") > width:
            return replace(self, phase=self.short_phase, short_phase="")._fit(now, width)
        rooms = self._rooms(width)
        text = next((t for room in rooms if cell_len(t := self._text(now, room)) <= width), None)
        if text is not None:
            return text
        if not self.queries:  # (no line of its own saying "0 searches", QA)
            return "\n".join(_broken(self._parts(now, None), width))
        searches = next(
            (line for room in rooms if cell_len(line := self._searches(room)) <= width), None
        )
        if searches is None:
            return "\n".join(_broken(self._parts(now, 0), width))
        return "\n".join([*_broken(self._parts(now, None), width), searches])

    def _rooms(self, width: int) -> range:
        """The cells a query may take, most first, for a line ``width`` cells wide."""
        longest = max((cell_len(clean_line(q)) for q in self.queries[-QUERIES_SHOWN:]), default=0)
        return range(min(width, longest), min(longest, SHORTEST_QUERY) - 1, -1)

    def _text(self, now: float, room: int) -> str:
        return " · ".join(self._parts(now, room))

    def _parts(self, now: float, room: int | None) -> list[str]:
        """The line's parts, each query cut to ``room`` cells (0: the searches counted only;
        ``None``: left out)."""
        parts = [self.phase, format_elapsed(now - self.started)]
        if self.queries and room is not None:
            parts.append(self._searches(room))
        if self.sources:
            parts.append(f"{self.sources:,} source{'s' if self.sources != 1 else ''}")
        if self.tokens:
            parts.append(f"{'~' if self.estimated else ''}{self.tokens:,} tokens")
        return parts

    def _searches(self, room: int) -> str:
        """``2 searches: “…”, “…”``, each query cut to ``room`` cells (0: ``2 searches``)."""
        count = len(self.queries)
        searches = f"{count:,} search{'es' if count != 1 else ''}"
        if not room:
            return searches
        shown = ", ".join(f"“{_short(q, room)}”" for q in self.queries[-QUERIES_SHOWN:])
        return f"{searches}: {shown}{'…' if count > QUERIES_SHOWN else ''}"


def _broken(parts: list[str], width: int) -> list[str]:
    """``parts`` joined by `` · `` on lines of at most ``width`` cells (a longer part wraps)."""
    lines = [""]
    for part in parts:
        joined = f"{lines[-1]} · {part}" if lines[-1] else part
        if lines[-1] and cell_len(joined) > width:
            lines.append(part)
        else:
            lines[-1] = joined
    return lines


def estimate_tokens(text: str) -> int:
    """About four characters a token (English prose), for a count while none was reported."""
    return (len(text) + 3) // 4


class ProgressText(str):
    """A progress line (its queries cut at :data:`QUERY_WIDTH`) that can be laid out again for
    the width it is shown in: :meth:`fit`."""

    _fit: Callable[[int], str]

    def __new__(cls, text: str, fit: Callable[[int], str]) -> ProgressText:
        line = super().__new__(cls, text)
        line._fit = fit
        return line

    def fit(self, width: int) -> str:
        """The same line, its queries cut to what ``width`` cells hold (whole if they fit)."""
        return self._fit(width)


def _short(query: str, room: int) -> str:
    """``query`` cut to ``room`` cells, ``…`` ending it if cut."""
    query = clean_line(query)
    if cell_len(query) <= room:
        return query
    return set_cell_size(query, room - 1).rstrip() + "…"
