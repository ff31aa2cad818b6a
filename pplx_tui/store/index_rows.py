"""The rows of the index: a chat's line in the list, and its searchable texts.

What is stored for a chat is read either from the whole :class:`~pplx_tui.models.Chat` or, for
a big first listing, from its :class:`Head` (about five times quicker to read).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from pplx_tui.models import SCHEMA_VERSION, Chat, Role, utc_now
from pplx_tui.sanitize import clean_text
from pplx_tui.store.files import Stamp
from pplx_tui.store.text import SEPARATOR, derive_title, fold, segments
from pplx_tui.store.text import Field as TextField

if TYPE_CHECKING:
    from pplx_tui.store.quick_head import QuickHead

INSERT_CHAT = "INSERT INTO chats VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"


@dataclass(frozen=True, slots=True)
class ChatSummary:
    """One line of the chat list, read from the index without opening the chat."""

    id: str
    title: str
    created_at: datetime
    updated_at: datetime
    message_count: int
    models: tuple[str, ...]
    read_only: bool = False
    """Written by a newer pplx-tui: shown, never overwritten."""


@dataclass(frozen=True, slots=True)
class Parsed:
    chat: Chat
    stamp: Stamp


@dataclass(slots=True)
class Listing:
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
    chat_id, _, _, _, _, title, created, updated, messages, models, read_only = row
    return ChatSummary(
        id=chat_id,
        title=title,
        created_at=datetime.fromtimestamp(created, UTC),
        updated_at=datetime.fromtimestamp(updated, UTC),
        message_count=messages,
        models=tuple(models.split("\n")) if models else (),
        read_only=bool(read_only),
    )


class HeadMessage(BaseModel):
    model_config = ConfigDict(extra="ignore", defer_build=True)
    role: Role
    model: str | None = None
    content: str = ""


class Head(BaseModel):
    """What a listing needs of a chat file: about five times quicker to read than a
    :class:`Chat` (its sources and settings are skipped, not validated)."""

    model_config = ConfigDict(extra="ignore", defer_build=True)
    schema_version: int = SCHEMA_VERSION
    title: str = ""
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)
    messages: list[HeadMessage] = Field(default_factory=list)


def read_head(data: bytes) -> Head | QuickHead:
    """The :class:`Head` of a chat file's bytes, read by msgspec (:mod:`.quick_head`) where it
    can; anything it declines (or a chat whose title must be made from its first question) is
    read by :class:`Head` itself, which raises :class:`~pydantic.ValidationError`."""
    from pplx_tui.store.quick_head import quick_head

    head = quick_head(data)
    if head is None or not head.title:
        return Head.model_validate_json(data)
    head.created_at = head.created_at or utc_now()
    head.updated_at = head.updated_at or utc_now()
    return head


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


def text_rows(chat: Chat) -> list[tuple[int, TextField, str, str]]:
    """``(message, field, text, folded text)`` for each searchable text, terminal control
    sequences removed."""
    rows = []
    for index, field, raw in segments(chat):
        text = clean_text(raw)
        rows.append((index, field, text, fold(text)))
    return rows


def stored_folded(text: str, folded: str) -> str | None:
    """What ``texts.folded`` holds: ``None`` when SQLite's ``lower(body)`` (ASCII letters only)
    gives the folded text, as for most texts (``é``, ``ß`` or the Kelvin sign need a copy)."""
    if text.isascii() or text.encode().lower() == folded.encode():
        return None
    return folded


def document(texts: list[tuple[int, TextField, str, str]]) -> str:
    """What FTS5 tokenizes for a chat: its texts case-folded (``ß`` → ``ss``; FTS5 itself
    only lower-cases), a :data:`~pplx_tui.store.text.SEPARATOR` token between them."""
    return f" {SEPARATOR} ".join(folded for _, _, _, folded in texts)
