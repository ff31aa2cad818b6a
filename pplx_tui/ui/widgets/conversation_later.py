"""A hit far up a long chat opens with its own page only: the mounted messages are a window.

Revealing a message more than a page before those mounted (a chat-search hit, a find) would
mount every message from it to the end, seconds of work in a long chat (QA Q15).
:class:`LaterPages` (mixed into :class:`~pplx_tui.ui.widgets.conversation.Conversation`)
mounts the hit's page instead and holds the messages after it in ``_later`` (as ``_earlier``
holds those before), under a "▼ N later messages" line; they are mounted a page at a time
when the view reaches the bottom. Whatever needs the chat's end (a new question, End,
ctrl+end) first shows its last page again (:meth:`LaterPages.show_end`); Home shows its
first page (:meth:`LaterPages.show_start`), one press however long the chat (QA Q16).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.widgets import Static

from pplx_tui.ui.widgets.conversation_pages import EarlierPages, first_page, last_page, shows

if TYPE_CHECKING:
    from textual.widget import Widget

    from pplx_tui.models import Message

__all__ = ["LaterPages"]


class LaterPages(EarlierPages):
    """The messages after those mounted (``_later``, oldest first), mounted a page at a time
    below the last turn, above a ``.conversation--later`` line that is there only while some
    are held (so the last child is the last turn whenever the window is at the chat's end)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._later: list[Message] = []
        self._loading_later = False

    def _select_last_of(self, views: Sequence[Widget]) -> None:
        """Select the last answer of ``views`` (the conversation's)."""
        raise NotImplementedError

    def last_message(self) -> Message | None:
        """The chat's last message shown (``None`` while an answer streams; the
        conversation's)."""
        raise NotImplementedError

    def later_holds(self, message: Message) -> bool:
        """Whether ``message`` is on a later page, not mounted yet."""
        return any(shows(m, message) for m in self._later)

    def far_from_window(self, message: Message) -> bool:
        """Whether ``message`` is held more than a page away from the mounted ones."""
        if self.later_holds(message):
            return True
        index = next((i for i, m in enumerate(self._earlier) if shows(m, message)), None)
        if index is None:
            return False
        width, height = self.size.width or 80, self.size.height or 24
        return index < len(self._earlier) - last_page(self._earlier, width, height)

    async def show_window_at(self, message: Message) -> None:
        """Mount only ``message``'s page (its turn's: a comparison's columns stand together):
        its question, it and the messages after it filling about two screens; those before
        and after are held."""
        messages = self.all_messages()
        start = next(i for i, m in enumerate(messages) if shows(m, message))
        while start > 0 and messages[start].role != "user":
            start -= 1  # from its question: an answer shows under it
        await self._show_window(messages, start)

    async def show_end(self) -> None:
        """Mount the chat's last page again if the window is not at its end (before a new
        question is mounted, End, ctrl+end)."""
        if self._later:
            messages = self.all_messages()
            width, height = self.size.width or 80, self.size.height or 24
            await self._show_window(messages, len(messages) - last_page(messages, width, height))
            self.anchor()
            self.scroll_end(animate=False, immediate=True)

    async def show_start(self) -> None:
        """Mount the chat's first page (the rest held as later pages) and show its top."""
        if self._earlier:
            await self._show_window(self.all_messages(), 0)
        self.call_after_refresh(self.scroll_home, animate=False, immediate=True)

    async def _show_window(self, messages: Sequence[Message], start: int) -> None:
        after = messages[start:]
        width, height = self.size.width or 80, self.size.height or 24
        count = first_page(after, width, height)
        self.select(None)  # type: ignore[attr-defined]
        self._forget_pages()
        await self.remove_children(".-turn")
        await self.drop_later()
        self._earlier = list(messages[:start])
        self._later = list(after[count:])
        views = [self._view_for(m) for m in after[:count]]
        await self.mount_all(views)
        if self._later:
            await self.mount(Static("", classes="conversation--later"))
        self._update_earlier()
        self._update_later()
        self._select_last_of(views)

    def _forget_pages(self) -> None:
        super()._forget_pages()
        self._later = []
        self._loading_later = False

    async def drop_later(self) -> None:
        """Forget the later pages (the turns after the window are being replaced)."""
        self._later = []
        await self.remove_children(".conversation--later")

    def _update_later(self) -> None:
        for line in self.query(".conversation--later").results(Static):
            line.update(f"▼ {len(self._later):,} later messages: scroll down or press End")

    def _load_later_soon(self) -> None:
        if self._later and not self._loading_later:
            self._loading_later = True
            self.call_next(self._load_later_of, self._later)

    async def _load_later_of(self, later: list[Message]) -> None:
        """:meth:`load_later`, if the turns were not replaced since it was queued."""
        if later is self._later:
            await self.load_later()
        else:
            self._loading_later = False

    async def load_later(self) -> None:
        """Mount the next page of messages below the ones shown (which stay in place)."""
        self._loading_later = False
        if not self._later:
            return
        width, height = self.size.width or 80, self.size.height or 24
        count = first_page(self._later, width, height)
        page, self._later = self._later[:count], self._later[count:]
        line = self.query_one(".conversation--later")
        await self.mount_all([self._view_for(m) for m in page], before=line)
        if self._later:
            self._update_later()
        else:
            await line.remove()

    def select_beyond_pages(self, step: int, answers: Sequence[Widget]) -> bool:
        """shift+down on the last answer mounted, or shift+up on the first, with a page held
        beyond it: select the answer on that page, once mounted; whether it does."""
        selected = self.selected  # type: ignore[attr-defined]  (the conversation's)
        if step > 0 and self._later and (not answers or selected is answers[-1]):
            self.call_next(self.select_on_later_page)
        elif step < 0 and self._earlier and (not answers or selected is answers[0]):
            self.call_next(self.select_on_earlier_page)
        else:
            return False
        return True

    async def select_on_later_page(self) -> None:
        """shift+down on the last answer mounted: mount the next page, select its answer
        (once the page is laid out: scrolled to before, it stayed out of view)."""
        await self.load_later()
        self.call_after_refresh(self.action_select_answer, 1)  # type: ignore[attr-defined]

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self._later and new_value >= self.max_scroll_y > 0 and new_value > old_value:
            self._load_later_soon()

    def action_scroll_end(self) -> None:
        """End: the chat's end (its last page mounted again if the window is elsewhere)."""
        if self._later:
            self.call_next(self.show_end)
        else:
            super().action_scroll_end()

    def action_scroll_home(self) -> None:
        """Home: the chat's start (its first page mounted again if the window is elsewhere)."""
        # Not while an answer streams at the end: the window would drop its view.
        if self._earlier and self.last_message() is not None:
            self.anchor(False)  # anchored to its bottom, the view would stay there (QA)
            self.call_next(self.show_start)
        else:
            super().action_scroll_home()
