"""Reading changed chat files into the index: each chat's line in the list and, when asked,
its texts for search. This parses chats (pydantic), so :class:`~.index.ChatIndex` imports it
only once the folder differs from what the index holds: a listing or a search over an index
that is up to date never loads pydantic.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import ValidationError

from pplx_tui.models import Chat
from pplx_tui.store.chat_json import parse_chat
from pplx_tui.store.errors import CorruptChatError, NewerSchemaError
from pplx_tui.store.files import ChatFiles, Stamp
from pplx_tui.store.heads import read_head
from pplx_tui.store.index_rows import (
    INSERT_CHAT,
    document,
    row_for,
    stored_folded,
    text_rows,
    unreadable_row,
)
from pplx_tui.store.light import LIGHT_ABOVE, read_light
from pplx_tui.store.set_aside import set_aside_if_corrupt
from pplx_tui.values import SCHEMA_VERSION


@dataclass(frozen=True, slots=True)
class Parsed:
    chat: Chat
    stamp: Stamp


class Indexer:
    """Writes what the chat files say into the index's tables (see :mod:`.index_db`)."""

    def __init__(self, files: ChatFiles, notify: Callable[[str], None]) -> None:
        self._files = files
        self._notify = notify

    def update(
        self,
        db: sqlite3.Connection,
        *,
        gone: list[str],
        changed: list[str],
        pending: list[str],
        texts_now: bool,
    ) -> None:
        """Forget the ``gone`` chats, read the ``changed`` ones again (their texts too if
        ``texts_now``), and index the texts of the ``pending`` ones, in one transaction
        (SQLite's lock serialises two processes refreshing)."""
        with db:
            db.execute("BEGIN IMMEDIATE")
            for chat_id in gone:
                self._forget(db, chat_id)
            present = {i for (i,) in db.execute("SELECT id FROM chats")}  # as locked now
            for chat_id in changed:
                if chat_id in present:  # (a first listing of 2,000 has nothing to forget)
                    self._forget(db, chat_id)
                self._add(db, chat_id, texts=texts_now)
            for chat_id in pending:
                self._index_texts(db, chat_id)

    def _forget(self, db: sqlite3.Connection, chat_id: str) -> None:
        self._forget_texts(db, chat_id)
        db.execute("DELETE FROM chats WHERE id = ?", (chat_id,))

    def _forget_texts(self, db: sqlite3.Connection, chat_id: str) -> None:
        row = db.execute("SELECT rowid FROM chats WHERE id = ?", (chat_id,)).fetchone()
        if row is not None:
            db.execute("DELETE FROM docs WHERE rowid = ?", row)
            db.execute("DELETE FROM texts WHERE chat = ?", row)

    def _add(self, db: sqlite3.Connection, chat_id: str, *, texts: bool) -> None:
        if not texts and self._add_head(db, chat_id):
            return
        parsed = self._parse(chat_id)
        if isinstance(parsed, Parsed):
            db.execute(INSERT_CHAT, row_for(chat_id, parsed.chat, parsed.stamp))
            if texts:
                self._insert_texts(db, chat_id, parsed.chat)
        elif parsed is not None:  # a newer file: listed, read-only, not searchable
            db.execute(INSERT_CHAT, parsed)

    def _add_head(self, db: sqlite3.Connection, chat_id: str) -> bool:
        """List a chat from its head alone; False when the whole chat must be read (it does
        not look like a chat of this schema: the full read reports what is wrong)."""
        try:
            with self._files.open(chat_id) as (handle, stamp):
                if stamp[1] > LIGHT_ABOVE:  # a big one is read a piece at a time
                    return False
                data = handle.read()
            head = read_head(data)
        except (OSError, ValidationError):
            return False
        if head.schema_version > SCHEMA_VERSION:
            return False
        db.execute(INSERT_CHAT, row_for(chat_id, head, stamp))
        return True

    def _index_texts(self, db: sqlite3.Connection, chat_id: str) -> None:
        parsed = self._parse(chat_id)
        self._forget_texts(db, chat_id)
        if not isinstance(parsed, Parsed):
            db.execute("DELETE FROM chats WHERE id = ?", (chat_id,))  # listed again next time
            return
        db.execute(
            "UPDATE chats SET mtime_ns = ?, size = ?, ino = ? WHERE id = ?",
            (*parsed.stamp, chat_id),
        )
        self._insert_texts(db, chat_id, parsed.chat)

    def _insert_texts(self, db: sqlite3.Connection, chat_id: str, chat: Chat) -> None:
        """Add the chat's search document and its texts, under the chat's rowid."""
        (rowid,) = db.execute("SELECT rowid FROM chats WHERE id = ?", (chat_id,)).fetchone()
        texts = text_rows(chat)
        db.execute("INSERT INTO docs (rowid, body) VALUES (?, ?)", (rowid, document(texts)))
        db.executemany(
            "INSERT INTO texts (chat, message, field, body, folded) VALUES (?, ?, ?, ?, ?)",
            [(rowid, m, f, text, stored_folded(text, folded)) for m, f, text, folded in texts],
        )
        db.execute("UPDATE chats SET indexed = 1 WHERE rowid = ?", (rowid,))

    def _parse(self, chat_id: str) -> Parsed | tuple | None:
        """The chat and the stamp of the bytes read; the unreadable row of a newer file;
        ``None`` when it is gone or corrupt (set aside)."""
        try:
            return Parsed(*self._read(chat_id))
        except FileNotFoundError:
            return None
        except NewerSchemaError as error:
            self._notify(str(error))
            stamp = self._files.stamp(chat_id)
            return unreadable_row(chat_id, stamp) if stamp else None
        except CorruptChatError:
            set_aside_if_corrupt(self._files, chat_id, self._notify)
            return None

    def _read(self, chat_id: str) -> tuple[Chat, Stamp]:
        """The chat (of a file over LIGHT_ABOVE, its light copy: store.light) and its stamp."""
        with self._files.open(chat_id) as (handle, stamp):
            if stamp[1] > LIGHT_ABOVE:
                return read_light(handle, chat_id), stamp
            return parse_chat(handle.read(), chat_id), stamp
