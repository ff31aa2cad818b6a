"""The text the store derives from a chat: its title and what full-text search looks at."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pplx_tui.citations import normalize_markers
from pplx_tui.plain_text import cut_at_word
from pplx_tui.sanitize import clean_line

if TYPE_CHECKING:
    from pplx_tui.models import Chat

TITLE_LENGTH = 60
MAX_TITLE_LENGTH = 200
SEPARATOR = "\ue000"
"""A token between two texts in a chat's search document (FTS5's unicode61 keeps private-use
characters as token characters): folded text never holds it, so no phrase spans two texts."""

Field = Literal["question", "answer", "source"]

SEARCHED_SOURCES = 1000
"""Search looks at the titles and URLs of an answer's first this many sources (an answer can
carry 10,000: indexing them all took ~0.2-0.6 s each time the chat changed)."""


def derive_title(chat: Chat) -> str:
    """The first question on one line, cut at a word near :data:`TITLE_LENGTH` characters."""
    question = next((m.content for m in chat.messages if m.role == "user" and m.content), "")
    return title_from(question)


def title_from(question: str) -> str:
    """``question`` as a title: one line, cut at a word near :data:`TITLE_LENGTH` characters."""
    return cut_at_word(clean_line(question), TITLE_LENGTH)


def clean_title(title: str) -> str:
    """A title given by a person: one line, at most :data:`MAX_TITLE_LENGTH` characters."""
    return clean_line(title)[:MAX_TITLE_LENGTH]


def segments(chat: Chat) -> Iterator[tuple[int, int, Field, str]]:
    """``(message index, question number, field, text)`` for every searchable text, in
    conversation order. The number is that of the question the text is or answers, as exports
    count them (1: the chat's first question; 0: an answer to no question)."""
    numbers: dict[str, int] = {}
    for message in chat.messages:
        if message.role == "user":
            numbers[message.id] = len(numbers) + 1
    parents = chat.parent_keys()
    for index, message in enumerate(chat.messages):
        if message.role == "user":
            yield index, numbers[message.id], "question", message.content
            continue
        number = numbers.get(parents[message.id], 0)
        # `[web:3]` is searched as `[3]`: otherwise "web" would match every such answer.
        known = {source.index for source in message.sources}
        yield index, number, "answer", normalize_markers(message.content, known)
        for source in message.sources[:SEARCHED_SOURCES]:
            if source.title:
                yield index, number, "source", source.title
            yield index, number, "source", source.url


def _latin_bases() -> dict[int, str]:
    """Each accented Latin letter's base letter (``é`` → ``e``, ``ệ`` → ``e``, ``ø`` → ``o``),
    and a combining accent left out (``e`` + U+0301), as FTS5's ``remove_diacritics 2``
    folds them. Other scripts keep theirs: ``が`` is not ``か``, nor ``й`` ``и``."""
    bases: dict[int, str] = {ord(c): b for c, b in zip("øØłŁđĐħĦ", "oOlLdDhH", strict=True)}
    for point in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        decomposed = unicodedata.normalize("NFD", chr(point))
        if len(decomposed) > 1 and all(unicodedata.combining(c) for c in decomposed[1:]):
            bases[point] = decomposed[0]
    bases.update(dict.fromkeys(range(0x300, 0x370), ""))  # combining diacritical marks
    return bases


_BASES = _latin_bases()
_CJK = re.compile(
    "[\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3038-\u303b\u3040-\u30ff"
    "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\uff66-\uff9f\U00020000-\U0003134f]"
)
"""A character of a script written without spaces between words: Chinese, Japanese (kana,
kanji), and Korean syllables (a particle is written onto its word)."""


_EMOJI_CHARS = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328"
    "\u23cf\u23e9-\u23f3\u23f8-\u23fa\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe"
    "\u2600-\u2767\u2794-\u27bf\u2934\u2935\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55"
    "\u3030\u303d\u3297\u3299\U0001f000-\U0001f0ff\U0001f10d-\U0001faff"
)
"""Emoji (and the symbols of their blocks, skin tones, flags' letters): none a letter or a
digit. FTS5's unicode61 takes them for spaces between words, so each is indexed and searched
as a word of its own: :func:`tokens`."""
EMOJI = re.compile(f"[{_EMOJI_CHARS}]")
_ALONE = re.compile(f"[{_CJK.pattern[1:-1]}{_EMOJI_CHARS}]")
_AS_TOKEN = 0xF0000
"""Where an emoji's token starts (a private-use plane: unicode61 keeps those characters as
token characters): ``🚀`` (U+1F680) is the token U+FF680, ``☕`` (U+2615) U+F2615."""


def fold(text: str) -> str:
    """Case-fold for matching (``ß`` → ``ss``, not only lower case), accents of Latin letters
    left out (``émigré`` → ``emigre``); the separator character never survives."""
    if not text.isascii():
        text = text.translate(_BASES)
    return text.replace(SEPARATOR, " ").casefold()


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def stands_alone(text: str) -> bool:
    """``text`` holds a character that is a word of its own (:func:`spaced`, :func:`tokens`),
    that nothing need part from the next."""
    return _ALONE.search(text) is not None


def spaced(text: str) -> str:
    """``text`` with each Chinese, Japanese or Korean character a word of its own, as FTS5
    indexes and queries it: its unicode61 tokenizer takes a run of them for one word
    (``日本語のタイトル``), which no word inside it matched. A search for ``日本語`` is then the
    phrase ``日 本 語``: those characters in that order, anywhere in a run."""
    return _CJK.sub(r" \g<0> ", text) if has_cjk(text) else text


def tokens(text: str) -> str:
    """``text`` as FTS5 indexes and queries it: :func:`spaced`, and each emoji a token of its
    own (:data:`_AS_TOKEN`), which unicode61 would otherwise take for a space: ``🚀`` found
    nothing, in ``naïve 🚀`` as in ``science🚀``."""
    text = spaced(text)
    if text.isascii() or EMOJI.search(text) is None:
        return text
    return EMOJI.sub(lambda found: f" {chr(_AS_TOKEN + (ord(found[0]) & 0xFFFF))} ", text)


def as_written(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of ``text`` that folds to ``fold(text)[start:end]`` (``fold`` changes the
    length of some texts: ``ß`` → ``ss``, a combining accent left out), so a snippet shows the
    text as written (``Straße``, ``café``), not folded."""
    if text.isascii():
        return start, end
    first = last = None
    place = 0  # where the character ``index`` starts in the folded text
    for index, char in enumerate(text):
        if first is None and place >= start:
            first = index
        if place > end:
            break
        last = index
        place += 1 if char < "\x80" else len(fold(char))
    else:
        last = len(text) if place <= end else last
    first = len(text) if first is None else first
    return first, max(first, last or 0)
