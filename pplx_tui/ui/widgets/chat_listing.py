"""What the chat list reads from the store, in its thread worker: every chat, newest first, or
the chats holding the search box's words, best first (at most :data:`SEARCH_LIMIT`, the last
word a prefix: :func:`as_typed`); :class:`Listed` brings them to the list (:func:`read_listing`),
:class:`Indexing` how far a search's indexing is, and :func:`neighbour` says where its cursor
goes when the chat under it is gone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual.message import Message

from pplx_tui.ui.widgets.chat_rows import ChatEntry

if TYPE_CHECKING:
    from textual.widget import Widget

    from pplx_tui.store import ChatFinder, SearchHit

__all__ = [
    "SEARCH_LIMIT",
    "Indexing",
    "Listed",
    "as_typed",
    "neighbour",
    "read_listing",
    "watched_stamp",
]

logger = logging.getLogger("pplx_tui.ui")

PROGRESS_EVERY = 50
"""Chats indexed between two updates of the list's header while a search indexes them."""
SEARCH_LIMIT = 50
"""The most chats a search lists (the best first); the title says when more hold the words."""
WATCHED_FILES = 100
"""The listed chats (the first: the newest, or the best hits) whose files the list looks at
for an edit in place, with the chats folder (:func:`watched_stamp`)."""


def as_typed(query: str) -> str:
    """``query`` with its last word as a prefix (``kyo`` finds Kyoto): the box searches as the
    user types, and whole words found nothing until the word's last letter (QA Q18). A phrase
    in quotes, or a query ending in a space or ``*``, is left as written."""
    if query.count('"') % 2 or not query[-1:].isalnum():
        return query
    return query + "*"


class Listed(Message, namespace="chat_list"):
    """The chats (or search results) read from the store by
    :meth:`~pplx_tui.ui.widgets.chat_list.ChatList.reload`."""

    def __init__(
        self,
        chat_list: Widget,
        entries: list[ChatEntry],
        query: str,
        generation: int,
        *,
        more: bool = False,
        stamp: int = 0,
        notices: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.chat_list = chat_list
        self.entries = entries
        self.query = query
        """The search box's words they answer ("": every chat)."""
        self.generation = generation
        """Results of an older reload than the latest are dropped."""
        self.more = more
        """More chats hold the words than the search lists."""
        self.stamp = stamp
        """:func:`watched_stamp` of the chats folder before they were read and of their
        files."""
        self.notices = notices
        """What the store had to say about reading them (an index found damaged and
        rebuilt, a chat file set aside)."""

    @property
    def control(self) -> Widget:
        return self.chat_list


class Indexing(Message, namespace="chat_list"):
    """The search for reload number ``generation`` is indexing the chats first: ``done`` of
    ``total`` (it said nothing for the 12 s a first search of 2,000 chats took)."""

    def __init__(self, chat_list: Widget, generation: int, done: int, total: int) -> None:
        super().__init__()
        self.chat_list = chat_list
        self.generation = generation
        self.done = done
        self.total = total

    @property
    def control(self) -> Widget:
        return self.chat_list

    @property
    def title(self) -> str:
        """The list's header meanwhile: ``Indexing 2,004 chats… 35%``."""
        done = f" {self.done * 100 // self.total}%" if self.done else ""
        return f"Indexing {self.total:,} chats…{done}"


def _progress(chat_list: Widget, generation: int) -> Callable[[int, int], None]:
    """Tells ``chat_list`` how far indexing is, at the start and every :data:`PROGRESS_EVERY`
    chats."""

    def progress(done: int, total: int) -> None:
        if done % PROGRESS_EVERY == 0:
            chat_list.post_message(Indexing(chat_list, generation, done, total))

    return progress


def read_listing(chat_list: Widget, store: ChatFinder, query: str, generation: int) -> Listed:
    """``store``'s chats (``query``: the hits for those words), read now (in a thread: it reads
    files), for ``chat_list``'s reload number ``generation``."""
    from pplx_tui.store import StoreError  # (the store is made after the first frame)

    folder = store.folder_stamp()  # before reading: a save meanwhile is seen next time
    try:
        more = False
        if query:
            progress = _progress(chat_list, generation)
            hits = store.search(as_typed(query), limit=SEARCH_LIMIT + 1, progress=progress)
            more = len(hits) > SEARCH_LIMIT
            entries = [
                ChatEntry(h.chat_id, h.title, h.updated_at, h.snippet, _message(h), _found(h))
                for h in hits[:SEARCH_LIMIT]
            ]
        else:
            entries = [ChatEntry(s.id, s.title, s.updated_at) for s in store.list_chats()]
    except (StoreError, OSError) as error:
        logger.warning("chat list not read: %s", error)
        entries = []
    stamp = watched_stamp(store, folder, entries)
    listed = Listed(chat_list, entries, query, generation, more=more, stamp=stamp)
    listed.notices = store.take_notices()
    return listed


def _message(hit: SearchHit) -> int | None:
    """The message a hit opens at (and marks); none for a hit in the title alone."""
    return None if hit.field == "title" else hit.message_index


def _found(hit: SearchHit) -> str:
    """The text a hit matched, as written (its snippet's highlighted part)."""
    start, end = hit.highlight
    return hit.snippet[start:end]


def neighbour(shown: Sequence[str], gone: str, ids: Sequence[str]) -> str | None:
    """Where the cursor goes when the chat ``gone`` (deleted) leaves the rows ``shown``, now
    ``ids``: the next chat below it still listed, else the one above (it was the last)."""
    place = shown.index(gone)
    below = (i for i in shown[place + 1 :] if i in ids)
    above = (i for i in reversed(shown[:place]) if i in ids)
    return next(below, next(above, None))


def watched_stamp(store: ChatFinder, folder: int, entries: Sequence[ChatEntry]) -> int:
    """What the list compares to see whether to read the chats again: the chats folder's
    stamp (``folder``: a chat saved, added or deleted) and those of the first listed chats'
    files (:data:`WATCHED_FILES`: a title edited by hand in place). Their files are looked at
    once the chats are read: one edited in that moment is seen with the next change."""
    return hash((folder, store.files_stamp(entry.id for entry in entries[:WATCHED_FILES])))
