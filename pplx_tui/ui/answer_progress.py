"""The live progress line of a working answer: elapsed time, searches, sources, tokens.

Deep research works for minutes, mostly silently: the line under a working answer says what it
has done so far (``Researching · 1m 24s · 3 searches: “…”, “…” · 14 sources · ~1,200 tokens``),
and the chat list shows the elapsed time of every chat that is answering. Tokens are the
provider's count when it reported one so far, else an estimate from the text (``~``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pplx_tui.sanitize import clean_line

_source: Callable[[], float] = time.monotonic
"""Where :func:`clock` reads the time (tests freeze it)."""
QUERIES_SHOWN = 2
QUERY_WIDTH = 40


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

    def line(self, now: float | None = None) -> str:
        parts = [self.phase, format_elapsed((clock() if now is None else now) - self.started)]
        if self.queries:
            count = len(self.queries)
            shown = ", ".join(f"“{_short(q)}”" for q in self.queries[-QUERIES_SHOWN:])
            more = "…" if count > QUERIES_SHOWN else ""
            parts.append(f"{count} search{'es' if count != 1 else ''}: {shown}{more}")
        if self.sources:
            parts.append(f"{self.sources} source{'s' if self.sources != 1 else ''}")
        if self.tokens:
            parts.append(f"{'~' if self.estimated else ''}{self.tokens:,} tokens")
        return " · ".join(parts)


def estimate_tokens(text: str) -> int:
    """About four characters a token (English prose), for a count while none was reported."""
    return (len(text) + 3) // 4


def _short(query: str) -> str:
    query = clean_line(query)
    return query if len(query) <= QUERY_WIDTH else query[: QUERY_WIDTH - 1] + "…"
