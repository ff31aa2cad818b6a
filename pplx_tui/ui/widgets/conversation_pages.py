"""A long chat opens at once: the conversation's earlier messages are mounted a page at a time.

Only the last messages that fill about :data:`SCREENS` screens (at most :data:`PAGE`, from a
question on) are mounted when a chat opens (:func:`last_page`); :class:`EarlierPages` (mixed into
:class:`~pplx_tui.ui.widgets.conversation.Conversation`) mounts the page before them when the
view reaches the top by scrolling up, keeping what was shown in place (Home shows the chat's
first page, :class:`~pplx_tui.ui.widgets.conversation_later.LaterPages`, or while an answer
streams, the page before).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from textual.widgets import Static

if TYPE_CHECKING:
    from textual.containers import VerticalScroll
    from textual.widget import Widget

    from pplx_tui.models import Message

__all__ = ["PAGE", "SCREENS", "EarlierPages", "first_page", "last_page", "shows"]

PAGE = 20
"""At most this many messages are mounted at once (a chat opening, the view reaching the top)."""
SCREENS = 2
"""A page holds messages until they would fill about this many screens."""


def _fill(messages: Iterable[Message], width: int, height: int) -> int:
    """How many of ``messages``, in their order, fill ``SCREENS`` screens of ``width`` x
    ``height`` (at most :data:`PAGE`; at least two, if there are).

    Heights are estimated from the text (wrapped lines plus a label), never measured: the
    point is to mount no more widgets than the first frame needs.
    """
    budget = SCREENS * max(height, 10)
    width = max(width - 6, 20)
    lines = count = 0
    for message in messages:
        if count >= PAGE or (count >= 2 and lines >= budget):
            break
        text = message.content
        lines += 3 + text.count("\n") + len(text) // width
        count += 1
    return count


def _starts_turn(messages: Sequence[Message], index: int) -> bool:
    """Whether a page may start at ``index``: at a question (or either end of ``messages``)."""
    return not 0 < index < len(messages) or messages[index].role == "user"


def last_page(messages: Sequence[Message], width: int, height: int) -> int:
    """How many of the last ``messages`` fill ``SCREENS`` screens of ``width`` x ``height``.

    The page starts with a question, so that each answer on it shows under its question (QA):
    the turn the estimate cuts through is taken whole, or left out if that would make more
    than :data:`PAGE` messages.
    """
    count = _fill(reversed(messages), width, height)
    end = len(messages)
    start = end - count
    while not _starts_turn(messages, start):
        start -= 1
    if end - start <= PAGE:
        return end - start
    start = end - count
    while not _starts_turn(messages, start):
        start += 1
    return end - start or count


def first_page(messages: Sequence[Message], width: int, height: int) -> int:
    """How many of the first ``messages`` fill ``SCREENS`` screens: :func:`last_page` from
    the start, ending before a question (the next page starts with it)."""
    count = _fill(messages, width, height)
    end = count
    while not _starts_turn(messages, end):
        end += 1
    if end <= PAGE:
        return end
    end = count
    while not _starts_turn(messages, end):
        end -= 1
    return end or count


def shows(turn: Message, message: Message) -> bool:
    """Whether the turn of ``turn`` (a message of the chat's line) shows ``message``: it is
    ``message``, or they answer one question side by side (one turn, in columns)."""
    return turn is message or (
        message.comparison is not None and turn.comparison == message.comparison
    )


if TYPE_CHECKING:
    _Host = VerticalScroll
else:
    _Host = object  # a plain mixin at run time: Textual's class set-up stays the widget's


class EarlierPages(_Host):
    """The messages before those mounted (``_earlier``, oldest first), mounted a page at a
    time above the first turn; the widget shows how many in its ``.conversation--earlier``."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._earlier: list[Message] = []
        self._loading_earlier = False

    def _view_for(self, message: Message) -> Widget:
        """The view that shows ``message`` (the conversation's)."""
        raise NotImplementedError

    def _forget_pages(self) -> None:
        """Hold no pages, and let no load queued for them run (the turns are being replaced:
        removing them scrolls the view to its top, which must not mount the page held for the
        chat left, QA)."""
        self._earlier = []
        self._loading_earlier = False

    def _load_earlier_soon(self) -> None:
        if self._earlier and not self._loading_earlier:
            self._loading_earlier = True
            self.call_next(self._load_earlier_of, self._earlier)

    async def _load_earlier_of(self, earlier: list[Message]) -> None:
        """:meth:`load_earlier`, if ``earlier`` (held when it was queued) is still held: the
        turns were not replaced meanwhile (each replacement holds a new list)."""
        if earlier is self._earlier:
            await self.load_earlier()
        else:
            self._loading_earlier = False

    async def load_earlier(self, *, keep_position: bool = True) -> None:
        """Mount the previous page of messages above the ones shown (which stay in place,
        unless ``keep_position`` is false)."""
        self._loading_earlier = False
        if not self._earlier:
            return
        count = last_page(self._earlier, self.size.width, self.size.height)
        page, self._earlier = self._earlier[-count:], self._earlier[:-count]
        first = self.query(".-turn").first()
        old_height, old_y = self.virtual_size.height, self.scroll_y
        await self.mount_all([self._view_for(m) for m in page], before=first)
        self._update_earlier()
        if keep_position:
            self.call_after_refresh(self._keep_position, old_height, old_y)

    async def select_on_earlier_page(self) -> None:
        """shift+up on the first answer mounted: mount the previous page (what was shown stays
        in place), then select its last answer once the page is laid out (as
        ``LaterPages.select_on_later_page`` does below)."""
        await self.load_earlier()
        self.call_after_refresh(self.action_select_answer, -1)  # type: ignore[attr-defined]

    def earlier_holds(self, message: Message) -> bool:
        """Whether ``message`` is on an earlier page, not mounted yet (:meth:`load_earlier`)."""
        return any(shows(m, message) for m in self._earlier)

    def _keep_position(self, old_height: int, old_y: float, tries: int = 3) -> None:
        """Keep what was shown in place: the page mounted above moved it down by its height.

        Not before that page is laid out (the height read then is the old one), and not when
        something else (a search hit, QA Q11) has scrolled since the page was mounted.
        """
        grown = self.virtual_size.height - old_height
        if grown <= 0 and tries:
            self.call_after_refresh(self._keep_position, old_height, old_y, tries - 1)
        elif self.scroll_y == old_y:
            self.scroll_to(y=old_y + grown, animate=False, immediate=True)

    def _update_earlier(self) -> None:
        # `display`, not a class on the conversation: a class change restyles every message.
        count = len(self._earlier)
        earlier = self.query_one(".conversation--earlier", Static)
        earlier.update(f"▲ {count:,} earlier messages: scroll up or press Home" if count else "")
        earlier.display = bool(count)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        # Not while the view follows its bottom (at 0 then, it is not laid out yet). A chat
        # opens anchored, and scrolling up releases the anchor but keeps it: the top was
        # reached with ``is_anchored`` still true, and no page came (QA).
        following = self.is_anchored and not self._anchor_released
        if new_value <= 0 and self._earlier and not following:
            self._load_earlier_soon()

    def action_scroll_home(self) -> None:
        """Home while an answer streams (no window then, see ``LaterPages``): the top of the chat as
        mounted, with the previous page mounted first (each press goes a page further back).
        The view was anchored to its bottom, so it stayed there as the page was mounted and
        Home looked dead (QA)."""
        self.anchor(False)
        if self._earlier and not self._loading_earlier:
            self._loading_earlier = True
            self.call_next(self._load_earlier_and_go_home, self._earlier)
        else:
            super().action_scroll_home()

    async def _load_earlier_and_go_home(self, earlier: list[Message]) -> None:
        if earlier is not self._earlier:  # (the turns were replaced meanwhile)
            self._loading_earlier = False
            return
        await self.load_earlier(keep_position=False)
        self.call_after_refresh(self._go_home)

    def _go_home(self) -> None:
        # Reaching the top this way mounts no further page (scrolling up to it does, keeping
        # the view where it is: Home would land a page below the top).
        self._loading_earlier = True
        self.scroll_home(animate=False, immediate=True)
        self._loading_earlier = False
