"""The chat list's marks of answers at work: :class:`ActivityMarks` (mixed into
:class:`~pplx_tui.ui.widgets.chat_list.ChatList`) keeps which chats answer now (since when) and
whose answer ended while another chat was open, and draws their rows again when that changes,
and every second while one answers (its time goes on, at the workspace's tick) and the list
shows."""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.content import Content
    from textual.widget import Widget
    from textual.widgets import OptionList

    from pplx_tui.ui.widgets.chat_rows import ChatEntry
    from pplx_tui.ui.widgets.option_rows import HangingLines

__all__ = ["ActivityMarks"]

if TYPE_CHECKING:
    _Host = Widget
else:
    _Host = object  # a plain mixin at run time: Textual's class set-up stays the widget's


class ActivityMarks(_Host):
    """Marks for a list of chats (``_entries``, drawn by ``_prompt`` into ``options``)."""

    _entries: tuple[ChatEntry, ...]

    @property
    def options(self) -> OptionList:
        raise NotImplementedError

    def _prompt(self, entry: ChatEntry) -> Content | HangingLines:
        """``entry``'s row (the list's)."""
        raise NotImplementedError

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._working: dict[str, float] = {}
        """Chats answering now: id → when the answer started (``time.monotonic``)."""
        self._unseen: dict[str, str] = {}
        """Chats whose answer finished while another chat was open."""
        self._now: float | None = None
        """The time of the last tick (:meth:`tick`): the answers' times count to it."""

    def set_activity(self, working: Mapping[str, float], unseen: Mapping[str, str]) -> None:
        """Mark the chats answering now (with the time since their answer started) and those
        whose answer ended while another chat was open (chat id → how:
        :data:`~pplx_tui.ui.widgets.chat_rows.NEW_ANSWER`, "answer failed", …); the marks
        tick every second (:meth:`tick`)."""
        marked = set(unseen) | set(self._unseen)
        changed = set(working) ^ set(self._working)
        changed |= {
            chat_id for chat_id in marked if unseen.get(chat_id) != self._unseen.get(chat_id)
        }
        self._working = dict(working)
        self._unseen = dict(unseen)
        self._refresh_rows(changed | set(working))

    def tick(self, now: float) -> None:
        """A second on (the workspace's tick, which the answer's own time follows too, at
        ``now``): the working chats' times, on a list that shows (a hidden one draws
        them as it shows: :meth:`on_show`). Each redraw of a hidden widget has Textual look up
        the screen's layout again, unseen: one done between a notification's going and the
        screen's next layout hid the going from it, and the notice stayed drawn (QA)."""
        self._now = now
        if self.display:
            self._refresh_rows(set(self._working))

    def on_show(self) -> None:
        self._refresh_rows(set(self._working))

    def _refresh_rows(self, chat_ids: Set[str]) -> None:
        options = self.options
        for entry in self._entries:
            if entry.id in chat_ids:
                options.replace_option_prompt(entry.id, self._prompt(entry))
