"""Full-text search over the index: ranked chats, each with a snippet around its match.

A query is words, ``"quoted phrases"`` and ``prefix*`` words, matched case-insensitively
(``str.casefold``) and with Latin letters' accents left out (:func:`~.text.fold`), each
Chinese, Japanese or Korean character a word (:func:`~.text.spaced`: ``日本語`` is the phrase
``日 本 語``, found inside ``日本語のタイトル``), and each emoji (:func:`~.text.tokens`), against
the chat's title, questions, answers and source titles/urls by SQLite FTS5. A chat matches when
it holds every word or phrase somewhere (a phrase never spans two texts). Chats holding every
``prefix*`` as a whole word come first (the app's search box makes its last word a prefix:
``Uniqueword43*`` listed the chat holding ``Uniqueword43`` under ten holding longer words).
Chats are ranked by where they hold them all (:data:`TIERS`: the title, else the questions,
else the answers, else anywhere; for whole words, then for prefixes), then by relevance in
coarse steps (FTS5's BM25 over the whole chat, in halvings from the best of the tier: length
normalisation alone, a longer chat scoring a little lower, does not reorder), then newest
first. The snippet shows the whole query where it occurs as written, else the first word or
phrase: in the texts in conversation order, else in the title, else in a source's URL.
"""

from __future__ import annotations

import itertools
import math
import re
import sqlite3
from datetime import UTC, datetime
from typing import Literal, NamedTuple

from pplx_tui.sanitize import clean_text
from pplx_tui.store.text import EMOJI, Field, as_written, fold, spaced, stands_alone, tokens

BEFORE = 60
AFTER = 100
_SPACE = re.compile(r"\s+")
_LINE_MARKER = re.compile(r"^[ \t]*(?:#{1,6}|[-*+>])[ \t]+")
"""What starts a heading, a bulleted item or a quote (dropped where a snippet starts a line;
a number stays, as after a break)."""
_CUT_MARKER = re.compile(r"\n[ \t]*(?:#{1,6}|[-*+>]|\d{1,9}[.)])?[ \t]*\Z")
"""A line cut right after its marker, at a snippet's end (QA: ``…a day [2]. -…``)."""
BREAK = " · "
"""What stands for a paragraph break, or a new list item, heading, quote or table row, in a
snippet: on one line, its paragraphs glued together read as one sentence (QA: ``…good for
you? *Demo answer…``)."""
_BREAK = re.compile(
    r"\s*\n[ \t]*(?:\n\s*|(?=#{1,6}[ \t]|\d{1,9}[.)][ \t]|\|))(?:[-*+>][ \t]+)?"
    r"|\s*\n[ \t]*[-*+>][ \t]+"
)
"""A paragraph break or a line break before a block's start, with the new line's list
bullet or quote mark (on one line, no longer Markdown)."""
_URL = re.compile(r"[a-z][a-z0-9+.-]*://\S*")
"""A text that is a URL (a source's), folded."""
_TERM = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(rf"[^\W_]+|{EMOJI.pattern}")
"""A word: letters and digits, as FTS5's unicode61 sees words, or an emoji (``text.tokens``)."""
TIERS = ("title", "questions", "answers")
"""The columns of the search document, best first, that a chat holding the whole query in one
of them ranks by (the others, sources or words spread over several: after them)."""
_IN_TIER = " WHEN docs.rowid IN (SELECT rowid FROM docs WHERE docs MATCH ?) THEN {}"


def _matches(tiers: int) -> str:
    """The chats matching the last parameter, each with its BM25 score and its tier: the
    first of ``tiers`` queries (the parameters before) it matches, else ``tiers``."""
    return (
        "SELECT c.rowid, c.id, c.title, c.updated, bm25(docs), CASE"
        + "".join(_IN_TIER.format(n) for n in range(tiers))
        + f" ELSE {tiers} END"
        " FROM docs JOIN chats AS c ON c.rowid = docs.rowid WHERE docs MATCH ?"
    )


class SearchHit(NamedTuple):
    """One chat found (a named tuple, as the index's values: a listing or a search process
    need not import dataclasses, ~8 ms)."""

    chat_id: str
    title: str
    updated_at: datetime
    message_index: int
    """Which message matched (0-based), so a viewer can scroll to it."""
    question_number: int
    """The number of the question the text is or answers, as exports count them (1: the
    chat's first question; 0: an answer to no question)."""
    field: Field | Literal["title"]
    """Where the snippet is from: the title only when no text holds the words."""
    snippet: str
    """One line, control characters removed, ``…`` where text was cut."""
    highlight: tuple[int, int]
    """``snippet[start:end]`` is the matched text."""


class Term(NamedTuple):
    text: str
    """Folded words of a word or a phrase, one space apart."""
    prefix: bool = False

    @property
    def fts(self) -> str:
        """The term in FTS5's query syntax: a quoted phrase, ``*`` for a prefix."""
        return '"' + tokens(self.text).replace('"', '""') + '"' + ("*" if self.prefix else "")


def query_terms(query: str) -> list[Term]:
    """The words and phrases of ``query``; punctuation alone is no term."""
    terms: list[Term] = []
    for match in _TERM.finditer(fold(query)):
        phrase, word = match.groups()
        text = _SPACE.sub(" ", phrase if phrase is not None else word).strip()
        prefix = phrase is None and text.endswith("*")
        text = text.rstrip("*") if prefix else text
        if _WORD.search(text):
            terms.append(Term(_SPACE.sub(" ", spaced(text)).strip(), prefix))
    return terms


def find(db: sqlite3.Connection, terms: list[Term], limit: int) -> list[SearchHit]:
    """The ``limit`` best chats holding every term, each with the snippet of its first match."""
    query = _fts(terms)
    tiers = [f"{{{c}}} : ({query})" for c in TIERS]
    whole = [term._replace(prefix=False) for term in terms]
    if whole != terms:  # chats holding ``word`` itself first, then those holding ``words``
        tiers = [*(f"{{{c}}} : ({_fts(whole)})" for c in TIERS), _fts(whole), *tiers]
    matches = db.execute(_matches(len(tiers)), [*tiers, query])
    ranked = _ranked(matches.fetchall())[:limit]
    if not ranked:
        return []
    phrase = Term(" ".join(t.text for t in terms), terms[-1].prefix)
    # the whole query as written (its words whole first), then its first word or phrase
    first = (phrase._replace(prefix=False), phrase, terms[0])
    patterns = [_Pattern(term) for term in dict.fromkeys(first)]
    (ascii_lower,) = db.execute("SELECT lower('\u00c9') = '\u00c9'").fetchone()
    hits = []
    for rowid, chat_id, title, updated, *_ in ranked:
        found = _first_match(db, rowid, title, patterns, ascii_lower)
        message, number, field, text, start, length = found
        snippet, highlight = make_snippet(text, start, length)
        hits.append(
            SearchHit(
                chat_id=chat_id,
                title=title,
                updated_at=datetime.fromtimestamp(updated, UTC),
                message_index=message,
                question_number=number,
                field=field,
                snippet=snippet,
                highlight=highlight,
            )
        )
    return hits


def _fts(terms: list[Term]) -> str:
    """Every term, in FTS5's syntax: each once (a word said 20,000 times was 20,000 terms to
    rank by: minutes)."""
    return " AND ".join(dict.fromkeys(t.fts for t in terms))


def _ranked(rows: list[tuple]) -> list[tuple]:
    """``(rowid, id, title, updated, bm25, tier)`` rows by tier, then by BM25 in halvings from
    the best score of the tier (BM25 is negative: lower is better), then newest first."""
    best: dict[int, float] = {}
    for row in rows:
        best[row[5]] = min(best.get(row[5], 0.0), row[4])

    def step(score: float, tier: int) -> int:
        return int(math.log2(best[tier] / score)) if score < 0 else 0

    rows.sort(key=lambda row: row[1], reverse=True)  # (the last tie: the id, as listings)
    rows.sort(key=lambda row: (row[5], step(row[4], row[5]), -row[3]))
    return rows


class _Pattern:
    """A term in folded text as FTS5's unicode61 tokenizer sees it: its words whole (the last
    one a prefix of a word, for ``prefix*``), anything but letters and digits between them. A
    Chinese, Japanese or Korean character, or an emoji, is a word of its own (``text.spaced``,
    ``text.tokens``): nothing need part it from the next, nor start or end a word there."""

    def __init__(self, term: Term) -> None:
        self.words = _WORD.findall(term.text)
        joined = re.escape(self.words[0])
        for before, word in itertools.pairwise(self.words):
            apart = r"[\W_]*" if stands_alone(before[-1] + word[0]) else r"[\W_]+"
            joined += apart + re.escape(word)
        if stands_alone(self.words[-1][-1]):  # (a prefix of a one-character word: that one)
            self.regex = re.compile(joined)
        else:
            self.regex = re.compile(joined + (r"[^\W_]*" if term.prefix else r"(?![^\W_])"))
        self.anywhere = stands_alone(self.words[0][0])  # (no word start to look for)
        # Each word is in the folded text wherever the pattern matches: SQL skips the texts
        # that lack one (``lower(body)`` is the folded text where ``folded`` is NULL).
        self.needles = list(dict.fromkeys(self.words))  # each word tested once
        self.where = " AND instr(coalesce(folded, lower(body)), ?)" * len(self.needles)

    def search(self, text: str) -> re.Match[str] | None:
        """The first match that starts a word (a literal first makes the search quick)."""
        for found in self.regex.finditer(text):
            start = found.start()
            if start == 0 or self.anywhere or not text[start - 1].isalnum():
                return found
        return None


def _first_match(
    db: sqlite3.Connection, chat: int, title: str, patterns: list[_Pattern], ascii_lower: bool
) -> tuple[int, int, Field | Literal["title"], str, int, int]:
    """The first text of the chat (in conversation order) holding the first pattern, else the
    next, else the title holding one, else a source's URL (a title reads better than
    ``…/future-schema-notes``: QA): message, question number, field, the text to cut (as
    written), and the match's start and length in it."""
    url: tuple[int, int, Field, str, int, int] | None = None  # the first URL holding one
    for pattern in patterns:
        if ascii_lower:  # SQLite folds each text and skips those without the pattern's words
            rows = db.execute(
                "SELECT rowid, message, number, field, coalesce(folded, lower(body)) FROM texts"
                f" WHERE chat = ?{pattern.where} ORDER BY rowid",
                (chat, *pattern.needles),
            )
        else:  # (an SQLite whose lower() is more than ASCII: every text, folded here)
            rows = (
                (rowid, message, number, field, fold(body))
                for rowid, message, number, field, body in db.execute(
                    "SELECT rowid, message, number, field, body FROM texts"
                    " WHERE chat = ? ORDER BY rowid",
                    (chat,),
                )
            )
        for rowid, message, number, field, folded in rows:
            found = pattern.search(folded)
            is_url = _URL.fullmatch(folded) is not None
            if found is None or (is_url and url is not None):
                continue
            (text,) = db.execute("SELECT body FROM texts WHERE rowid = ?", (rowid,)).fetchone()
            start, end = as_written(text, found.start(), found.end())
            if not is_url:
                return message, number, field, text, start, end - start
            url = (message, number, field, text, start, end - start)
    if url is None:
        # A pattern in the chat's search document but in none of its texts: texts were lost,
        # the index is damaged.
        columns = db.execute(
            "SELECT questions, answers, sources FROM docs WHERE rowid = ?", (chat,)
        ).fetchone()
        document = " ".join(column or "" for column in columns or ())
        if any(pattern.search(document) for pattern in patterns):
            raise sqlite3.DatabaseError(f"the index lost texts of the chat at row {chat}")
    folded_title = fold(title)
    for pattern in patterns:
        if found := pattern.search(folded_title):
            start, end = as_written(title, found.start(), found.end())
            return 0, 0, "title", title, start, end - start
    if url is not None:
        return url
    # FTS5 found it where no pattern does (its tokenizer and ours differ): the first text.
    row = db.execute(
        "SELECT message, number, field, body FROM texts WHERE chat = ? ORDER BY rowid LIMIT 1",
        (chat,),
    ).fetchone()
    if row is None:  # found by FTS5, yet none of its texts is there: a damaged index
        raise sqlite3.DatabaseError(f"the index holds no text of the chat at row {chat}")
    message, number, field, text = row
    return message, number, field, text, 0, 0


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
    before = text[left:start]
    if left == 0 or text[left - 1] == "\n":  # a line's start: its marker goes, as after a break
        before = _LINE_MARKER.sub("", before, count=1)
    before = _one_line(before).lstrip().removeprefix(BREAK.lstrip())
    match = _one_line(text[start:end])
    after = _one_line(_CUT_MARKER.sub("", text[end:right])).rstrip().removesuffix(BREAK.rstrip())
    prefix = ("…" if left > 0 else "") + before
    suffix = after + ("…" if right < len(text) else "")
    return prefix + match + suffix, (len(prefix), len(prefix) + len(match))


def _one_line(text: str) -> str:
    text = clean_text(text)
    return _SPACE.sub(" ", _BREAK.sub(BREAK, text) if "\n" in text else text)
