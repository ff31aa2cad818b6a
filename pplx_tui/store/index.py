"""The listing and search index: an SQLite FTS5 database beside the chat files, a cache.

``.index/index.sqlite3`` holds one row per chat (the stamp ``(mtime_ns, size, inode)`` of the
file it was read from, title, times, message count, models), one FTS5 document per chat (its
title, questions, answers, source titles and urls) that finds and ranks chats, and those texts as
written (and folded where that is more than ASCII lower case), for snippets. Each use lists the
folder and stats every chat file (``ChatFiles.scan``, no file opened) and re-reads only files
whose stamp changed, so chats added, edited (even in place) or removed behind the store's back
are noticed. A listing reads no chat text into the full-text table (a big first listing reads
only each chat's head: ``quick_head.read_head``); a search first indexes the texts of chats
listed since (one parse each). Reading chat files is :mod:`.indexer`'s: over an index that is
up to date, ``pplx chats list`` and ``search`` import none of it (nor pydantic).

The JSON files stay the truth: a deleted, foreign or locked database is a cache miss (rebuilt
from the files), and so is a damaged one, found where it is read or when a search finds
nothing (:mod:`.index_repair`), which is removed and built again with one notice. A folder
where it cannot be written (read-only, or the file locked by another process for longer than
:data:`BUSY_TIMEOUT`) lists and searches from an in-memory copy, and goes back to the file
when it can be written again (tried at the first listing or search :data:`RETRY_FILE_AFTER`
seconds later); a symbolic link in place of the folder or the file is never followed.
Its rollback journal is beside it only while it writes (a writer killed mid-write leaves it,
and the next one to open the database rolls that write back), so a kill never damages it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import threading
from collections.abc import Callable
from time import monotonic
from typing import TYPE_CHECKING

from pplx_tui.store.files import FILE_MODE, FOLDER_MODE, ChatFiles
from pplx_tui.store.index_db import (
    DB_NAME,
    NOFOLLOW,
    Replaced,
    check_writable,
    locked,
    not_writable,
    prepare,
    refuse_link,
    unusable,
)
from pplx_tui.store.index_repair import (
    NOTICE,
    finds_what_it_holds,
    read_as_damage,
    remove_damaged,
)
from pplx_tui.store.index_rows import ROWS, STAMPS, ChatSummary, Listing, summary
from pplx_tui.store.search import SearchHit, Term, find

if TYPE_CHECKING:
    from pplx_tui.store.indexer import Progress

BUSY_TIMEOUT = 1.0
"""Seconds to wait for another process's write; after that this one works from memory."""
RETRY_FILE_AFTER = 30.0
"""Seconds an index working from memory because its file could not be written waits before
it tries the file again (a long-running app would otherwise keep the copy to its end)."""
LONG_INDEXING = 100
"""A refresh that reads at least this many chats whole (a first search of 2,000 chats: ~8 s)
tells a search's ``progress`` (the app's list and ``pplx chats search`` say it is indexing)."""
TEXTS_NOW = 64
"""A refresh that parses at most this many chats indexes their texts at once (a save); a
bigger one (the first run) leaves them to the first search, so a listing stays quick."""


class ChatIndex:
    """Keeps ``.index/index.sqlite3`` in step with the chat files; one instance per store."""

    def __init__(self, files: ChatFiles, notify: Callable[[str], None]) -> None:
        self._files = files
        self._notify = notify
        self._said: set[str] = set()  # what the indexer said (see _say)
        self._path = files.index_dir / DB_NAME
        self._db: sqlite3.Connection | None = None
        self._db_inode: int | None = None
        self._in_memory = False
        self._retry_at: float | None = None  # in memory: when to try the file again
        self._no_folder = False
        self._told = False
        self._said_rebuilt = False
        self._cached: Listing | None = None
        self._lock = threading.RLock()  # the chat list reads from worker threads
        self._progress: Progress | None = None  # (a search's, while it holds the lock)

    # -- what the store asks --------------------------------------------------------------

    def summaries(self) -> list[ChatSummary]:
        """All chats, most recently updated first."""
        if not self._files.root.is_dir():  # nothing saved yet: nothing to open or create
            return []
        with self._lock:
            listing = self._listing(self._fresh(lines=True), lines=True)
            return list(listing.summaries or ())

    def search(
        self, terms: list[Term], limit: int, progress: Progress | None = None
    ) -> list[SearchHit]:
        """The best ``limit`` chats holding every term (see :mod:`pplx_tui.store.search`);
        ``progress`` is told ``(done, total)`` as the chats' texts are indexed, when that is
        :data:`LONG_INDEXING` chats or more."""
        if not self._files.root.is_dir():
            return []
        with self._lock:
            self._progress = progress
            try:
                return self._search(terms, limit)
            finally:
                self._progress = None

    def _search(self, terms: list[Term], limit: int) -> list[SearchHit]:
        try:
            db = self._fresh(with_texts=True)
            with read_as_damage():
                hits = find(db, terms, limit)
                if hits or self._in_memory or finds_what_it_holds(db):
                    return hits
            raise sqlite3.DatabaseError("the full-text index misses what it holds")
        except sqlite3.DatabaseError as error:  # damaged where only a search reads (FTS5's
            self._drop(error)  # own tables): a cache miss, as for a listing
        return find(self._fresh(with_texts=True), terms, limit)

    def _fresh(self, *, with_texts: bool = False, lines: bool = False) -> sqlite3.Connection:
        """The database, brought up to date with the folder (and every text, if asked)."""
        for _ in range(2):
            db = self._connect()
            try:
                with read_as_damage():
                    self._refresh(db, with_texts=with_texts, lines=lines)
                return db
            except sqlite3.DatabaseError as error:
                # Corrupt, foreign or locked: a cache miss. Start again from the files.
                self._drop(error)
        db = self._use_memory()
        self._refresh(db, with_texts=with_texts, lines=lines)
        return db

    # -- keeping it in step ---------------------------------------------------------------

    def _refresh(self, db: sqlite3.Connection, *, with_texts: bool, lines: bool) -> None:
        listing = self._listing(db, lines=lines)
        on_disk = self._files.scan(listing.stamps)
        known = listing.stamps
        changed = [i for i, stamp in on_disk.items() if known.get(i) != tuple(stamp)]
        gone = [i for i in known if i not in on_disk]
        pending: list[str] = []
        if with_texts:
            pending = [i for i in listing.unindexed if i in on_disk and i not in changed]
        if not (changed or gone or pending):
            return
        from pplx_tui.store.indexer import Indexer  # reads chat files: only now

        self._cached = None  # our own writes do not change data_version
        texts_now = with_texts or len(changed) <= TEXTS_NOW
        whole = len(pending) + (len(changed) if texts_now else 0)
        Indexer(self._files, self._say).update(
            db,
            gone=gone,
            changed=changed,
            pending=pending,
            texts_now=texts_now,
            still_ours=None if self._in_memory else self._same_file,
            progress=self._progress if whole >= LONG_INDEXING else None,
        )

    def _listing(self, db: sqlite3.Connection, *, lines: bool = False) -> Listing:
        """The chats' stamps (and, if asked, their lines in the list), read again only when
        some connection has changed the table."""
        (version,) = db.execute("PRAGMA data_version").fetchone()
        key = (id(db), version)
        cached = self._cached
        if cached is None or cached.key != key or (lines and cached.summaries is None):
            stamps = {}
            unindexed = set()
            summaries = [] if lines else None
            for row in db.execute(ROWS if lines else STAMPS):
                chat_id, mtime_ns, size, ino, pending = row[:5]
                stamps[chat_id] = (mtime_ns, size, ino)
                if pending:
                    unindexed.add(chat_id)
                if summaries is not None:
                    try:
                        summaries.append(summary(row))
                    except (TypeError, ValueError, OverflowError, AttributeError) as error:
                        # Values no chat file gives (edited by hand, damaged): rebuilt.
                        raise sqlite3.DatabaseError(f"a row of chat {chat_id}: {error}") from None
            self._cached = Listing(key, stamps, unindexed, summaries)
        return self._cached

    # -- the database file ----------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self._db is not None:
            if self._in_memory and not (self._no_folder and self._files.root.is_dir()):
                self._try_file_again()
                return self._db
            if not self._in_memory and self._same_file():
                return self._db
        self._close()
        self._no_folder = not self._files.root.is_dir()
        if self._no_folder:  # nothing saved yet: nothing is created either
            return self._use_memory()
        for attempt in (1, 2):
            try:
                return self._open_file()
            except sqlite3.DatabaseError as error:
                if unusable(error):  # read-only, locked: work from memory
                    return self._use_memory(error)
                if attempt == 2:
                    break
                self._drop(error)  # not a database: removed (or replaced meanwhile), again
                if self._in_memory and self._db is not None:
                    return self._db
            except OSError as error:
                return self._use_memory(error)
        return self._use_memory()

    def _same_file(self) -> bool:
        """Still the file we opened (not deleted or replaced behind our back)."""
        try:
            return os.lstat(self._path).st_ino == self._db_inode
        except OSError:
            return False

    def _open_file(self) -> sqlite3.Connection:
        folder = self._files.index_dir
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=FOLDER_MODE, parents=False)
        refuse_link(folder, stat.S_ISDIR)
        refuse_link(self._path, stat.S_ISREG)
        descriptor = os.open(
            self._path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | NOFOLLOW, FILE_MODE
        )
        try:
            status = os.fstat(descriptor)
        finally:
            os.close(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(f"{self._path} is not a regular file")
        self._db_inode = status.st_ino
        db = sqlite3.connect(
            self._path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
        )
        self._db = db  # kept while prepared: if it is damaged, _drop removes this very file
        with read_as_damage():  # (SQLite's message may quote the schema's damaged bytes)
            prepare(db, self._same_file)
        return db

    def _use_memory(
        self, error: Exception | None = None, *, in_use: bool = False
    ) -> sqlite3.Connection:
        """An in-memory index for this store: lists and searches, rebuilt on each start. The
        file is tried again later if it could not be written (``error``: read-only, locked,
        unreachable) or was damaged while another process wrote it (``in_use``); not if it
        stays damaged, which would cost a rebuild at each try."""
        if error is not None and not locked(error):
            self._cannot_update(error)
        self._close()
        self._db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        prepare(self._db)
        self._in_memory = True
        again = error is not None or in_use
        self._retry_at = monotonic() + RETRY_FILE_AFTER if again else None
        return self._db

    def _try_file_again(self) -> None:
        """Work from the index file again if it is time to try (:data:`RETRY_FILE_AFTER`) and
        it can be opened and written now; else keep the copy in memory (nothing is read
        again) until the next try. The file is brought up to date by the refresh that follows."""
        if self._retry_at is None or monotonic() < self._retry_at:
            return
        self._retry_at = monotonic() + RETRY_FILE_AFTER
        memory = self._db
        db: sqlite3.Connection | None = None
        try:
            db = self._open_file()
            check_writable(db)
        except (sqlite3.DatabaseError, OSError):
            for opened in (db, self._db):  # (_open_file keeps the file it failed to prepare)
                if opened is not None and opened is not memory:
                    with contextlib.suppress(sqlite3.Error):
                        opened.close()
            self._db = memory
            return
        if memory is not None:
            with contextlib.suppress(sqlite3.Error):
                memory.close()
        self._db = db
        self._in_memory = False
        self._retry_at = None
        self._cached = None

    def _drop(self, error: sqlite3.DatabaseError) -> None:
        """Forget a database that failed us: a damaged file is removed (then rebuilt), unless
        another process has built a new one meanwhile or is writing it (memory, this time)."""
        if self._in_memory:
            raise error  # memory cannot be locked or damaged: a real bug
        if unusable(error):
            self._use_memory(error)
            return
        removal = "replaced"
        if not isinstance(error, Replaced):
            removal = remove_damaged(self._files, self._path, self._db_inode, self._db)
        self._close()  # (after the removal: the file cannot be replaced while it is open)
        if removal == "removed" and not self._said_rebuilt:
            self._said_rebuilt = True
            self._notify(NOTICE)
        elif removal in ("in use", "failed"):
            self._use_memory(in_use=removal == "in use")

    def _close(self) -> None:
        self._cached = None
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None
        self._in_memory = False

    def _say(self, text: str) -> None:
        """Tell ``text`` once: a file that stays unreadable (or corrupt where it cannot be set
        aside) is read again at every refresh, and the app refreshes at every save."""
        if text not in self._said:
            self._said.add(text)
            self._notify(text)

    def _cannot_update(self, error: Exception) -> None:
        if self._told:
            return
        self._told = True
        if not_writable(error):
            folder = self._files.index_dir
            self._notify(
                f"the chat index cannot be updated: {folder} or a file in it cannot be "
                "written; chats are listed from a copy in memory meanwhile (make them "
                f"writable, or delete {folder}: it is rebuilt)"
            )
        else:
            reason = getattr(error, "strerror", None) or str(error)
            self._notify(f"the chat index cannot be updated ({reason})")
