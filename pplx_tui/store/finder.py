"""``ChatFinder``: the saved chats as a list and a search, from the index. It imports no
pydantic (nor anything that does) until a chat file has changed since the index saw it, so
``pplx chats list`` and ``pplx chats search`` over an index that is up to date start fast;
:class:`~pplx_tui.store.chat_store.ChatStore` is one that also reads and writes chats."""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from pplx_tui import paths
from pplx_tui.store.files import ChatFiles
from pplx_tui.store.index import ChatIndex
from pplx_tui.store.index_rows import ChatSummary
from pplx_tui.store.search import SearchHit, query_terms

if TYPE_CHECKING:
    from pplx_tui.store.indexer import Progress

logger = logging.getLogger("pplx_tui.store")


class ChatFinder:
    """Every chat under ``root`` (default: the XDG chats folder), listed and searched.

    Problems that must not stop the program (a corrupt file set aside, a chat from a newer
    version) are logged and collected for :meth:`take_notices`, from any thread: the app's
    chat list reads in a thread while the UI thread saves, and both add notices and take them.
    """

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else paths.chats_dir()
        self._files = ChatFiles(self.root)
        self._index = ChatIndex(self._files, self._notice)
        self._notices: deque[str] = deque()
        """Appends and pops at either end of a deque are atomic (documented thread-safe):
        a notice added while another thread takes them is taken then or by the next call.
        (Swapping in a new list lost it: added to the old list after it was handed over.)"""

    def list_chats(self, limit: int | None = None) -> list[ChatSummary]:
        """Chats from the index, most recently updated first.

        No chat file is parsed unless it changed since the index last saw it.
        """
        summaries = self._index.summaries()
        return summaries if limit is None else summaries[:limit]

    def check_files(self) -> None:
        """Look at every chat file as a listing does: one that does not parse is set aside,
        one that cannot be read is said (both as :meth:`take_notices`). For commands that read
        the chats another way (``pplx runs``, ``pplx usage``: a byte test first, which passed
        such a file over without a word). Cheap while the index is up to date."""
        self._index.summaries()

    def folder_problem(self) -> str | None:
        """One line saying why the chats folder cannot be read (``None``: it can, or there is
        none yet), for commands whose empty listing would otherwise say "no chats"."""
        if (error := self._files.folder_problem()) is None:
            return None
        return f"cannot read the chats folder {self.root} ({error.strerror or error})"

    def folder_stamp(self) -> int:
        """When a chat file last came, went or was replaced (every save writes a new file over
        the old one), whoever saved it: the chats folder's mtime in ns (0 while there is none).
        One ``stat``: cheap enough to ask every few seconds."""
        try:
            return os.stat(self.root).st_mtime_ns
        except OSError:
            return 0

    def files_stamp(self, chat_ids: Iterable[str]) -> int:
        """When the files of ``chat_ids`` last changed (a hash of their stamps): a file edited
        in place (by hand, by a tool that does not write a new one) leaves the folder's mtime
        as it was. One ``lstat`` a chat."""
        return hash(tuple(self._files.stamp(chat_id) for chat_id in chat_ids))

    def search(
        self, query: str, limit: int = 50, *, progress: Progress | None = None
    ) -> list[SearchHit]:
        """Chats holding every word (or ``"phrase"``, or ``prefix*``) of ``query`` in their
        title, a question, answer or source title/url, best match first, each with a snippet.
        ``progress`` is told ``(done, total)`` while chats are indexed first, if that is many
        (:data:`~pplx_tui.store.index.LONG_INDEXING`: a first search of 2,000 takes seconds)."""
        terms = query_terms(query)
        if not terms or limit <= 0:
            return []
        return self._index.search(terms, limit, progress)

    def take_notices(self) -> list[str]:
        """Warnings collected since the last call (for a notification or stderr), each handed
        out once; it never waits for a thread adding one."""
        taken: list[str] = []
        while True:
            try:
                taken.append(self._notices.popleft())
            except IndexError:
                return taken

    def _notice(self, text: str) -> None:
        logger.warning("%s", text)
        self._notices.append(text)
