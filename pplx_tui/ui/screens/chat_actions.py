"""What the workspace does with whole chats: open, new, rename, delete.

:class:`ChatActions` is called by the workspace's handlers for :class:`~pplx_tui.ui.widgets.
chat_list.ChatList` messages and by its actions (ctrl+n, the palette's "Rename chat" and
"Delete chat"). It reads and writes the store, asks first in a dialog, turns store errors into
notifications, and tells the workspace what to show through the narrow :class:`ChatHost`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol

from pplx_tui.sanitize import clean_line
from pplx_tui.store import ChatStore, StoreError

if TYPE_CHECKING:
    from textual.screen import Screen

    from pplx_tui.models import Chat
    from pplx_tui.ui.screens.chat_saver import ChatSaver, Notify

__all__ = ["ChatActions", "ChatHost", "WorkingAnswers"]

PushScreen = Callable[["Screen[Any]", Callable[[Any], Awaitable[None]]], object]
"""``app.push_screen``: show a dialog and call back with its result."""


class ChatHost(Protocol):
    """The part of the workspace that chat actions change."""

    @property
    def chat(self) -> Chat:
        """The open chat."""
        ...

    async def open_saved(self, chat: Chat) -> None:
        """Show saved ``chat``; its model becomes the target when it can be used."""

    async def open_new(self) -> None:
        """Show a new, empty chat."""

    def chat_renamed(self, chat: Chat) -> None:
        """``chat`` has a new title."""

    def chats_changed(self) -> None:
        """The saved chats changed (the list reads them again)."""


class WorkingAnswers(Protocol):
    """The answers working now (:class:`~pplx_tui.ui.screens.answering.Answering`)."""

    def chat(self, chat_id: str) -> Chat | None:
        """The chat object an answer is still working in (newer than its file), if any."""

    async def stop(self, chat_id: str) -> None:
        """Stop chat ``chat_id``'s working answer, if any (the chat is being deleted)."""


class ChatActions:
    """Open, start, rename and delete chats of ``store`` for ``host``."""

    def __init__(
        self,
        host: ChatHost,
        answers: WorkingAnswers,
        store: ChatStore,
        saver: ChatSaver,
        notify: Notify,
        push_screen: PushScreen,
    ) -> None:
        self._host = host
        self._answers = answers
        self._store = store
        self._saver = saver
        self._notify = notify
        self._push_screen = push_screen

    async def open(self, chat_id: str) -> None:
        """Open a saved chat; its model becomes the target when it can be used. An answer
        working in the chat being left goes on (it is the workspace's, not the view's)."""
        # A chat still answering, or one the disk refused, is newer in memory than in its file.
        chat = self._answers.chat(chat_id) or self._saver.unsaved_version(chat_id)
        if chat is None:
            try:
                chat = await asyncio.to_thread(self._store.load, chat_id)
            except StoreError as error:
                self._notify(clean_line(str(error)), "error")
                return
        await self._host.open_saved(chat)

    async def new(self) -> None:
        """Start an empty chat (it is saved with its first question)."""
        await self._host.open_new()

    def rename(self, chat_id: str, title: str) -> None:
        """Ask for a new title for chat ``chat_id`` (now titled ``title``) and set it."""
        from pplx_tui.ui.dialogs.rename import RenameScreen

        async def renamed(new_title: str | None) -> None:
            if new_title is None:
                return
            try:
                chat = self._store.rename(chat_id, new_title)
            except StoreError as error:
                self._notify(clean_line(str(error)), "error")
                return
            self._host.chat_renamed(chat)

        self._push_screen(RenameScreen(title), renamed)

    def delete(self, chat_id: str, title: str) -> None:
        """Ask, then delete chat ``chat_id``; deleting the open chat starts a new one."""
        from pplx_tui.ui.dialogs.confirm import ConfirmScreen

        async def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            await self._answers.stop(chat_id)
            try:
                self._store.delete(chat_id)
            except StoreError as error:
                self._notify(clean_line(str(error)), "error")
                return
            if chat_id == self._host.chat.id:
                await self.new()
            self._host.chats_changed()

        message = f"Delete the chat “{clean_line(title) or 'Untitled'}”? This cannot be undone."
        self._push_screen(
            ConfirmScreen(message, title="Delete chat", yes_label="Delete", destructive=True),
            confirmed,
        )

    def rename_current(self) -> None:
        chat = self._host.chat
        if chat.messages:
            self.rename(chat.id, chat.title)
        else:
            self._notify("Ask a question first: an empty chat is not saved.", "information")

    def delete_current(self) -> None:
        chat = self._host.chat
        if chat.messages:
            self.delete(chat.id, chat.title)
        else:
            self._notify("This chat is empty and not saved.", "information")
