"""The open chat takes a title another process gave it (``pplx chats rename``, another window).

The chat list sees the folder change within 2 s and lists the new title; the header (and the
open chat, whose next save would otherwise carry its old title) took it only with the next
question. Now each change the list sees also reads the open chat's title from its file, in a
thread (one ``stat`` when the file is as the chat last saw it), and the store gives it to the
chat and to its merge base only (:meth:`~pplx_tui.store.ChatStore.take_title`): messages the
other process added are still taken in before the next question, as ever.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable

    from pplx_tui.models import Chat
    from pplx_tui.ui.app import PplxApp
    from pplx_tui.ui.widgets.status_header import StatusHeader

__all__ = ["follow_title"]


class TitleHost(Protocol):
    """The part of the workspace that shows the open chat's title."""

    app: PplxApp
    header: StatusHeader

    @property
    def chat(self) -> Chat:
        """The open chat."""
        ...

    def run_worker(self, work: Callable[[], None], **options: Any) -> object:
        """Run ``work`` as a worker of the screen."""
        ...


def follow_title(host: TitleHost) -> None:
    """Another process changed the chats folder: take the open chat's title if it was renamed
    there (read in a thread, taken here)."""
    chat = host.chat
    if not chat.messages:  # a new chat: nothing saved to rename
        return
    store = host.app.store

    def read() -> None:
        title = store.title_elsewhere(chat)
        if title is not None:
            host.app.call_from_thread(_take, host, chat, title)

    host.run_worker(read, group="title-elsewhere", thread=True, exclusive=True, exit_on_error=False)


def _take(host: TitleHost, chat: Chat, title: str) -> None:
    if host.app.store.take_title(chat, title) and chat is host.chat:
        host.header.chat_title = chat.title
