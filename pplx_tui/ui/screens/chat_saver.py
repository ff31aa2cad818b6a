"""Saving chats, and keeping them when the disk says no.

The store writes atomically, so a save that fails (disk full, a read-only folder, another
process holding the chat's lock too long) leaves the previous file exactly as it was. The chat
itself stays in memory and on screen: :class:`ChatSaver` says so once in a notification, then
tries again every ``retry`` seconds and with every later save, and says when it worked. A chat
from a newer pplx-tui is never written (the store refuses), so it is not retried either; nor is
one deleted elsewhere while it was open (said once: it stays on screen, never written again).
:meth:`ChatSaver.last_try` runs as the app closes: it waits on another process's lock for
``LAST_TRY_SECONDS`` at most in all, and writes a chat still refused as a rescue copy elsewhere
(:mod:`pplx_tui.store.rescue`), which the line it returns names.
"""

from __future__ import annotations

import logging
import shlex
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from pplx_tui.sanitize import clean_line
from pplx_tui.store import ChatDeletedError, ChatStore, NewerSchemaError, StoreError
from pplx_tui.store.errors import failed_in
from pplx_tui.store.merge import base_of, same_messages
from pplx_tui.store.text import derive_title

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.timer import Timer

    from pplx_tui.models import Chat

__all__ = ["ChatSaver"]

logger = logging.getLogger("pplx_tui.ui")

RETRY_SECONDS = 30.0
"""After a chat could not be saved, it is tried again this often (and at every later save)."""

LAST_TRY_SECONDS = 1.5
"""As the app closes, the longest wait on chats' locks held by another process, in all."""

Notify = Callable[[str, "SeverityLevel"], None]
StartTimer = Callable[[float, Callable[[], None]], "Timer"]


class ChatSaver:
    """Saves chats to ``store``; keeps those it could not save and tries them again."""

    def __init__(
        self,
        store: ChatStore,
        notify: Notify,
        start_timer: StartTimer,
        merged: Callable[[Chat], None] = lambda chat: None,
    ) -> None:
        self.store = store
        self._notify = notify
        self._start_timer = start_timer
        self._merged = merged
        """Called after a save took in messages another writer had saved to the chat."""
        self.retry = RETRY_SECONDS
        """Seconds between tries while a chat is unsaved."""
        self._unsaved: dict[str, Chat] = {}
        self._deleted: set[str] = set()
        """Chats deleted elsewhere while open here (already said)."""
        self._timer: Timer | None = None

    @property
    def unsaved(self) -> tuple[Chat, ...]:
        """Chats the disk refused so far (they are tried again)."""
        return tuple(self._unsaved.values())

    def unsaved_names(self) -> list[str]:
        """Each chat the disk refused so far, as “title” (id)."""
        return [_named(chat) for chat in self._unsaved.values()]

    def unsaved_version(self, chat_id: str) -> Chat | None:
        """The in-memory version of an unsaved chat (newer than its file, if it has one)."""
        return self._unsaved.get(chat_id)

    def save(self, chat: Chat) -> bool:
        """Save ``chat`` (and any chat still waiting); ``False`` if ``chat`` was not saved."""
        for waiting in [c for c in self._unsaved.values() if c is not chat]:
            self._write(waiting)
        saved = self._write(chat)
        for notice in self.store.take_notices():
            self._notify(clean_line(notice), "warning")
        return saved

    def retry_now(self, lock_wait: float | None = None) -> None:
        """Try every unsaved chat again (the timer calls this); ``lock_wait``: at most this
        many seconds in all of waiting on locks held elsewhere (quitting: Save and quit)."""
        self._timer = None
        deadline = None if lock_wait is None else time.monotonic() + lock_wait
        for chat in list(self._unsaved.values()):
            wait = None if deadline is None else max(deadline - time.monotonic(), 0.0)
            self._write(chat, lock_wait=wait)

    def last_try(self, more: Iterable[Chat] = ()) -> list[str]:
        """One more try for every unsaved chat and those in ``more`` (answers kept as the app
        closes), never waiting long on a lock; a rescue copy of each that still failed, and a
        line for it that says where the copy is."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        deadline = time.monotonic() + LAST_TRY_SECONDS
        chats = {chat.id: chat for chat in [*self._unsaved.values(), *more]}
        lines = []
        for chat in chats.values():
            wait = max(deadline - time.monotonic(), 0.0)
            if not self._write(chat, quiet=True, lock_wait=wait) and chat.id in self._unsaved:
                lines.append(_rescued(chat))
        return lines

    def _write(self, chat: Chat, *, quiet: bool = False, lock_wait: float | None = None) -> bool:
        if not chat.messages:
            return True
        before = list(chat.messages)
        try:
            self.store.save(chat, lock_wait=lock_wait)
        except (StoreError, OSError) as error:
            logger.warning("chat %s not saved: %s", chat.id, error)
            if isinstance(error, NewerSchemaError):
                self._notify(clean_line(str(error)), "error")
                return False
            if isinstance(error, ChatDeletedError):
                if chat.id not in self._deleted and not quiet:
                    self._deleted.add(chat.id)
                    self._notify(
                        "This chat was deleted elsewhere (pplx chats delete or another window), "
                        "so it is not saved again; what is shown stays until you leave it.",
                        "warning",
                    )
                return False
            first = chat.id not in self._unsaved
            self._unsaved[chat.id] = chat
            if first and not quiet:
                # (a chat never saved has no file to be unchanged)
                kept = "Its saved file is unchanged; e" if base_of(chat) else "E"
                self._notify(
                    f"The chat could not be saved {_reason(error, self.store)}. "
                    f"{kept}verything shown is kept here and saved again in {self.retry:g} s.",
                    "error",
                )
            if self._timer is None and not quiet:
                self._timer = self._start_timer(self.retry, self.retry_now)
            return False
        if not same_messages(before, chat.messages):
            self._merged(chat)
        if self._unsaved.pop(chat.id, None) is not None:
            logger.info("chat %s saved after an earlier failure", chat.id)
            if not quiet:
                self._notify("The chat is saved now.", "information")
        return True


def _rescued(chat: Chat) -> str:
    """The line for a chat that could not be saved, after writing its rescue copy."""
    from pplx_tui.store.rescue import rescue

    said = f"the chat {_named(chat)} could not be saved"
    try:
        path = rescue(chat)
    except OSError as error:
        logger.error("chat %s: no rescue copy either: %s", chat.id, error)
        why = error.strerror or str(error)
        return f"{said}, nor a rescue copy written elsewhere ({clean_line(why).lower()})"
    logger.warning("chat %s not saved: a rescue copy is in %s", chat.id, path)
    shown = clean_line(str(path))
    return f"{said}; a copy is in {shown} (to add it back: pplx chats import {shlex.quote(shown)})"


def _named(chat: Chat) -> str:
    # (a chat whose first save failed has no title yet: the one it will have)
    title = clean_line(chat.title or derive_title(chat)) or "a new chat"
    return f"“{title}” ({chat.id})"


def _reason(error: Exception, store: ChatStore) -> str:
    if isinstance(error, OSError):
        return failed_in(error, store.root)
    return f"({clean_line(str(error))})"
