"""The chat store: every conversation kept, findable and exportable.

One JSON file per chat, ``<chats>/<id>.json`` (``$XDG_DATA_HOME/pplx-tui/chats``), holding a
:class:`~pplx_tui.models.Chat` with its ``schema_version``. The folder is 0700, files 0600.

Saving loses nothing
    Every write goes to a temporary file in the same folder, is flushed and fsynced, then
    renamed over the old file (``pplx_tui.atomic.write_atomic``): a crash leaves the old file
    or the new one, never half of either. A file that does not parse or validate is moved to
    ``.corrupt/`` with a warning and a notice; it never stops the app or the CLI. A file
    written by a newer schema is read-only: it may be shown, and saving it raises
    :class:`NewerSchemaError` instead of overwriting it.

Two writers
    Every save takes an advisory ``flock`` on ``.locks/<id>.lock``, re-reads the file, merges
    and writes, then releases the lock, so writes to one chat are serialised. The merge is by
    ``Message.id``, three-way against what the store last read or wrote for that ``Chat``
    object: messages another writer appended meanwhile are kept, messages deleted on one side
    stay deleted, and for a message both sides hold, the saving side's version wins unless it
    is unchanged and the other's is not. Messages already on disk never move; new ones go in
    as runs after the message they follow, so a question and its answer stay together. A
    crashed holder's lock is released by the kernel, and its temporary file is removed by the
    next save of that chat or the next listing.

Listing and search
    A rebuildable index in ``.index/`` (see ``store.index``) answers :meth:`ChatStore.list_chats`
    and :meth:`ChatStore.search` without parsing every chat; one directory scan per call keeps
    it honest about files added, edited or removed behind its back. :class:`ChatFinder` does
    only that, and loads no pydantic while the index is up to date (``pplx chats list``).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from pplx_tui.store.errors import (
    ChatDeletedError,
    ChatNotFoundError,
    CorruptChatError,
    ImportRejectedError,
    InvalidChatIdError,
    NewerSchemaError,
    StoreBusyError,
    StoreError,
)
from pplx_tui.store.finder import ChatFinder
from pplx_tui.store.ids import check_chat_id, new_chat_id
from pplx_tui.store.index_rows import ChatSummary
from pplx_tui.store.search import SearchHit

if TYPE_CHECKING:
    from pplx_tui.store.chat_json import dump_chat
    from pplx_tui.store.chat_store import ChatStore
    from pplx_tui.store.export_reading import MAX_IMPORT_BYTES

_LOADED_WHEN_ASKED = {
    "ChatStore": "chat_store",
    "MAX_IMPORT_BYTES": "export_reading",
    "dump_chat": "chat_json",
}
"""Names whose modules load pydantic (the chat models): imported on first use, so that
importing the package (``ChatFinder``, the errors) does not."""


def __getattr__(name: str) -> object:
    if name in _LOADED_WHEN_ASKED:
        return getattr(import_module(f"pplx_tui.store.{_LOADED_WHEN_ASKED[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "MAX_IMPORT_BYTES",
    "ChatDeletedError",
    "ChatFinder",
    "ChatNotFoundError",
    "ChatStore",
    "ChatSummary",
    "CorruptChatError",
    "ImportRejectedError",
    "InvalidChatIdError",
    "NewerSchemaError",
    "SearchHit",
    "StoreBusyError",
    "StoreError",
    "check_chat_id",
    "dump_chat",
    "new_chat_id",
]
