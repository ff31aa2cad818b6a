"""Drawing a streaming answer's text: :class:`AnswerWriter`, used by ``AnswerView``.

The text goes into a column of :class:`~pplx_tui.ui.widgets.markdown_text.MarkdownText`
segments cut at block boundaries (:mod:`pplx_tui.ui.segments`): one widget each, so a long
answer is a handful of widgets and only the last one changes. However fast deltas come:

- they are drawn at most every :data:`FLUSH_INTERVAL` seconds;
- one draw (parsing and laying out new text) stops after :data:`FLUSH_BUDGET` seconds and the
  rest waits :data:`BACKLOG_PAUSE`, so a frame and typed keys get their turn between draws;
- a new segment is laid out within that budget, not all at once in the next frame;
- when the stream ends, what is left is drawn the same way, in timer callbacks: the screen's
  handler that ends the answer returns at once (a screen draws no frame while one of its
  handlers is still running, so waiting there would freeze the screen, typing included);
- for :data:`KEY_QUIET` seconds after a key press nothing is drawn (at most
  :data:`MAX_DEFER` seconds in a row), so the key's echo is not queued behind a re-layout;
- the growing segment keeps a few blank lines of room (``MarkdownText.set_streaming``), so the
  screen is laid out again (and the conversation scrolled) once per few lines, not per line;
- until the answer is drawn (or its view goes), the garbage collector's full passes wait
  (:mod:`pplx_tui.ui.gc_quiet`).
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic, thread_time

from textual.timer import Timer
from textual.widget import Widget

from pplx_tui.ui import gc_quiet
from pplx_tui.ui.segments import Segmenter
from pplx_tui.ui.widgets.markdown_blocks import warm_up
from pplx_tui.ui.widgets.markdown_text import MarkdownText

__all__ = [
    "BACKLOG_PAUSE",
    "FLUSH_BUDGET",
    "FLUSH_CHUNK",
    "FLUSH_INTERVAL",
    "KEY_QUIET",
    "MAX_DEFER",
    "AnswerWriter",
]

FLUSH_INTERVAL = 1 / 4
"""Seconds between two draws of a streaming answer. A draw that adds lines lays the
conversation out again and repaints it over the next frames: ~150-300 ms of frames on a busy
2-core machine (profiled, issue 12), so at 10 draws a second the screen did little else and a
typed key waited ~0.2-0.3 s for its echo."""
FLUSH_BUDGET = 0.03
"""CPU seconds one draw may take; the text left waits for the next draw. Each draw that adds
lines costs a frame that repaints the whole conversation (~20-30 ms at 160x48, whatever the
lines added): with 8 ms draws every 20 ms, a 2,000-delta burst took ~24 frames, two thirds of
its CPU (profiled, issue 12); with 30 ms draws every 0.1 s, ~10. CPU time, not wall time: on a
busy machine a wall-clock budget drew less per draw, so the same burst took more draws, frames
and CPU."""
FLUSH_CHUNK = 1_000
"""Characters drawn between two looks at the clock."""
BACKLOG_PAUSE = 0.1
"""Seconds between two draws while text is left over (time for a frame and typed keys; at
most ~8 frames a second for the growing answer)."""
KEY_QUIET = 0.12
"""Seconds after a key press without draws: the key's own frame (the echo) is drawn alone,
not after a frame that re-lays the growing answer out (~50 ms on a busy 2-core machine)."""
MAX_DEFER = 0.5
"""The longest a draw waits for typing to pause."""

_warmed_up = False


class AnswerWriter:
    """Writes streamed text into ``owner``'s segments, starting with ``live``.

    New segments are made by ``new_segment`` and mounted in ``owner`` right after the last one.
    """

    def __init__(
        self,
        owner: Widget,
        live: MarkdownText,
        new_segment: Callable[[str], MarkdownText],
    ) -> None:
        self._owner = owner
        self._live = live
        self._new_segment = new_segment
        self._segmenter = Segmenter()
        self._unflushed: list[str] = []
        self._written: list[str] = []
        self._timer: Timer | None = None
        self._last_flush = 0.0
        self._closed = False
        self._holding = True
        gc_quiet.hold()
        live.set_streaming(True)
        global _warmed_up
        if not _warmed_up:  # while the question is searched for, not at the first code block
            _warmed_up = True
            owner.run_worker(warm_up, thread=True, group="warm-up", exit_on_error=False)

    @property
    def text(self) -> str:
        """Everything written so far (drawn or not)."""
        return "".join([*self._written, *self._unflushed])

    def write(self, text: str) -> None:
        """Add ``text``; it is drawn at the next flush (at once if the last one is old)."""
        if self._closed or not text:
            return
        self._unflushed.append(text)
        if self._timer is None:
            wait = self._last_flush + FLUSH_INTERVAL - monotonic()
            if wait <= 0:
                self._flush()
            else:
                self._timer = self._owner.set_timer(wait, self._flush)

    @property
    def drawing(self) -> bool:
        """Whether text is still waiting to be drawn (after :meth:`close` too)."""
        return bool(self._unflushed) or self._live.streaming

    def close(self) -> None:
        """No more text: draw what is left now, or a budget at a time in timer callbacks."""
        self._closed = True
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._flush()

    def _flush(self) -> None:
        """Draw what arrived since the last draw, for at most :data:`FLUSH_BUDGET` seconds."""
        self._timer = None
        now = monotonic()
        typing = KEY_QUIET - (now - getattr(self._owner.app, "last_key", 0.0))
        if typing > 0 and not self._closed and now - self._last_flush < MAX_DEFER:
            self._timer = self._owner.set_timer(typing, self._flush)
            return
        self._last_flush = monotonic()
        if not self._unflushed:
            if self._closed:
                self._done()
            return
        text = "".join(self._unflushed)
        self._unflushed.clear()
        start = thread_time()
        position = 0
        while position < len(text) and thread_time() - start < FLUSH_BUDGET:
            self._draw(text[position : position + FLUSH_CHUNK])
            position += FLUSH_CHUNK
        if position < len(text):
            self._unflushed.append(text[position:])
            self._timer = self._owner.set_timer(BACKLOG_PAUSE, self._flush)
        elif self._closed:
            self._done()

    def _done(self) -> None:
        """Everything is drawn."""
        self._live.set_streaming(False)
        self.abandon()

    def abandon(self) -> None:
        """The answer is drawn, or its view is going: full garbage collections may run."""
        if self._holding:
            self._holding = False
            gc_quiet.release(self._owner.app)

    def _draw(self, text: str) -> None:
        """Add ``text`` to the live segment, and start new segments where it says."""
        self._written.append(text)
        first, *more = self._segmenter.split(text)
        self._live.append(first)
        width = self._owner.size.width  # the segments fill the owner's content area
        for piece in more:
            self._live.set_streaming(False)
            previous, self._live = self._live, self._new_segment(piece)
            self._live.set_streaming(True)
            if width:  # laid out now, within the budget, not all at once in the next frame
                self._live.prepare(width)
            # Not awaited: the widget is in the DOM at once and drawn in the next frame.
            self._owner.mount(self._live, after=previous)
