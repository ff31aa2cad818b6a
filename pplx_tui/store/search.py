"""Full-text search: which chats hold every word of a query, and a snippet around the match.

Matching is case-insensitive (``str.casefold``) substring search over questions, answers and
source titles/urls. A chat matches when it contains every word of the query; the snippet
shows the whole query where it occurs as written, else the first word. Chats are visited
newest first and the search stops at ``limit`` hits, so common words return quickly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from pplx_tui.models import Chat
from pplx_tui.sanitize import clean_text
from pplx_tui.store.index import ChatSummary
from pplx_tui.store.text import Field, fold, segments

BEFORE = 60
AFTER = 100
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class SearchHit:
    chat_id: str
    title: str
    updated_at: datetime
    message_index: int
    """Which message matched (0-based), so a viewer can scroll to it."""
    field: Field
    snippet: str
    """One line, control characters removed, ``…`` where text was cut."""
    highlight: tuple[int, int]
    """``snippet[start:end]`` is the matched text."""


def query_terms(query: str) -> list[str]:
    return fold(query).split()


def find(
    terms: list[str],
    candidates: Iterable[ChatSummary],
    body: Callable[[str], bytes | None],
    load: Callable[[str], Chat | None],
    limit: int,
) -> list[SearchHit]:
    """Hits for ``terms`` in ``candidates`` (already newest first), at most ``limit``.

    ``body`` returns a chat's folded search text (``None``: not searchable); ``load`` the chat
    itself (``None``: gone since), read only for chats that match, to cut the snippet.
    """
    needles = [term.encode() for term in terms]
    hits: list[SearchHit] = []
    for summary in candidates:
        if len(hits) >= limit:
            break
        text = body(summary.id)
        if text is None or not all(needle in text for needle in needles):
            continue
        chat = load(summary.id)
        if chat is not None and (hit := _hit(chat, summary, terms)) is not None:
            hits.append(hit)
    return hits


def _hit(chat: Chat, summary: ChatSummary, terms: list[str]) -> SearchHit | None:
    phrase = " ".join(terms)
    for needle in dict.fromkeys((phrase, terms[0])):
        for index, field, text in segments(chat):
            folded = fold(text)
            position = folded.find(needle)
            if position >= 0:
                # Folding can change lengths (ß → ss); then cut the folded text instead.
                source = text if len(folded) == len(text) else folded
                snippet, highlight = make_snippet(source, position, len(needle))
                return SearchHit(
                    chat_id=summary.id,
                    title=summary.title,
                    updated_at=summary.updated_at,
                    message_index=index,
                    field=field,
                    snippet=snippet,
                    highlight=highlight,
                )
    return None


def make_snippet(text: str, start: int, length: int) -> tuple[str, tuple[int, int]]:
    """About :data:`BEFORE` characters before the match and :data:`AFTER` after, on one line,
    cut at spaces; returns the snippet and the match's span in it."""
    end = start + length
    left = max(0, start - BEFORE)
    if left > 0 and (space := _SPACE.search(text, left, start)):
        left = space.end()
    right = min(len(text), end + AFTER)
    if right < len(text):
        spaces = list(_SPACE.finditer(text, end, right))
        right = spaces[-1].start() if spaces else right
    before = _one_line(text[left:start]).lstrip()
    match = _one_line(text[start:end])
    after = _one_line(text[end:right]).rstrip()
    prefix = ("…" if left > 0 else "") + before
    suffix = after + ("…" if right < len(text) else "")
    return prefix + match + suffix, (len(prefix), len(prefix) + len(match))


def _one_line(text: str) -> str:
    return _SPACE.sub(" ", clean_text(text))
