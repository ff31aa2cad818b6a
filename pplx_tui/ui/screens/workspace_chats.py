"""The workspace's keys and chat-list requests about chats: open, new, rename, delete; and its
search settings and source exports. Each hands the work to the part that does it
(:class:`~pplx_tui.ui.screens.chat_actions.ChatActions`,
:class:`~pplx_tui.ui.screens.search_controls.SearchControls`).

Mixed into the workspace screen (handlers by name: ``@on`` is not seen on a mixin).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pplx_tui.ui.screens.answer_stream import AnswerStream
    from pplx_tui.ui.widgets.chat_list import ChatList

__all__ = ["WorkspaceChats"]


class WorkspaceChats:
    """Mixed into the workspace screen before ``Screen`` (``self: Any``: the screen's parts)."""

    async def on_chat_list_chat_chosen(self: Any, event: ChatList.ChatChosen) -> None:
        event.stop()
        await self.chats.choose(event.chat_id, event.message_index, event.found)

    def on_chat_list_search_ended(self: Any, event: ChatList.SearchEnded) -> None:
        event.stop()
        self.action_focus_prompt()

    def on_chat_list_rename_requested(self: Any, event: ChatList.RenameRequested) -> None:
        event.stop()
        self.chats.rename(event.chat_id, self.chat_list.title_of(event.chat_id))

    def on_chat_list_delete_requested(self: Any, event: ChatList.DeleteRequested) -> None:
        event.stop()
        self.chats.delete(event.chat_id, self.chat_list.title_of(event.chat_id))

    async def open_chat(self: Any, chat_id: str) -> None:
        """Open a saved chat; its model becomes the target when it can be used."""
        await self.chats.open(chat_id)

    async def action_new_chat(self: Any) -> None:
        self.panes.end_search()  # a list still filtered would not show the new chat
        await self.chats.new()

    def action_rename_current(self: Any) -> None:
        self.chats.rename_current()

    def action_delete_current(self: Any) -> None:
        self.chats.delete_current()

    def action_search_settings(self: Any) -> None:
        self.search_controls.edit()

    def action_export_sources(self: Any, fmt: str) -> None:
        self.search_controls.export(fmt)

    @property
    def writing(self: Any) -> list[AnswerStream]:
        """The open chat's answers still being written (its answer, a comparison's columns)."""
        answers = dict.fromkeys([self.pending, *self.alternatives.comparisons.comparing])
        return [a for a in answers if a is not None and not a.finished and a.chat is self.chat]
