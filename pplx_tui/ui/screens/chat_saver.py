"""Saving chats, and keeping them when the disk says no.

The store writes atomically, so a save that fails (disk full, a read-only folder, another
process holding the chat's lock too long) leaves the previous file exactly as it was. The chat
itself stays in memory and on screen: :class:`ChatSaver` says so once in a notification, then
tries again every ``retry`` seconds and with every later save, and says when it worked. A chat
from a newer pplx-tui is never written (the store refuses), so it is not retried either; nor is
one deleted elsewhere while it was open (said once: it stays on screen, never written again).
:meth:`ChatSaver.last_try` runs as the app closes and reports what could still not be saved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from pplx_tui.sanitize import clean_line
from pplx_tui.store import ChatDeletedError, ChatStore, NewerSchemaError, StoreError
from pplx_tui.store.errors import failed_in
from pplx_tui.store.merge import same_messages
from pplx_tui.store.text import derive_title

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.timer import Timer

    from pplx_tui.models import Chat

__all__ = ["ChatSaver"]

logger = logging.getLogger("pplx_tui.ui")

RETRY_SECONDS = 30.0
"""After a chat could not be saved, it is tried again this often (and at every later save)."""

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

    def retry_now(self) -> None:
        """Try every unsaved chat again (the timer calls this)."""
        self._timer = None
        for chat in list(self._unsaved.values()):
            self._write(chat)

    def last_try(self) -> list[str]:
        """One more try for every unsaved chat; a line for each that still failed."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        lines = []
        for chat in list(self._unsaved.values()):
            if not self._write(chat, quiet=True):
                # (a chat whose first save failed has no title yet: the one it will have)
                title = clean_line(chat.title or derive_title(chat)) or "a new chat"
                lines.append(f"the chat “{title}” ({chat.id}) could not be saved")
        return lines

    def _write(self, chat: Chat, *, quiet: bool = False) -> bool:
        if not chat.messages:
            return True
        before = list(chat.messages)
        try:
            self.store.save(chat)
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
                self._notify(
                    f"The chat could not be saved {_reason(error, self.store)}. "
                    f"Its saved file is unchanged; everything shown is kept here and saved "
                    f"again in {self.retry:g} s.",
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


def _reason(error: Exception, store: ChatStore) -> str:
    if isinstance(error, OSError):
        return failed_in(error, store.root)
    return f"({clean_line(str(error))})"
