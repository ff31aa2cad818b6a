"""What the research screen does with whole chats: open, new, rename, delete.

:class:`ChatActions` is called by the screen's handlers for :class:`~pplx_tui.ui.widgets.
chat_list.ChatList` messages and by its actions (ctrl+n, the palette's "Rename chat" and
"Delete chat"). Rename and delete ask first in a dialog; store errors become notifications.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from pplx_tui.sanitize import clean_line
from pplx_tui.store import StoreError

if TYPE_CHECKING:
    from pplx_tui.models import Chat
    from pplx_tui.ui.screens.research import ResearchScreen

__all__ = ["ChatActions"]


class ChatActions:
    """Open, start, rename and delete chats for ``screen``."""

    def __init__(self, screen: ResearchScreen) -> None:
        self.screen = screen

    async def open(self, chat_id: str) -> None:
        """Open a saved chat; its model becomes the target when it can be used."""
        screen = self.screen
        await screen.stop_answer()
        # A chat the disk refused is newer in memory than in its file.
        chat = screen.saver.unsaved_version(chat_id)
        if chat is None:
            try:
                chat = await asyncio.to_thread(screen.app.store.load, chat_id)
            except StoreError as error:
                screen.notify(clean_line(str(error)), severity="error")
                return
        await screen.show_chat(chat)
        target = screen.app.target_for_chat(chat, screen.target)
        if target is not screen.target:
            screen.use_target(target)
        screen.prompt.focus()

    async def new(self) -> None:
        """Start an empty chat (it is saved with its first question)."""
        screen = self.screen
        await screen.stop_answer()
        await screen.show_chat(screen.app.new_chat(screen.target))
        screen.prompt.focus()

    def rename(self, chat_id: str, title: str) -> None:
        """Ask for a new title for chat ``chat_id`` (now titled ``title``) and set it."""
        from pplx_tui.ui.screens.rename import RenameScreen

        screen = self.screen

        async def renamed(new_title: str | None) -> None:
            if new_title is None:
                return
            try:
                chat = screen.app.store.rename(chat_id, new_title)
            except StoreError as error:
                screen.notify(clean_line(str(error)), severity="error")
                return
            self._renamed(chat)

        screen.app.push_screen(RenameScreen(title), renamed)

    def delete(self, chat_id: str, title: str) -> None:
        """Ask, then delete chat ``chat_id``; deleting the open chat starts a new one."""
        from pplx_tui.ui.screens.confirm import ConfirmScreen

        screen = self.screen

        async def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                screen.app.store.delete(chat_id)
            except StoreError as error:
                screen.notify(clean_line(str(error)), severity="error")
                return
            if chat_id == screen.chat.id:
                await self.new()
            screen.chat_list.reload()

        message = f"Delete the chat “{clean_line(title) or 'Untitled'}”? This cannot be undone."
        screen.app.push_screen(
            ConfirmScreen(message, title="Delete chat", yes_label="Delete", destructive=True),
            confirmed,
        )

    def rename_current(self) -> None:
        screen = self.screen
        if screen.chat.messages:
            self.rename(screen.chat.id, screen.chat.title)
        else:
            screen.notify("Ask a question first: an empty chat is not saved.", timeout=3)

    def delete_current(self) -> None:
        screen = self.screen
        if screen.chat.messages:
            self.delete(screen.chat.id, screen.chat.title)
        else:
            screen.notify("This chat is empty and not saved.", timeout=3)

    def _renamed(self, chat: Chat) -> None:
        """Show the store's new title wherever the chat is shown."""
        screen = self.screen
        if chat.id == screen.chat.id:
            screen.chat.title = chat.title
            screen.header.chat_title = chat.title
        screen.chat_list.reload()
