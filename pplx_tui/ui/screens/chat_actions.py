"""What the workspace does with whole chats: open (a chat or a search hit in one chosen in the
chat list), new, rename, delete, and take in what another ``pplx`` saved to the open chat.

:class:`ChatActions` is called by the workspace's handlers for :class:`~pplx_tui.ui.widgets.
chat_list.ChatList` messages and by its actions (ctrl+n, the palette's "Rename chat" and
"Delete chat"). It reads and writes the store, asks first in a dialog, turns store errors into
notifications, and shows the outcome through the narrow :class:`ChatHost`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol

from pplx_tui.sanitize import clean_line
from pplx_tui.store import ChatStore, StoreError
from pplx_tui.store.text import fold
from pplx_tui.ui.keys_in_force import ALTERNATIVE_KEYS, VERSION_KEYS, keys_named

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.screen import Screen

    from pplx_tui.models import Chat, Message
    from pplx_tui.ui.app import PplxApp
    from pplx_tui.ui.screens.chat_saver import ChatSaver
    from pplx_tui.ui.screens.spending import Spending
    from pplx_tui.ui.widgets.chat_list import ChatList
    from pplx_tui.ui.widgets.conversation import Conversation
    from pplx_tui.ui.widgets.prompt import PromptInput
    from pplx_tui.ui.widgets.status_header import StatusHeader

__all__ = ["ChatActions", "ChatHost", "WorkingAnswers"]

BIG_CHAT = 8 * 2**20
"""A chat file over this many bytes takes seconds to read: the app says it is opening it."""

PushScreen = Callable[["Screen[Any]", Callable[[Any], Awaitable[None]]], object]
"""``app.push_screen``: show a dialog and call back with its result."""


class ChatHost(Protocol):
    """The part of the workspace that chat actions change."""

    app: PplxApp
    header: StatusHeader
    prompt: PromptInput
    chat_list: ChatList
    conversation: Conversation
    spending: Spending

    @property
    def chat(self) -> Chat:
        """The open chat."""
        ...

    async def show_chat(self, chat: Chat) -> None:
        """Show ``chat`` (saved or new) in the conversation."""

    def shown_end(self) -> str | None:
        """The id of the message the conversation ends with (while an answer streams: its
        question's)."""

    def still_answering(self) -> bool:
        """Whether an answer or a comparison works in the open chat now."""

    def call_next(self, callback: Callable[..., Any], *args: Any) -> None:
        """Call ``callback`` once the current message is handled."""

    def notify(
        self, message: str, *, severity: SeverityLevel = ..., timeout: float | None = ...
    ) -> None:
        """Tell the user something."""


class WorkingAnswers(Protocol):
    """The answers working now (:class:`~pplx_tui.ui.screens.answering.Answering`)."""

    def chat(self, chat_id: str) -> Chat | None:
        """The chat object an answer or a comparison is still working in (newer than its
        file), if any."""

    def works_in(self, chat_id: str) -> bool:
        """Whether an answer or a comparison works in chat ``chat_id`` now."""
        ...

    async def forget(self, chat_id: str) -> None:
        """End chat ``chat_id``'s working answer, if any (the chat is being deleted; its runs
        are cancelled apart)."""


def _holds(message: Message, found: str) -> bool:
    """Whether ``message`` holds the text ``found`` (a search hit's) where the search looks:
    its text, its sources' titles and URLs (case and Latin accents aside)."""
    wanted = fold(found).strip()
    texts = [message.content, *(t for s in message.sources for t in (s.title, s.url))]
    return bool(wanted) and any(wanted in fold(text) for text in texts)


class ChatActions:
    """Open, start, rename and delete chats of ``store`` for ``host``."""

    def __init__(
        self,
        host: ChatHost,
        answers: WorkingAnswers,
        store: ChatStore,
        saver: ChatSaver,
        push_screen: PushScreen,
    ) -> None:
        self._host = host
        self._not_shown: str | None = None
        """The chat that took in messages from elsewhere while it could not be drawn again."""
        self._answers = answers
        self._store = store
        self._saver = saver
        self._push_screen = push_screen

    def _notify(self, text: str, severity: SeverityLevel) -> None:
        self._host.notify(text, severity=severity, timeout=3 if severity == "information" else None)

    async def open(self, chat_id: str) -> None:
        """Open a saved chat; its model becomes the target when it can be used. An answer
        working in the chat being left goes on (it is the workspace's, not the view's)."""
        # A chat still answering, or one the disk refused, is newer in memory than in its file.
        chat = self._answers.chat(chat_id) or self._saver.unsaved_version(chat_id)
        if chat is None:
            if (self._store.file_size(chat_id) or 0) > BIG_CHAT:  # nothing else shows it
                self._notify("Opening a long chat: this takes a few seconds…", "information")
            try:
                chat = await asyncio.to_thread(self._store.load, chat_id)
            except StoreError as error:
                self._notify(clean_line(str(error)), "error")
                return
            except OSError as error:  # made unreadable since it was listed (chmod 000…)
                reason = f"cannot read {error.filename} ({error.strerror or error})"
                self._notify(clean_line(f"The chat could not be opened: {reason}"), "error")
                return
        host = self._host
        await host.show_chat(chat)
        target = host.app.target_for_chat(chat)
        if target is not host.app.target:
            host.app.use_target(target)
        host.prompt.focus()

    async def choose(self, chat_id: str, index: int | None, found: str = "") -> None:
        """Open what the chat list chose: chat ``chat_id``, and its message ``index`` (a
        search hit, whose text matched is ``found``) scrolled to the top and marked found."""
        host = self._host
        if host.chat.id != chat_id:
            await self.open(chat_id)
        else:  # not opened again: only what another pplx saved to it (the hit may be there)
            # is taken in: a second Enter on the hit, queued while it opened, only scrolls to
            # it (QA Q15), and a comparison streaming there keeps its columns (reopening drew
            # the chat again without them, and its answers went to the chat object left).
            await self.take_in_others()
            host.prompt.focus()  # as after opening: a list holding the screen gives it back
        chat = host.chat
        if index is None or chat.id != chat_id or index >= len(chat.messages):
            return
        hit = chat.messages[index]
        shown = {message.id for message in chat.active_path()}
        if any(m.id in shown for m in chat.compared_with(hit.id)):
            await host.conversation.reveal(hit)
        elif (there := self._in_place_of(hit, shown, found)) is not None:
            await host.conversation.reveal(there)

    def _in_place_of(self, hit: Message, shown: set[str], found: str) -> Message | None:
        """What the open chat shows in place of ``hit``, which is off its shown line (another
        alternative, a turn of another branch): marked instead, as revealing a hit never
        changes what later questions follow nor saves the chat (QA: a hit in an answer compared
        away chose it and saved, the follow-up asked after the comparison left the screen). At
        the fork where the lines part, a column compared there holding the text ``found`` (no
        more to say), else the message shown there, with a line saying where the match is.
        ``None`` (and a word) while an answer works in the chat: its columns are not all in."""
        host = self._host
        chat = host.chat
        app = host.app
        if host.still_answering():
            keys = keys_named(app, *ALTERNATIVE_KEYS), keys_named(app, *VERSION_KEYS)
            self._notify(
                "The match is in another alternative of this chat ({}, {} show it once the "
                "answer ends).".format(*keys),
                "information",
            )
            return None
        fork = next((m for m in chat.path_to(hit.id) if m.id not in shown), hit)
        there = next((m for m in chat.children(chat.parent_key(fork)) if m.id in shown), None)
        if there is None:
            return None
        if fork is hit:
            columns = [there, *(m for m in chat.compared_with(there.id) if m is not there)]
            holding = next((m for m in columns if _holds(m, found)), None)
            if holding is not None:
                return holding
        number, count = chat.places().get(fork.id, (0, 0))
        answer = fork.role == "assistant"
        keys = keys_named(app, *(ALTERNATIVE_KEYS if answer else VERSION_KEYS))
        where = f"{'answer' if answer else 'version'} {number}/{count} of this question"
        said = f"is in {where}" if fork is hit else f"follows {where}"
        if not number:  # (no alternative of the one shown: an old file's odd fork)
            said = "is in another branch of this chat"
        self._notify(f"The match {said}, not shown ({keys} show it).", "information")
        return there

    async def new(self) -> None:
        """Start an empty chat (it is saved with its first question)."""
        await self._host.show_chat(self._host.app.new_chat())
        self._host.prompt.focus()

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
            self._renamed(chat)

        self._push_screen(RenameScreen(title), renamed)

    def delete(self, chat_id: str, title: str) -> None:
        """Ask, then delete chat ``chat_id``; deleting the open chat starts a new one. The
        background runs it waits on are cancelled, as ``pplx chats delete`` does."""
        from pplx_tui.ui.dialogs.confirm import ConfirmScreen
        from pplx_tui.ui.screens.deleted_runs import cancel_deleted_runs

        async def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            waiting = self._waiting_runs(chat_id)  # (read before its answer is ended here)
            await self._answers.forget(chat_id)
            try:
                self._store.delete(chat_id)
            except StoreError as error:
                self._notify(clean_line(str(error)), "error")
                return
            if waiting:
                app = self._host.app
                app.run_worker(cancel_deleted_runs(app, title, waiting), exit_on_error=False)
            if chat_id == self._host.chat.id:
                await self.new()
            self._host.chat_list.reload()
            # Its answers leave today's total (and the daily budget's count) with it; the
            # list's own reload takes the folder's change as this window's, not another's.
            self._host.spending.update_day_cost()

        message = f"Delete the chat “{clean_line(title) or 'Untitled'}”? This cannot be undone."
        running = len(self._waiting_runs(chat_id))
        if running == 1:
            message += " Its background run is still going: it will be cancelled."
        elif running:
            message += f" Its {running} background runs are still going: they will be cancelled."
        elif self._answers.works_in(chat_id):
            message += " Its answer is still being written: it will be stopped."
        self._push_screen(
            ConfirmScreen(message, title="Delete chat", yes_label="Delete", destructive=True),
            confirmed,
        )

    def _waiting_runs(self, chat_id: str) -> list[Message]:
        """Copies of the answers of chat ``chat_id`` still waiting on a background run (the
        newest version of the chat: an answer working here, the open one, else its file)."""
        from pplx_tui.runs import RUN_NEEDLE, waiting_runs

        chat = self._answers.chat(chat_id) or self._saver.unsaved_version(chat_id)
        if chat is None and chat_id == self._host.chat.id:
            chat = self._host.chat
        if chat is None:
            chat = self._store.chat_holding(chat_id, RUN_NEEDLE)
        return [m.model_copy(deep=True) for m in waiting_runs(chat)] if chat else []

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

    def _renamed(self, chat: Chat) -> None:
        """``chat`` has a new title (``chat`` as the store read it)."""
        host = self._host
        if chat.id == host.chat.id:
            host.chat.title = chat.title
            host.header.chat_title = chat.title
            if self._store.refresh(host.chat):  # the rename read what others added
                self.changed_elsewhere(host.chat)
        host.chat_list.reload()

    # -- what another pplx saved to the open chat ------------------------------------------------

    async def take_in_others(self) -> None:
        """Before a question: take in what another ``pplx`` saved to the open chat (the
        question follows it), and show the chat again if there was any (or if some came while
        the chat could not be drawn again)."""
        if self._store.refresh(self._host.chat) or self._not_shown == self._host.chat.id:
            await self._show_again(self._host.chat)

    def save_set_aside(self) -> None:
        """The chats folder changed: if the open chat's file was set aside as unreadable (a
        broken hand edit), the copy shown is saved in its place now (a line says so), not
        left out of the list and taken for deleted; merged with the copy another window saved
        there first, if one did (each copy may hold what the other lacks)."""
        chat = self._host.chat
        if chat.messages and self._store.set_aside_since(chat) is not None:
            self._saver.save(chat)

    def changed_elsewhere(self, chat: Chat) -> None:
        """A save or rename took in messages another pplx saved to ``chat``: if it is open,
        show it again (what is shown is what the next question carries)."""
        if chat is self._host.chat:
            self._host.call_next(self._show_again, chat)

    async def _show_again(self, chat: Chat) -> None:
        host = self._host
        if chat is not host.chat:  # another chat was opened meanwhile
            return
        if host.still_answering():
            # Drawn again now, answers compared side by side would lose their columns (they
            # went on streaming into views no longer there, and the app stopped on the next
            # event): shown before the next question.
            self._not_shown = chat.id
            return
        self._not_shown = None
        end = host.shown_end()
        shown = {m.id for m in chat.active_path()}
        if end is not None and end not in shown and any(m.id == end for m in chat.messages):
            # The other pplx asked from the same point: the open chat keeps its own line
            # (the other one is an alternative there), and says so in the file too.
            chat.choose(end)
            self._saver.save(chat)
        await host.show_chat(chat)
        host.notify("Messages saved from elsewhere (another pplx) are shown.", timeout=4)
