"""The rows of the index: a chat's line in the list, and its searchable texts.

What is stored for a chat is read either from the whole :class:`~pplx_tui.models.Chat` or, for
a big first listing, from its head (:mod:`.quick_head`, about five times quicker to read). Reading
the rows back needs no pydantic.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, NamedTuple

from pplx_tui.sanitize import clean_text
from pplx_tui.schema import SCHEMA_VERSION
from pplx_tui.store.files import Stamp
from pplx_tui.store.text import SEPARATOR, derive_title, fold, segments, tokens
from pplx_tui.store.text import Field as TextField

if TYPE_CHECKING:
    from pplx_tui.models import Chat
    from pplx_tui.store.heads import Head
    from pplx_tui.store.quick_head import QuickHead

INSERT_CHAT = "INSERT INTO chats VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"


class ChatSummary(NamedTuple):
    """One line of the chat list, read from the index without opening the chat (a named
    tuple: made for every chat of a listing, three times quicker than a frozen dataclass)."""

    id: str
    title: str
    created_at: datetime
    updated_at: datetime
    message_count: int
    models: tuple[str, ...]
    read_only: bool = False
    """Written by a newer pplx-tui: shown, never overwritten."""


class Listing(NamedTuple):
    """The ``chats`` table as last read, valid while the database's data_version holds."""

    key: tuple[int, int]
    stamps: dict[str, tuple[int, int, int]]
    unindexed: set[str]
    summaries: list[ChatSummary] | None = None


STAMPS = "SELECT id, mtime_ns, size, ino, searchable AND NOT indexed FROM chats"
ROWS = (
    "SELECT id, mtime_ns, size, ino, searchable AND NOT indexed,"
    " title, created, updated, messages, models, read_only FROM chats"
    " ORDER BY updated DESC, id DESC"
)
""":data:`STAMPS` and each chat's line in the list, newest first."""


def summary(row: tuple) -> ChatSummary:
    """A chat's line; :class:`TypeError` (or :class:`ValueError`) for values no chat file
    gives (an index edited by hand or damaged)."""
    chat_id, _, _, _, _, title, created, updated, messages, models, read_only = row
    if not (isinstance(title, str) and isinstance(messages, int)):
        raise TypeError("a title that is no text, or a count that is no number")
    return ChatSummary(
        chat_id,
        title,
        datetime.fromtimestamp(created, UTC),
        datetime.fromtimestamp(updated, UTC),
        messages,
        tuple(models.split("\n")) if models else (),
        bool(read_only),
    )


def row_for(chat_id: str, chat: Chat | Head | QuickHead, stamp: Stamp) -> tuple:
    models = dict.fromkeys(m.model for m in chat.messages if m.role == "assistant" and m.model)
    return (
        chat_id,
        *stamp,
        chat.title or derive_title(chat),  # type: ignore[arg-type]  # reads .messages only
        chat.created_at.timestamp(),
        chat.updated_at.timestamp(),
        len(chat.messages),
        "\n".join(m.replace("\n", " ") for m in models),
        int(chat.schema_version > SCHEMA_VERSION),
        1,
        0,
    )


def unreadable_row(chat_id: str, stamp: Stamp) -> tuple:
    """A newer-format chat our model cannot read: listed, read-only, not searchable."""
    now = datetime.now(UTC).timestamp()
    title = "(saved by a newer pplx-tui)"
    return (chat_id, *stamp, title, now, now, 0, "", 1, 0, 0)


def text_rows(chat: Chat) -> list[tuple[int, int, TextField, str, str]]:
    """``(message, question number, field, text, folded text)`` for each searchable text,
    terminal control sequences removed."""
    rows = []
    for index, number, field, raw in segments(chat):
        text = clean_text(raw)
        rows.append((index, number, field, text, fold(text)))
    return rows


def stored_folded(text: str, folded: str) -> str | None:
    """What ``texts.folded`` holds: ``None`` when SQLite's ``lower(body)`` (ASCII letters only)
    gives the folded text, as for most texts (``é``, ``ß`` or the Kelvin sign need a copy)."""
    if text.isascii() or text.encode().lower() == folded.encode():
        return None
    return folded


def document(title: str, texts: list[tuple[int, int, TextField, str, str]]) -> tuple[str, ...]:
    """What FTS5 tokenizes for a chat, one column each: its title, questions, answers and
    sources, case-folded (``ß`` → ``ss``; FTS5 itself only lower-cases) and accents left out,
    each Chinese, Japanese or Korean character and each emoji a word
    (:func:`~pplx_tui.store.text.tokens`), a
    :data:`~pplx_tui.store.text.SEPARATOR` token between two texts of a column."""
    columns: dict[TextField, list[str]] = {"question": [], "answer": [], "source": []}
    for row in texts:
        columns[row[2]].append(tokens(row[-1]))
    return (tokens(fold(clean_text(title))), *(f" {SEPARATOR} ".join(c) for c in columns.values()))
