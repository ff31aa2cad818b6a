"""A damaged index file: noticed cheaply, and removed so that it is built again from the chats.

Most damage raises :class:`sqlite3.DatabaseError` where it is read (:mod:`.index` rebuilds
then). Damage to FTS5's own tables can instead make ``MATCH`` find nothing, silently: when a
search finds nothing, :func:`finds_what_it_holds` asks the index for a word of a text it holds
(a few small queries; checking every page would cost a read of the whole file).

:func:`remove_damaged` removes the file found damaged, and only that one: under a lock beside
it, so two processes finding the same damage remove it once (the second would remove the first
one's new index), and while holding SQLite's exclusive lock on it, so no process is writing it
meanwhile (a writer checks, once it holds the write lock, that the file is still the index:
:class:`~.index_db.Replaced`).
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from pplx_tui.store.errors import StoreError
from pplx_tui.store.files import ChatFiles

NOTICE = "the search index was damaged; it was rebuilt from the chat files"

_GAP = r"\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f"
# A word of ASCII letters and digits between ASCII non-letters: one token for FTS5's unicode61
# as for us whatever its options (a word at a cut text's end may be cut itself: not taken).
_PLAIN_WORD = re.compile(rf"(?:^|(?<=[{_GAP}]))([a-z0-9]+)(?=[{_GAP}])")
_LOOK = 4096
"""Characters of a text looked at for a word."""
_TEXTS = (
    f"SELECT chat, substr(coalesce(folded, lower(body)), 1, {_LOOK}) FROM texts"
    " ORDER BY rowid {order} LIMIT 3"
)
_FINDS = (
    "SELECT 1 FROM docs JOIN chats AS c ON c.rowid = docs.rowid"
    " WHERE docs MATCH ? AND docs.rowid = ?"
)

Removal = Literal["removed", "replaced", "in use", "failed"]


def finds_what_it_holds(db: sqlite3.Connection) -> bool:
    """Whether a search finds the chat of the newest text, and of the oldest, by a word of
    it (each the first of three with a plain ASCII word; none such: nothing to tell)."""
    for order in ("DESC", "ASC"):
        for chat, text in db.execute(_TEXTS.format(order=order)).fetchall():
            word = _PLAIN_WORD.search(text + " ")
            if word is not None:
                if db.execute(_FINDS, (f'"{word[1]}"', chat)).fetchone() is None:
                    return False
                break
    return True


@contextlib.contextmanager
def read_as_damage() -> Iterator[None]:
    """What else a damaged file raises, as the damage it is: FTS5 sizes a buffer by a length
    read from its pages (a damaged one asked for gigabytes: MemoryError), and a text whose
    bytes were changed may be no UTF-8."""
    try:
        yield
    except MemoryError:
        raise sqlite3.DatabaseError("the index asked for memory no index needs") from None
    except UnicodeDecodeError as error:
        raise sqlite3.DatabaseError(f"a text of the index is no UTF-8 ({error})") from None


def remove_damaged(
    files: ChatFiles, path: Path, inode: int | None, db: sqlite3.Connection | None
) -> Removal:
    """Remove the index file found damaged (``inode``, open as ``db`` if it could be opened):
    ``"replaced"`` if another process has already built a new one, ``"in use"`` if a process
    is writing it (left for the next time), ``"failed"`` if it cannot be removed."""
    try:
        with files.index_lock():
            try:
                if os.lstat(path).st_ino != inode:
                    return "replaced"
            except FileNotFoundError:
                return "replaced"
            if db is not None and not _alone(db):
                return "in use"
            # (a journal left beside it would be played into the new file)
            for name in (f"{path.name}-journal", path.name):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path.with_name(name))
            return "removed"
    except (OSError, StoreError):
        return "failed"


def _alone(db: sqlite3.Connection) -> bool:
    """Hold SQLite's exclusive lock on the file (released when ``db`` is closed); False if
    another connection is reading or writing it. A file too damaged to be locked (not a
    database at all) is one no process can be writing."""
    if db.in_transaction:
        db.rollback()
    try:
        db.execute("BEGIN EXCLUSIVE")
    except sqlite3.OperationalError as error:
        text = str(error).lower()
        return "locked" not in text and "busy" not in text
    except sqlite3.DatabaseError:
        pass
    return True
