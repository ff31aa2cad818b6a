"""Typed store errors; ``str(error)`` is one sentence a person can act on."""

from __future__ import annotations

import os
from pathlib import Path

from pplx_tui.sanitize import shown_name


class StoreError(Exception):
    """Base class of everything the chat store raises on purpose."""


class InvalidChatIdError(StoreError, ValueError):
    """An id from outside that is not a chat id (or a prefix that names several chats)."""


class ChatNotFoundError(StoreError):
    """No saved chat has this id."""

    def __init__(self, chat_id: str) -> None:
        super().__init__(f"no saved chat has the id {chat_id} (see `pplx chats list`)")
        self.chat_id = chat_id


class ChatDeletedError(StoreError):
    """The chat was deleted (by another process or window) since this copy was read or saved:
    it is not written again, so a deletion is never undone."""

    def __init__(self, chat_id: str) -> None:
        super().__init__(
            f"chat {chat_id} was deleted elsewhere (pplx chats delete or another window), "
            "so it is not saved again"
        )
        self.chat_id = chat_id


class CorruptChatError(StoreError):
    """The chat file did not parse or validate; it has been moved to ``chats/.corrupt/``."""

    def __init__(self, chat_id: str, reason: str, moved_to: Path | None = None) -> None:
        where = f"; it was moved to {moved_to}" if moved_to else ""
        super().__init__(f"chat {chat_id} could not be read ({reason}){where}")
        self.chat_id = chat_id
        self.reason = reason
        self.moved_to = moved_to


class NewerSchemaError(StoreError):
    """The chat was written by a newer pplx-tui: never overwritten, perhaps not even readable."""

    def __init__(self, chat_id: str, version: int, *, readable: bool) -> None:
        what = "is read-only here" if readable else "cannot be opened by this version"
        super().__init__(
            f"chat {chat_id} was saved by a newer pplx-tui (format {version}) and {what}; "
            "upgrade pplx-tui to change it"
        )
        self.chat_id = chat_id
        self.version = version


class ImportRejectedError(StoreError):
    """The file given to import is not a chat export (or is too large to be one)."""


class StoreBusyError(StoreError):
    """Another process held a chat's lock for too long."""


class LinkRefusedError(StoreError):
    """A chat file or a store folder is a symbolic link (or a special file): never followed."""

    def __init__(self, path: object, what: str = "a symbolic link") -> None:
        super().__init__(
            f"{shown_name(path)} is {what}; pplx-tui does not follow links or open special "
            "files in its chats folder (remove it, or put the real file there)"
        )
        self.path = path


def failed_in(error: OSError, root: Path) -> str:
    """``in FOLDER (permission denied)`` for a save that failed: the folder of the file it
    names (``.locks/`` for a lock, the chats folder for the chat), else the chats folder
    ``root``. A folder of the store's own inside ``root`` (``.locks/``) is named only while
    ``root`` can be written: a chats folder made read-only as a whole failed at its lock first,
    and the user's concern is the chats folder."""
    folder = Path(error.filename).parent if error.filename else root
    if folder != root and folder.is_relative_to(root) and not os.access(root, os.W_OK):
        folder = root
    why = error.strerror or str(error)
    return f"in {shown_name(folder)} ({why[:1].lower()}{why[1:]})"
