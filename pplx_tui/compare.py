"""What answers compared side by side have in common: the sources they cite, matched by URL.

Two URLs are the same source when they differ only in case of scheme and host, a ``www.``,
a trailing slash or a ``#fragment``. An answer's sources are the ones its text cites; an
answer that cites none (no ``[n]`` markers) counts every source it listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from pplx_tui.citations import cited_numbers
from pplx_tui.models import Message
from pplx_tui.sanitize import clean_line

__all__ = ["Overlap", "overlap", "same_url_key", "short_url"]


def same_url_key(url: str) -> str:
    """The form two URLs of the same page share (see the module docstring)."""
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return text
    host = (parts.hostname or "").lower().removeprefix("www.")
    if parts.port:
        host = f"{host}:{parts.port}"
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), host, path, parts.query, ""))


def short_url(url: str) -> str:
    """``nasa.gov/mars/moons`` for ``https://www.nasa.gov/mars/moons/``: for one line of text."""
    key = same_url_key(clean_line(url))
    return key.split("://", 1)[-1]


@dataclass(frozen=True, slots=True)
class Overlap:
    """Sources of several answers: those every answer cites, and those only one does."""

    shared: tuple[str, ...]
    """URLs (as first cited) that every answer cites, in the first answer's order."""
    only: tuple[tuple[str, ...], ...]
    """For each answer, the URLs no other answer cites."""

    def line(self, names: Sequence[str]) -> str:
        """One line for above the columns, e.g. ``In common: a.org/x · only sonar: 2 (b.com)``."""
        parts = [
            f"In common: {', '.join(short_url(u) for u in self.shared)}"
            if self.shared
            else "No source in common"
        ]
        for name, urls in zip(names, self.only, strict=False):
            if urls:
                shown = ", ".join(short_url(u) for u in urls[:2])
                more = f", +{len(urls) - 2}" if len(urls) > 2 else ""
                parts.append(f"only {name}: {shown}{more}")
        return " · ".join(parts)


def cited_urls(answer: Message) -> list[str]:
    """The URLs ``answer`` cites (all its sources when it cites none), in source order."""
    cited = cited_numbers(answer.content)
    chosen = [s for s in answer.sources if s.index in cited] or list(answer.sources)
    return [s.url for s in sorted(chosen, key=lambda s: s.index)]


def overlap(answers: Sequence[Message]) -> Overlap:
    """What ``answers`` share and what each used alone (see :class:`Overlap`)."""
    keyed = [{same_url_key(url): url for url in cited_urls(answer)} for answer in answers]
    if not keyed:
        return Overlap((), ())
    common = set(keyed[0]).intersection(*keyed[1:])
    shared = tuple(url for key, url in keyed[0].items() if key in common)
    only = []
    for position, urls in enumerate(keyed):
        others = set().union(*(k for n, k in enumerate(keyed) if n != position))
        only.append(tuple(url for key, url in urls.items() if key not in others))
    return Overlap(shared, tuple(only))
