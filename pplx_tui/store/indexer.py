"""Reading changed chat files into the index: each chat's line in the list and, when asked,
its texts for search. :class:`~.index.ChatIndex` imports it only once the folder differs from
what the index holds. A chat is listed from its head where that is enough (msgspec,
:mod:`.quick_head`) and read whole otherwise (pydantic, :mod:`.whole_reads`); each of those
modules is imported only when first needed, so a listing over an up-to-date index loads
neither and a first listing loads no pydantic.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from pplx_tui.schema import SCHEMA_VERSION
from pplx_tui.store.files import LIGHT_ABOVE, ChatFiles
from pplx_tui.store.index_db import Replaced
from pplx_tui.store.index_rows import INSERT_CHAT, document, row_for, stored_folded, text_rows

Progress = Callable[[int, int], None]
"""Told ``(done, total)`` chats read whole while the index is brought up to date."""

if TYPE_CHECKING:
    from pplx_tui.models import Chat
    from pplx_tui.store.whole_reads import Parsed


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
        still_ours: Callable[[], bool] | None = None,
        progress: Progress | None = None,
    ) -> None:
        """Forget the ``gone`` chats, read the ``changed`` ones again (their texts too if
        ``texts_now``), and index the texts of the ``pending`` ones, in one transaction
        (SQLite's lock serialises two processes refreshing). ``still_ours`` tells, once the
        lock is held, whether the file is still the index (not removed as damaged meanwhile:
        its journal would be taken for the new file's). ``progress`` is told how many of the
        chats read whole are done, of how many, before the first and after each; each lets
        other threads run (the app's chat list indexes in a thread: typing echoed late)."""
        whole = len(pending) + (len(changed) if texts_now else 0)
        done = 0

        def one_read() -> None:
            nonlocal done
            done += 1
            time.sleep(0)  # (the GIL, for the app's event loop)
            if progress is not None:
                progress(done, whole)

        if progress is not None:
            progress(0, whole)
        with db:
            db.execute("BEGIN IMMEDIATE")
            if still_ours is not None and not still_ours():
                raise Replaced
            for chat_id in gone:
                self._forget(db, chat_id)
            present = {i for (i,) in db.execute("SELECT id FROM chats")}  # as locked now
            heads = []
            for chat_id in changed:
                if chat_id in present:  # (a first listing of 2,000 has nothing to forget)
                    self._forget(db, chat_id)
                row = None if texts_now else self._head_row(chat_id)
                if row is None:
                    self._add(db, chat_id, texts=texts_now)
                    if texts_now:
                        one_read()
                else:
                    heads.append(row)
            # Inserted together: one at a time between two files' decoding, each insert found
            # the table's pages cold (a first listing of 2,000: 41 ms of CPU, together ~8).
            db.executemany(INSERT_CHAT, heads)
            for chat_id in pending:
                self._index_texts(db, chat_id)
                one_read()

    def _forget(self, db: sqlite3.Connection, chat_id: str) -> None:
        self._forget_texts(db, chat_id)
        db.execute("DELETE FROM chats WHERE id = ?", (chat_id,))

    def _forget_texts(self, db: sqlite3.Connection, chat_id: str) -> None:
        row = db.execute("SELECT rowid FROM chats WHERE id = ?", (chat_id,)).fetchone()
        if row is not None:
            db.execute("DELETE FROM docs WHERE rowid = ?", row)
            db.execute("DELETE FROM texts WHERE chat = ?", row)

    def _add(self, db: sqlite3.Connection, chat_id: str, *, texts: bool) -> None:
        parsed = self._read_whole(chat_id)
        if parsed is not None:
            db.execute(INSERT_CHAT, parsed.row)
            if texts and parsed.chat is not None:
                self._insert_texts(db, chat_id, parsed.chat)

    def _head_row(self, chat_id: str) -> tuple | None:
        """A chat's row from its head alone; ``None`` when the whole chat must be read (it
        does not look like a chat of this schema: the full read reports what is wrong)."""
        from pplx_tui.store.quick_head import read_head  # msgspec: only for a first listing

        try:
            with self._files.open(chat_id) as (handle, stamp):
                if stamp[1] > LIGHT_ABOVE:  # a big one is read a piece at a time
                    return None
                data = handle.read()
            head = read_head(data)
        except (OSError, ValueError):  # (pydantic's ValidationError is a ValueError)
            return None
        if head.schema_version > SCHEMA_VERSION:
            return None
        return row_for(chat_id, head, stamp)

    def _index_texts(self, db: sqlite3.Connection, chat_id: str) -> None:
        parsed = self._read_whole(chat_id)
        self._forget_texts(db, chat_id)
        if parsed is None or parsed.chat is None:
            db.execute("DELETE FROM chats WHERE id = ?", (chat_id,))  # listed again next time
            return
        db.execute(
            "UPDATE chats SET mtime_ns = ?, size = ?, ino = ? WHERE id = ?",
            (*parsed.stamp, chat_id),
        )
        self._insert_texts(db, chat_id, parsed.chat)

    def _insert_texts(self, db: sqlite3.Connection, chat_id: str, chat: Chat) -> None:
        """Add the chat's search document (with the title it is listed by) and its texts, under
        the chat's rowid."""
        rowid, title = db.execute(
            "SELECT rowid, title FROM chats WHERE id = ?", (chat_id,)
        ).fetchone()
        texts = text_rows(chat)
        db.execute(
            "INSERT INTO docs (rowid, title, questions, answers, sources) VALUES (?, ?, ?, ?, ?)",
            (rowid, *document(title, texts)),
        )
        db.executemany(
            "INSERT INTO texts (chat, message, number, field, body, folded)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (rowid, m, n, f, text, stored_folded(text, folded))
                for m, n, f, text, folded in texts
            ],
        )
        db.execute("UPDATE chats SET indexed = 1 WHERE rowid = ?", (rowid,))

    def _read_whole(self, chat_id: str) -> Parsed | None:
        """The chat read whole; ``None`` when it is gone, corrupt (set aside) or cannot be
        read (another user's, chmod 000, an I/O error): left out, with a notice, and read
        again at the next refresh (it has no row), so it is listed once it can be read."""
        from pplx_tui.store.whole_reads import read_whole  # pydantic: only for whole reads

        try:
            return read_whole(self._files, chat_id, self._notify)
        except OSError as error:
            self._notify(
                f"chat {chat_id} is left out of the list and search: cannot read "
                f"{self._files.path(chat_id)} ({error.strerror or error})"
            )
            return None
