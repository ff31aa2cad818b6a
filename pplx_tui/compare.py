"""What answers compared side by side have in common: the sources they cite, matched by URL.

A column that ended without an answer (it failed, or broke off or was stopped before any source
arrived: :func:`left_out`) takes no part: it would make "In common" empty, its column never
having searched. The line says instead how it ended (``failed: sonar-pro``).

Two URLs are the same source when they differ only in case of scheme and host, a ``www.``,
a trailing slash or a ``#fragment`` (each read as :func:`pplx_tui.sanitize.safe_url` reads it:
a space is ``%20``). An answer's sources are the ones its text cites; an answer that cites none
(no ``[n]`` markers) counts every source it listed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from pplx_tui.citations import cited_numbers
from pplx_tui.models import Message, MessageStatus
from pplx_tui.sanitize import clean_url, safe_url

__all__ = [
    "Overlap",
    "column_names",
    "common_line",
    "left_out",
    "overlap",
    "same_url_key",
    "search_tags",
    "short_url",
]


def same_url_key(url: str) -> str:
    """The form two URLs of the same page share (see the module docstring), spaces encoded as
    the sources panel and lists write them (``%20``)."""
    text = safe_url(url) or clean_url(url)
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
    key = same_url_key(url)
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
        return " · ".join([self.shared_part(), *self.only_parts(names)])

    def shared_part(self) -> str:
        """``In common: a.org/x`` (or ``No source in common``)."""
        if self.shared:
            return f"In common: {', '.join(short_url(u) for u in self.shared)}"
        return "No source in common"

    def only_parts(self, names: Sequence[str]) -> list[str]:
        """``only sonar: b.com, c.org, +3`` for each answer that cites a source alone."""
        parts = []
        for name, urls in zip(names, self.only, strict=False):
            if urls:
                shown = ", ".join(short_url(u) for u in urls[:2])
                more = f", +{len(urls) - 2}" if len(urls) > 2 else ""
                parts.append(f"only {name}: {shown}{more}")
        return parts


def column_names(
    models: Sequence[str], searches: Sequence[str], providers: Sequence[str]
) -> list[str]:
    """A short name per compared answer (the app's columns, the exports' "Compared side by
    side" line): its model, with what differs in its search settings (``searches``, a summary
    each, "" for the defaults: :func:`search_tags`) when two answers share the model
    (``sonar (month)``), or its provider (``sonar (openrouter)``), numbered when they share
    those too (``sonar #2``)."""
    hosts = list(zip(models, providers, strict=True))
    names = []
    for n, (model, tag) in enumerate(zip(models, search_tags(models, searches), strict=True)):
        if models.count(model) == 1:
            names.append(model)
        elif tag:
            names.append(f"{model} ({tag})")
        elif hosts.count((model, providers[n])) == 1:
            names.append(f"{model} ({providers[n]})")
        else:
            names.append(f"{model} #{n + 1}")
    return names


def search_tags(models: Sequence[str], searches: Sequence[str]) -> list[str]:
    """What names each compared answer's search settings apart from those of the answers of
    its model (``month``; ``default search`` for the defaults): "" where its model is asked
    once, or twice with the same settings (:func:`column_names` tells those apart otherwise).
    A column's label adds it to the model's name (QA: side by side, two columns of one model
    were labelled alike)."""
    pairs = list(zip(models, searches, strict=True))
    tags = []
    for model, search in pairs:
        if models.count(model) == 1 or pairs.count((model, search)) > 1:
            tags.append("")
            continue
        own = list(dict.fromkeys(s for m, s in pairs if m == model))
        tags.append(dict(zip(own, _differing(own), strict=True))[search] or "default search")
    return tags


def _differing(searches: Sequence[str]) -> list[str]:
    """Each summary of ``searches`` (``month · academic``) without the parts all of them
    share: ``month`` and ``year`` for ``month · academic`` and ``year · academic``. Where that
    would leave one with nothing (``month · academic`` beside ``month``), all whole: a part
    missing from one is not a part it names."""
    parts = [search.split(" · ") if search else [] for search in searches]
    common = set(parts[0]).intersection(*parts[1:]) if parts else set()
    left = [[part for part in own if part not in common] for own in parts]
    if all(left):
        return [" · ".join(own) for own in left]
    return list(searches)


def cited_urls(answer: Message) -> list[str]:
    """The URLs ``answer`` cites (all its sources when it cites none), in source order."""
    cited = cited_numbers(answer.content, {s.index for s in answer.sources})
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


def left_out(message: Message) -> str:
    """How a compared answer ended without taking part in the comparison of sources:
    ``"failed"``, ``"broke off"`` (an error after part of it arrived) or ``"stopped"`` (the
    user's stop), each before any source arrived; ``""`` when it takes part (it has sources, or
    its background run goes on)."""
    if message.status == MessageStatus.ERROR:
        return "failed"
    if message.status == MessageStatus.INTERRUPTED and not message.sources and not message.running:
        return "broke off" if message.error else "stopped"
    return ""


def common_line(
    answers: Sequence[Message], names: Sequence[str], ended: Sequence[tuple[str, str]] = ()
) -> str:
    """The line above the columns: what ``answers`` (named ``names``) share, the columns that
    took no part, ``ended`` as ``(name, how)`` (:func:`left_out`) grouped by how, then what one
    answer cites alone (the part a line cut to the width loses first):
    ``In common: a.org · failed: sonar-pro · only sonar: b.org``; with fewer than two answers,
    ``Nothing to compare · failed: sonar-pro``."""
    kinds: dict[str, list[str]] = {}
    for name, how in ended:
        kinds.setdefault(how, []).append(name)
    tail = [f"{how}: {', '.join(named)}" for how, named in kinds.items()]
    if len(answers) > 1:
        found = overlap(answers)
        return " · ".join([found.shared_part(), *tail, *found.only_parts(names)])
    return " · ".join(["Nothing to compare", *tail]) if tail else ""
