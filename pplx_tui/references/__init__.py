"""A chat's sources as references for Zotero, JabRef and pandoc (BibTeX, CSL-JSON, RIS).

:func:`collect` turns every answer's sources into :class:`Reference` records, one per URL
(a page several answers used is one reference; URLs differing only in the case of their scheme
or host, which name the same page, are one), cited ones first (in the order the chat first
cites them), then those the search found but no answer cited. Each keeps a note naming the
answers and models that cited it (``answer to "…", medium via perplexity, as [11]``; the
first three, then ``and 247 more answers``).
The writers (:mod:`.bibtex`, :mod:`.csl`, :mod:`.ris`) only format these records. All text
is cleaned (:func:`pplx_tui.sanitize.clean_line`). A source whose link is not http(s)
(``mailto:``, ``javascript:``, relative, none) is left out: a reference manager's web page
without an address is no reference, and such a link is no page to go back to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit, urlunsplit

from pplx_tui.citations import marker_numbers
from pplx_tui.models import Chat, Message, Source, reading_order
from pplx_tui.sanitize import clean_line, safe_url
from pplx_tui.source_dates import parse_date

__all__ = ["Reference", "collect"]

_SNIPPET = 500
_QUESTION = 60
_NAMED = 3
"""Answers a note names; it counts the others."""


@dataclass
class Reference:
    """One web page the chat's answers found or cited."""

    url: str
    """The http(s) URL (:func:`pplx_tui.sanitize.safe_url`)."""
    title: str
    site: str
    """The host without ``www.`` (``en.wikipedia.org``)."""
    issued: tuple[int, ...] = ()
    """Publication (or last-updated) date as ``(year[, month[, day]])``; empty if unknown."""
    accessed: date | None = None
    """When the answer that found it was written."""
    abstract: str = ""
    cited: bool = False
    uses: list[str] = field(default_factory=list)
    """``answer to "…", medium via perplexity, as [11]`` for each answer that cited it."""
    found: list[str] = field(default_factory=list)
    """The same for answers that found it without citing it."""

    chat: str = ""
    """``pplx-tui chat "Title" (id)``."""

    @property
    def note(self) -> str:
        """Which answers cited (or only found) it, and with which model."""
        parts = []
        if self.uses:
            parts.append("cited by " + _first_few(self.uses))
        if self.found:
            lead = "also found by " if self.uses else "found, not cited, by "
            parts.append(lead + _first_few(self.found))
        text = (f"In {self.chat}: " if self.chat else "") + "; ".join(parts)
        return text[:1].upper() + text[1:] + "." if text else ""


def _first_few(answers: list[str]) -> str:
    """The first :data:`_NAMED` answers, then how many more: in a long chat one source's note
    listed every answer citing it (250 of them, a 25 KB line in a reference manager)."""
    if len(answers) <= _NAMED + 1:  # "and 1 more" would be no shorter than naming it
        return "; ".join(answers)
    return "; ".join(answers[:_NAMED]) + f"; and {len(answers) - _NAMED} more answers"


def collect(chat: Chat) -> list[Reference]:
    """The chat's references: cited first (by first citation), then the rest (by answer).

    Answers are read as the Markdown export writes them: the conversation shown, each answer
    followed by the other answers to its question, then the other branches. An answer is named
    by the text of its question, as a reader finds it (``answer to "…"``, ``… in another
    branch`` off the conversation shown); one of several answers to a question by its place
    among them, as the app and the Markdown export number them (``answer 1 of 3 to "…", chosen``
    or ``alternative 2 of 3 to "…"``). Questions are not numbered: neither the app nor the
    export numbers them.
    """
    by_key: dict[str, Reference] = {}
    cited_order: list[str] = []
    title = clean_line(chat.title)
    where = f'pplx-tui chat "{title}" ({chat.id})' if title else f"pplx-tui chat {chat.id}"
    by_id = {message.id: message for message in chat.messages}
    parents = chat.parent_keys()
    places = chat.places()
    chosen = chat.chosen_ids()
    shown = {message.id for message in chat.active_path()}
    for message in _answers(chat, parents):
        question = by_id.get(parents[message.id])
        text = clean_line(question.content) if question and question.role == "user" else ""
        aside = (question.id if question else message.id) not in shown
        who = _who(text, message, places.get(message.id), message.id in chosen, aside)
        sources = {source.index: source for source in message.sources}
        markers = list(
            dict.fromkeys(n for n in marker_numbers(message.content, sources) if n in sources)
        )
        for marker in markers:
            if found := _reference(by_key, sources[marker], message):
                key, reference = found
                reference.cited = True
                reference.uses.append(f"{who}, as [{marker}]")
                if key not in cited_order:
                    cited_order.append(key)
        for source in sorted(message.sources, key=lambda s: s.index):
            if source.index not in markers and (found := _reference(by_key, source, message)):
                found[1].found.append(f"{who}, as [{source.index}]")
    rest = [key for key in by_key if key not in cited_order]
    references = [by_key[key] for key in cited_order + rest]
    for reference in references:
        reference.chat = where
    return references


def _answers(chat: Chat, parents: dict[str, str]) -> list[Message]:
    """Every answer, in the order the Markdown export writes them: each of the conversation
    shown followed by the others to its question (tries set aside last), then the rest."""
    kids: dict[str, list[Message]] = {}
    for message in chat.messages:
        kids.setdefault(parents[message.id], []).append(message)
    order: list[Message] = []
    for message in chat.active_path():
        if message.role == "assistant":
            siblings = kids[parents[message.id]]
            order += reading_order(message, [m for m in siblings if not m.retired])
            order += [m for m in siblings if m.retired and m is not message]
    listed = {message.id for message in order}
    order += [m for m in chat.messages if m.id not in listed]
    return [message for message in order if message.role == "assistant"]


def _who(
    question: str,
    message: Message,
    place: tuple[int, int] | None,
    chosen: bool,
    aside: bool,
) -> str:
    """``answer to "Why…?", medium via perplexity``; one of several answers by its place, as
    the Markdown export labels it: ``answer 1 of 3 to "Why…?", chosen`` or ``alternative 2 of
    3 to "Why…?"``; ``in another branch`` after the question when it is not in the
    conversation shown, ``, compared side by side`` for a comparison's column."""
    model, provider = clean_line(message.model or ""), clean_line(message.provider or "")
    author = f"{model} via {provider}" if model and provider else model or provider or "a model"
    if len(question) > _QUESTION:
        question = question[: _QUESTION - 1].rstrip() + "…"
    to = f' to "{question}"' if question else ""
    if aside:
        to += " in another branch"
    if place is None:
        lead = f"answer{to}"
    else:
        kind = "answer" if chosen else "alternative"
        lead = f"{kind} {place[0]} of {place[1]}{to}" + (", chosen" if chosen else "")
    if message.comparison is not None:
        lead += ", compared side by side"
    elif message.retired:
        lead += ", an earlier try set aside"
    return f"{lead}, {author}"


def _reference(
    by_key: dict[str, Reference], source: Source, message: Message
) -> tuple[str, Reference] | None:
    """The reference of ``source``'s URL (made on first sight), with its key; ``None`` for a
    source whose link is not http(s)."""
    url = safe_url(source.url)
    if url is None:
        return None
    key = _url_key(url)
    reference = by_key.get(key)
    if reference is None:
        site = _site(url)
        when = message.finished_at or message.created_at
        reference = Reference(
            url=url,
            title=clean_line(source.title) or site or url,
            site=site,
            issued=parse_date(source.date),
            accessed=when.date() if isinstance(when, datetime) else None,
            abstract=clean_line(source.snippet)[:_SNIPPET],
        )
        by_key[key] = reference
    return key, reference


def _url_key(url: str) -> str:
    """``url`` with its scheme and host in lower case: those are case-blind, so
    ``https://EX.com/p`` is the page ``https://ex.com/p`` is (the rest of a URL is not)."""
    parts = urlsplit(url)
    user, at, host = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(scheme=parts.scheme.lower(), netloc=user + at + host.lower()))


def _site(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else host
