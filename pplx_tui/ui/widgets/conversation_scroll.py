"""Arrows, Page Up/Down, Home and End in the conversation: every press counts, and the ends
select.

:class:`ScrollKeys` is mixed into :class:`~pplx_tui.ui.widgets.conversation.Conversation`
(first in its bases: Home and End select once the pages' own Home and End have run).
"""

from __future__ import annotations

from contextlib import suppress
from typing import TYPE_CHECKING

from textual.actions import SkipAction

if TYPE_CHECKING:
    from textual.containers import VerticalScroll

    from pplx_tui.ui.widgets.message_view import AnswerView

    _Host = VerticalScroll
else:
    _Host = object  # a plain mixin at run time: Textual's class set-up stays the widget's

__all__ = ["ScrollKeys"]


class ScrollKeys(_Host):
    """The conversation's paging keys (it selects answers with :meth:`select`)."""

    def select(self, view: AnswerView | None) -> None:
        """Select ``view`` (the conversation's)."""
        raise NotImplementedError

    def action_page_up(self) -> None:
        self._scroll_by(-self.scrollable_content_region.height)

    def action_page_down(self) -> None:
        self._scroll_by(self.scrollable_content_region.height)

    def action_scroll_up(self) -> None:
        self._scroll_by(-1)

    def action_scroll_down(self) -> None:
        self._scroll_by(1)

    def _scroll_by(self, lines: int) -> None:
        """``lines`` up or down from where the scroll is going, its target set now. Textual's
        page went from the scroll half done, so a key held down (or a burst) lost most of its
        presses (QA: 30 PageUps moved 9 answers); its arrow from its target once the screen had
        refreshed, so the arrows of a burst all went one line from the same place (QA:
        ``send-keys Up Up Up Up Up`` moved one line)."""
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_to(y=self.scroll_target_y + lines, immediate=True)

    def action_scroll_home(self) -> None:
        """Home: the chat's start, its first answer selected (``f`` then acts on it)."""
        with suppress(SkipAction):  # the whole chat fits: nothing to scroll, still selects (QA)
            super().action_scroll_home()
        self.call_next(self._select_end, 0)  # after the page Home mounts, if it mounts one

    def action_scroll_end(self) -> None:
        """End: the chat's end, its last answer selected (QA: ``f`` acted on the first)."""
        with suppress(SkipAction):
            super().action_scroll_end()
        self.call_next(self._select_end, -1)

    def _select_end(self, end: int) -> None:
        """Select the first (``end`` 0) or last (-1) answer mounted."""
        answers = [view for view in self.query("AnswerView") if view.display]
        if answers:
            self.select(answers[end])  # type: ignore[arg-type]
