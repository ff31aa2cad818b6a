"""The text the store derives from a chat: its title and what full-text search looks at."""

from __future__ import annotations

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


def fold(text: str) -> str:
    """Case-fold for matching (``ß`` → ``ss``, not only lower case); the separator character
    never survives."""
    return text.replace(SEPARATOR, " ").casefold()
