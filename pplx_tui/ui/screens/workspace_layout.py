"""The workspace's layout: which side panels show, the notice line above the conversation, the
order Tab follows, its first styling.

Mixed into the workspace screen, which has the panes (:class:`~pplx_tui.ui.widgets.panes.Panes`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events

from pplx_tui.ui.widgets.notice_bar import NoticeBar

if TYPE_CHECKING:
    from collections.abc import Sequence

    from textual.widget import Widget

__all__ = ["WorkspaceLayout"]


class WorkspaceLayout:
    """Mixed into the workspace screen before ``Screen`` (``self: Any``: the screen's panes)."""

    _resumed = False

    def action_toggle_chats(self: Any) -> None:
        self.panes.toggle_chats()

    def action_toggle_sources(self: Any) -> None:
        self.panes.toggle_sources()

    def action_search_chats(self: Any) -> None:
        self.panes.search_chats()

    def show_notices(self: Any, notices: Sequence[str]) -> None:
        """Show ``notices`` above the conversation (the line is mounted with the first ones:
        without any, the first frame has one widget less)."""
        if bars := self.query(NoticeBar):
            bars.first().show(notices)
        elif notices:
            self.query_one("#main").mount(NoticeBar(notices, id="notice"), before=0)

    def action_hide_notice(self: Any) -> None:
        for bar in self.query(NoticeBar):
            bar.hide()

    @property
    def focus_chain(self: Any) -> list[Widget]:
        """Tab follows the screen as it reads: question box → conversation → sources → chats
        (the DOM order put the chat list first and skipped from the question box to the
        sources). Order within each part is kept."""
        return self.panes.in_reading_order(super().focus_chain)  # type: ignore[misc]

    def on_screen_resume(self: Any, event: events.ScreenResume) -> None:
        """The first time (the app starting), Textual's restyle of every widget on the screen
        is skipped: each was styled as it mounted, just before (~0.03 G instructions of the
        ~1.55 G to the first frame, profiled with callgrind; the frames are the same)."""
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False
