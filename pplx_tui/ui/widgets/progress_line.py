"""The line under an answer's label: how the answer is going while it streams (waiting,
reasoning, sources so far), its summary once it has ended.

Text from the network is shown as text (``Content``), never parsed as markup. A working
answer's line (:class:`~pplx_tui.ui.answer_progress.ProgressText`) is fitted to the line's
width, again as that changes. While the answer
streams the line changes at most every :data:`PROGRESS_INTERVAL`, and it is laid out again only
when its height can change (issue 12: it changed with every burst, and a layout re-arranges
the whole screen).
"""

from __future__ import annotations

from time import monotonic

from rich.cells import cell_len
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from pplx_tui.ui.answer_progress import ProgressText
from pplx_tui.ui.timers import LateTimersFire

__all__ = ["PROGRESS_INTERVAL", "ProgressLine"]

PROGRESS_INTERVAL = 0.25
"""Seconds between two changes of a streaming answer's progress line (it changed with every
burst: at 200 deltas a second, a frame per event-loop turn for that line alone)."""


class ProgressLine(LateTimersFire, Static):
    """A line of progress or summary; hidden while it has no text."""

    def __init__(self, text: str = "", *, classes: str | None = None) -> None:
        super().__init__(Content(text), classes=classes)
        self._line = text
        self._line_drawn_at = 0.0
        self._line_timer: Timer | None = None

    def show(self, text: str, *, throttled: bool = False) -> None:
        """Show ``text``; ``throttled`` (while streaming): at most every PROGRESS_INTERVAL."""
        self._line = text
        wait = self._line_drawn_at + PROGRESS_INTERVAL - monotonic()
        if not throttled or wait <= 0:
            self._draw()
        elif self._line_timer is None:
            self._line_timer = self.set_timer(wait, self._draw)

    def _draw(self) -> None:
        if self._line_timer is not None:
            self._line_timer.stop()
            self._line_timer = None
        self._line_drawn_at = monotonic()
        line, width = self._line, self.size.width
        text = line.fit(width) if isinstance(line, ProgressText) and width else line
        content = Content(text)
        rows = text.split("\n")
        same_height = (
            self.display
            and self.size.height == len(rows)
            and all(0 < cell_len(row) <= width for row in rows)
        )
        self.update(content, layout=not same_height)
        self.display = bool(self._line)

    def on_resize(self) -> None:
        if isinstance(self._line, ProgressText) and self._line_timer is None:
            self._draw()  # (its queries fit the width it has now)
