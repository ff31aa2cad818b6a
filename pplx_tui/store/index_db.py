"""The index's database file: opened safely (no link followed, owner-only, its journal beside
it only while it writes), with our schema or a fresh one. See :mod:`pplx_tui.store.index`."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

from pplx_tui.schema import SCHEMA_VERSION

INDEX_VERSION = 8
DB_NAME = "index.sqlite3"
USER_VERSION = INDEX_VERSION * 1000 + SCHEMA_VERSION
# ``docs`` holds one row per searchable chat (its rowid is the chat's rowid): its title and its
# questions, answers and sources, folded (accents too, and each CJK character a word: 7; each
# emoji a word, written as a private-use token, text.tokens: 8), one
# column each (text.SEPARATOR between two texts of a
# column). It finds and ranks chats (by column: search.py). ``texts`` keeps
# each text as written, in conversation order, for the snippet of a hit (with its question's
# number, as exports count: answer 1 answers question 1), and its folded form
# where that is not simply the text with ASCII lower-cased (SQLite's lower()): a snippet's text
# is looked for in SQL (search.py).
_SCHEMA = """
CREATE TABLE chats (
    id TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER, ino INTEGER, title TEXT,
    created REAL, updated REAL, messages INTEGER, models TEXT, read_only INTEGER,
    searchable INTEGER, indexed INTEGER
);
CREATE INDEX chats_by_update ON chats (updated DESC, id DESC);
CREATE VIRTUAL TABLE docs USING fts5 (
    title, questions, answers, sources, tokenize = "unicode61 remove_diacritics 2", prefix = '2 3'
);
CREATE TABLE texts (
    chat INTEGER, message INTEGER, number INTEGER, field TEXT, body TEXT, folded TEXT
);
CREATE INDEX texts_by_chat ON texts (chat);
"""


NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def refuse_link(path: Path, kind: Callable[[int], bool]) -> bool:
    """Raise :class:`OSError` if ``path`` is a link or not of ``kind``; False if missing."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(mode) or not kind(mode):
        raise OSError(f"{path} is a symbolic link or special file; not used")
    return True


def locked(error: Exception) -> bool:
    return isinstance(error, sqlite3.OperationalError) and "locked" in str(error)


_UNUSABLE = ("locked", "busy", "readonly", "read-only", "unable to open", "i/o")


def unusable(error: sqlite3.DatabaseError) -> bool:
    """The file may be fine but cannot be used now (locked, read-only, unreachable), as
    opposed to damaged or foreign (rebuilt)."""
    text = str(error).lower()
    return isinstance(error, sqlite3.OperationalError) and any(word in text for word in _UNUSABLE)


def not_writable(error: Exception) -> bool:
    """The file or its folder is not the user's to write (permissions, read-only to SQLite:
    it could not make its journal beside the file): the same to the user, whichever says it."""
    if isinstance(error, OSError):
        return error.errno in (errno.EACCES, errno.EPERM)
    text = str(error).lower()
    return isinstance(error, sqlite3.OperationalError) and any(
        word in text for word in ("readonly", "read-only", "unable to open")
    )


def check_writable(db: sqlite3.Connection) -> None:
    """Raise what a write would (read-only, locked) without changing anything: the version
    the file holds (:func:`prepare` made it so) written again, and rolled back."""
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute(f"PRAGMA user_version = {USER_VERSION}")
    finally:
        db.execute("ROLLBACK")


class Replaced(sqlite3.DatabaseError):
    """The file was removed or replaced since it was opened (another process found it damaged
    and built a new one): nothing may be written to the old one, open the new one."""

    def __init__(self) -> None:
        super().__init__("the index file was replaced while open")


_OURS = ("chats", "chats_by_update", "docs", "texts", "texts_by_chat")
_LISTED = f"SELECT type, name, sql FROM sqlite_master WHERE name IN {_OURS} ORDER BY name"


@functools.cache
def _expected() -> list[tuple[str, str, str]]:
    with contextlib.closing(sqlite3.connect(":memory:")) as model:
        model.executescript(_SCHEMA)
        return model.execute(_LISTED).fetchall()


def _schema_is_ours(db: sqlite3.Connection) -> bool:
    """Whether our tables and indexes are there as we create them: a cheap look at the schema
    (already read to run any statement), not a check of every page."""
    return db.execute(_LISTED).fetchall() == _expected()


def prepare(db: sqlite3.Connection, still_ours: Callable[[], bool] | None = None) -> None:
    """Our schema, or a fresh one if the file holds something else (another version, or
    tables not as this version makes them). ``still_ours`` tells, once the write lock is
    held, whether the file is still the one at the index's path (:class:`Replaced` if not)."""
    # The rollback journal is a file (-journal, deleted at each commit): one kept in memory
    # left a writer killed mid-transaction's half-written pages in the file, and searches
    # silently missed the chats it had been indexing. (A killed writer's journal is rolled
    # back by the next to open the file.)
    db.execute("PRAGMA journal_mode = DELETE")
    db.execute("PRAGMA synchronous = OFF")  # losing it in a machine's crash costs a rebuild
    db.execute("PRAGMA temp_store = MEMORY")
    (version,) = db.execute("PRAGMA user_version").fetchone()
    if version == USER_VERSION and _schema_is_ours(db):
        return
    with db:
        db.execute("BEGIN IMMEDIATE")
        if still_ours is not None and not still_ours():
            raise Replaced
        for virtual in (True, False):  # FTS5's shadow tables go with their virtual table
            tables = db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND (sql LIKE 'CREATE VIRTUAL%') = ?",
                (virtual,),
            )
            for (name,) in tables.fetchall():
                db.execute(f'DROP TABLE IF EXISTS "{name}"')
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {USER_VERSION}")
