"""Full-text search over the index: ranked chats, each with a snippet around its match.

A query is words, ``"quoted phrases"`` and ``prefix*`` words, matched case-insensitively
(``str.casefold``) against questions, answers and source titles/urls by SQLite FTS5. A chat
matches when it holds every word or phrase somewhere (a phrase never spans two texts); chats
are ranked by relevance (BM25 summed over their matching texts), ties newest first. The
snippet shows the whole query where it occurs as written, else the first word or phrase.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from pplx_tui.sanitize import clean_text
from pplx_tui.store.text import Field, fold

BEFORE = 60
AFTER = 100
_SPACE = re.compile(r"\s+")
_TERM = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


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


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    """Folded words of a word or a phrase, one space apart."""
    prefix: bool = False

    @property
    def fts(self) -> str:
        """The term in FTS5's query syntax: a quoted phrase, ``*`` for a prefix."""
        return '"' + self.text.replace('"', '""') + '"' + ("*" if self.prefix else "")


def query_terms(query: str) -> list[Term]:
    """The words and phrases of ``query``; punctuation alone is no term."""
    terms: list[Term] = []
    for match in _TERM.finditer(fold(query)):
        phrase, word = match.groups()
        text = _SPACE.sub(" ", phrase if phrase is not None else word).strip()
        prefix = phrase is None and text.endswith("*")
        text = text.rstrip("*") if prefix else text
        if _WORD.search(text):
            terms.append(Term(text, prefix))
    return terms


def find(db: sqlite3.Connection, terms: list[Term], limit: int) -> list[SearchHit]:
    """The ``limit`` best chats holding every term, each with the snippet of its first match."""
    every = " INTERSECT ".join(["SELECT chat FROM texts WHERE texts MATCH ?"] * len(terms))
    ranked = db.execute(
        "SELECT t.chat, sum(t.rank) AS score, c.title, c.updated FROM texts AS t"
        " JOIN chats AS c ON c.id = t.chat"
        f" WHERE texts MATCH ? AND t.chat IN ({every})"
        " GROUP BY t.chat ORDER BY score, c.updated DESC, t.chat DESC LIMIT ?",
        [" OR ".join(t.fts for t in terms), *(t.fts for t in terms), limit],
    ).fetchall()
    first: dict[str, tuple[int, str, str, str]] = {}
    phrase = Term(" ".join(t.text for t in terms))
    for term in dict.fromkeys((phrase, terms[0])):
        missing = [row[0] for row in ranked if row[0] not in first]
        if not missing:
            break
        marks = ",".join("?" * len(missing))
        rows = db.execute(
            "SELECT chat, message, field, body, original FROM texts WHERE rowid IN"
            f" (SELECT min(rowid) FROM texts WHERE texts MATCH ? AND chat IN ({marks})"
            " GROUP BY chat)",
            [term.fts, *missing],
        )
        for chat, message, field, body, original in rows:
            first[chat] = (message, field, original or body, term.text)
    hits = []
    for chat_id, _, title, updated in ranked:
        if chat_id not in first:
            continue
        message, field, text, needle = first[chat_id]
        source, start, length = _locate(text, needle)
        snippet, highlight = make_snippet(source, start, length)
        hits.append(
            SearchHit(
                chat_id=chat_id,
                title=title,
                updated_at=datetime.fromtimestamp(updated, UTC),
                message_index=message,
                field=field,
                snippet=snippet,
                highlight=highlight,
            )
        )
    return hits


def _locate(text: str, needle: str) -> tuple[str, int, int]:
    """Where ``needle`` (folded) is in ``text``: the text to cut, start and length. Folding can
    change lengths (ß → ss); then the folded text is cut instead."""
    folded = fold(text)
    source = text if len(folded) == len(text) else folded
    position = folded.find(needle)
    if position >= 0:
        return source, position, len(needle)
    # Matched word by word (FTS5 skips punctuation): the words with anything between them.
    words = _WORD.findall(needle)
    found = re.search(r"\W+".join(map(re.escape, words)), folded) if words else None
    return (source, found.start(), found.end() - found.start()) if found else (source, 0, 0)


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
