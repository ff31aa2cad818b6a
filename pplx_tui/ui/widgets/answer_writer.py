"""Drawing a streaming answer's text: :class:`AnswerWriter`, used by ``AnswerView``.

The text goes into a column of :class:`~pplx_tui.ui.widgets.markdown_text.MarkdownText`
segments cut at block boundaries (:mod:`pplx_tui.ui.segments`): one widget each, so a long
answer is a handful of widgets and only the last one changes. Taking text in and showing it
are apart, because what costs is the frame after a show (the growing answer laid out again
moves everything in the conversation: ~20-40 ms at 160x48 whatever was added, profiled in
tmux, issue 12), while parsing and laying out the text costs by the character:

- new text is parsed and laid out (``MarkdownText.add``, nothing repainted) a slice of at most
  :data:`SLICE_BUDGET` CPU seconds at a time, the event loop running between slices (a typed
  key waits a slice, not a whole burst);
- what was taken in is shown (``MarkdownText.show``: one repaint, new segments mounted) at most
  every :data:`SHOW_INTERVAL` seconds, however fast deltas come, so at full speed the screen
  draws the growing answer ~4 times a second and is idle in between;
- for :data:`TYPING_PAUSE` seconds after a key press nothing is taken in, and for
  :data:`KEY_QUIET` seconds nothing is shown (at most :data:`MAX_DEFER` seconds in a row) and
  slices come :data:`TYPING_PAUSE` apart, so the key's own frame (the echo) is drawn at once
  and alone, not after a slice or a frame that re-lays the growing answer out;
- when the stream ends, what is left is taken in and shown the same way, in timer callbacks:
  the screen's handler that ends the answer returns at once (a screen draws no frame while one
  of its handlers is still running, so waiting there would freeze the screen, typing included);
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
    "BURST",
    "CHUNK",
    "CHUNK_MAX",
    "KEY_QUIET",
    "MAX_DEFER",
    "SHOW_INTERVAL",
    "SLICE_BUDGET",
    "TYPING_PAUSE",
    "AnswerWriter",
]

SHOW_INTERVAL = 1 / 4
"""Seconds between two shows of a streaming answer. A show that adds lines lays the
conversation out again and repaints it in the next frame (~20-40 ms of CPU at 160x48 on this
2-core machine, profiled, issue 12): at 10 shows a second a full-speed answer kept the screen
busy half the time and a typed key waited ~0.1 s for its echo."""
SLICE_BUDGET = 0.005
"""CPU seconds of parsing and laying out new text between two turns of the event loop. CPU,
not wall time: on a busy machine a wall-clock budget took in less per slice, so a burst took
more slices. A burst of 2,000 deltas (~20,000 characters) is ~0.1 s of it."""
CHUNK = 500
"""Characters taken in between two looks at the clock (at least: see :data:`CHUNK_MAX`)."""
CHUNK_MAX = 4_000
"""Taking text in parses the segment's last block again with it, so while that block is long
(a long list, table or code block) as much text as it holds is taken in at once, up to this:
the block is parsed again once per its own size, not once per :data:`CHUNK`."""
KEY_QUIET = 0.12
"""Seconds after a key press without shows: the key's own frame (the echo) is drawn alone,
not after a frame that re-lays the growing answer out (~50 ms on a busy 2-core machine)."""
TYPING_PAUSE = 0.05
"""Seconds after a key press without slices (its echo is drawn meanwhile), and between two
slices while the user types (else the next slice comes at once)."""
BURST = 2_000
"""Characters waiting that are taken in at once rather than at the next show (smaller
amounts wait: taking text in parses the segment's last block again, so per show, not per
network read, at a paced 200 deltas a second)."""
MAX_DEFER = 0.5
"""The longest a show waits for typing to pause."""

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
        self._unread: list[str] = []
        """Text not taken in yet."""
        self._written: list[str] = []
        self._unshown: list[MarkdownText] = []
        """Segments given text since the last show, in order (those after the first are new,
        not mounted yet)."""
        self._mounted = live
        """The last segment in the DOM: the next new one is mounted after it."""
        self._unread_size = 0
        self._timer: Timer | None = None
        self._slicing = False
        """Whether the timer's step comes to take text in (else to show it, when due)."""
        self._last_show = 0.0
        self._begun = monotonic()
        """Keys pressed before (the one that asked the question) hold nothing back."""
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
        """Everything written so far (shown or not)."""
        return "".join([*self._written, *self._unread])

    def write(self, text: str) -> None:
        """Add ``text``; it is shown at the next show (at once if the last one is old)."""
        if self._closed or not text:
            return
        self._unread.append(text)
        self._unread_size += len(text)
        burst = self._unread_size >= BURST
        if self._timer is not None:
            if self._slicing or not burst:
                return
            self._timer.stop()
            self._timer = None
        due = self._last_show + SHOW_INTERVAL - monotonic()
        if due <= 0:
            self._step()  # shown at once (the first words: in the frame that draws the view)
        elif burst:  # taken in now, a slice at a time, so that the next show finds it ready
            self._schedule(0, slicing=True)
        else:
            self._schedule(due)

    @property
    def drawing(self) -> bool:
        """Whether text is still waiting to be shown (after :meth:`close` too)."""
        return bool(self._unread) or bool(self._unshown) or self._live.streaming

    def close(self) -> None:
        """No more text: take in and show what is left, a slice at a time in timer callbacks."""
        self._closed = True
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._step()

    def discard(self) -> None:
        """The text is given up (its segments go with it): nothing more is taken in or shown."""
        self._closed = True
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._unread.clear()
        self._unshown.clear()
        self.abandon()

    def _schedule(self, wait: float, *, slicing: bool = False) -> None:
        self._slicing = slicing
        # Never 0: Textual's timer divides by its interval.
        self._timer = self._owner.set_timer(max(wait, 0.001), self._step)

    def _step(self) -> None:
        """Take in a slice of the text waiting, and show what was taken in when it is time."""
        self._timer = None
        now = monotonic()
        key = getattr(self._owner.app, "last_key", 0.0)
        since_key = now - key if key > self._begun else KEY_QUIET
        if since_key < TYPING_PAUSE:  # the key is on its way to the screen: let it through
            self._schedule(TYPING_PAUSE - since_key, slicing=self._slicing)
            return
        typing = KEY_QUIET - since_key
        if self._unread:
            self._take_slice()
        due = self._last_show + SHOW_INTERVAL - now
        if self._closed and not self._unread:
            due = 0  # the end: shown as soon as it is all taken in
        held = typing > 0 and now - self._last_show < MAX_DEFER
        if self._unshown and due <= 0 and not held:
            self._show()
        if self._unread:
            self._schedule(TYPING_PAUSE if typing > 0 else 0, slicing=True)
        elif self._unshown:
            self._schedule(max(due, typing if held else 0))
        elif self._closed:
            self._done()

    def _take_slice(self) -> None:
        text = "".join(self._unread)
        self._unread.clear()
        start = thread_time()
        position = 0
        while position < len(text) and thread_time() - start < SLICE_BUDGET:
            size = min(max(CHUNK, self._live.document.tail_size), CHUNK_MAX)
            self._take(text[position : position + size])
            position += size
        if position < len(text):
            self._unread.append(text[position:])
        self._unread_size = len(text) - min(position, len(text))

    def _take(self, text: str) -> None:
        """Add ``text`` to the live segment, and start new segments where it says (nothing is
        repainted: :meth:`_show` does)."""
        self._written.append(text)
        first, *more = self._segmenter.split(text)
        self._add(self._live, first)
        width = self._owner.size.width  # the segments fill the owner's content area
        for piece in more:
            self._live = self._new_segment("")
            self._live.set_streaming(True)
            if width:  # laid out as it is taken in, not all at once in the next frame
                self._live.prepare(width)
            self._add(self._live, piece)

    def _add(self, segment: MarkdownText, text: str) -> None:
        if not self._unshown or self._unshown[-1] is not segment:
            self._unshown.append(segment)
        segment.add(text)

    def _show(self) -> None:
        """Repaint what was taken in: finished segments lose their room, new ones are mounted
        (not awaited: in the DOM at once and drawn in the next frame)."""
        self._last_show = monotonic()
        unshown, self._unshown = self._unshown, []
        for segment in unshown:
            if segment is not self._live or (self._closed and not self._unread):
                segment.set_streaming(False)
            if segment.parent is None:
                self._owner.mount(segment, after=self._mounted)
                self._mounted = segment
            segment.show()

    def _done(self) -> None:
        """Everything is drawn."""
        self._live.set_streaming(False)
        self.abandon()

    def abandon(self) -> None:
        """The answer is drawn, or its view is going: full garbage collections may run."""
        if self._holding:
            self._holding = False
            gc_quiet.release(self._owner.app)
