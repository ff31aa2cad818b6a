"""An answer as it streams: :class:`Streaming`, mixed into
:class:`~pplx_tui.ui.widgets.message_view.AnswerView`.

It starts the (empty) answer (:meth:`~Streaming.begin`), takes its text as it arrives (noting
the sources its ``[n]`` markers outside code cite: :class:`StreamedCitations`), its reasoning
(into the folded section, made when the first of it comes) and its sources, and says what it
is doing on the progress line. Its text and reasoning show the keys in use as ``***``, as the
saved chat does, while it streams too (a :class:`~pplx_tui.redact.StreamRedactor` each: a
key cut between two pieces is caught). The text goes through an
:class:`~pplx_tui.ui.widgets.answer_writer.AnswerWriter`, which keeps each draw short; once
the answer has ended (:meth:`~Streaming._end_stream`) the writer draws what is left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pplx_tui.citations import StreamedCitations
from pplx_tui.redact import StreamRedactor
from pplx_tui.sanitize import clean_text
from pplx_tui.ui.widgets.answer_parts import reasoning_section, segment
from pplx_tui.ui.widgets.answer_writer import AnswerWriter
from pplx_tui.ui.widgets.markdown_text import MarkdownText
from pplx_tui.ui.widgets.progress_line import ProgressLine

if TYPE_CHECKING:
    from collections.abc import Sequence

    from textual.widget import Widget

    from pplx_tui.models import Message, Source

__all__ = ["Streaming"]

if TYPE_CHECKING:
    _Host = Widget
else:
    _Host = object  # a plain mixin at run time: Textual's class set-up stays the widget's


class Streaming(_Host):
    """Streaming for an answer view: its saved ``message`` (``None`` until it ends), its
    ``sources``, the numbers it has ``cited``, whether it has text (``_has_text``) and its
    reasoning (``_reasoning``, put in its section once unfolded: ``_reasoning_shown``)."""

    message: Message | None
    sources: tuple[Source, ...]
    numbers: set[int]
    """The sources' numbers: its segments read markers of four digits or more by them."""
    cited: set[int]
    _has_text: bool
    _reasoning: list[str]
    _reasoning_shown: bool

    def _citations_changed(self) -> None:
        """The answer cited a source it had not cited before (the view says so)."""
        raise NotImplementedError

    def _sources_line(self) -> str:
        """The progress line once text comes: the sources, how many cited (the view's)."""
        raise NotImplementedError

    def _fold_key(self) -> str:
        """The key that unfolds the reasoning (the view's)."""
        raise NotImplementedError

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._writer: AnswerWriter | None = None
        self._draining: AnswerWriter | None = None
        self._citations = StreamedCitations()
        self._progress = ""
        self._text_keys = StreamRedactor()
        self._reasoning_keys = StreamRedactor()

    @property
    def is_drawing(self) -> bool:
        """Whether streamed text is still being drawn (it can be, briefly, after
        :meth:`~pplx_tui.ui.widgets.message_view.AnswerView.finish`)."""
        writer = self._writer or self._draining
        return writer is not None and writer.drawing

    @property
    def text(self) -> str:
        """The answer's Markdown as far as it has arrived."""
        if self.message is not None:
            return self.message.content
        return self._writer.text if self._writer is not None else ""

    def begin(self) -> None:
        """Start streaming into the (empty) answer."""
        self._write_into(self.query_children(MarkdownText).last())
        self.set_progress("Waiting for the answer…")

    def _write_into(self, live: MarkdownText) -> None:
        """Text from now on goes into ``live`` (an empty segment), its markers read afresh."""
        self._writer = AnswerWriter(
            self, live, lambda piece: segment(piece, first=False, known=self.numbers)
        )
        self._citations = StreamedCitations(self.numbers)

    async def add_text(self, text: str) -> None:
        """Append ``text`` to the answer (see :class:`AnswerWriter` for when it is drawn)."""
        if self._writer is not None:
            self._write(self._text_keys.feed(text))

    def _write(self, text: str) -> None:
        text = clean_text(text)
        if self._writer is None or not text:
            return
        if not self._has_text:
            self._has_text = True
            self.set_progress(self._sources_line() or "Answering…", now=True)
        before = len(self.cited)
        self.cited.update(self._citations.feed(text))
        if len(self.cited) != before:
            self._citations_changed()
        self._writer.write(text)

    async def replace_text(self, text: str) -> None:
        """The answer's text is now ``text``, not what it had and more: a background run's poll
        is the run as it stands, and its draft may give way to other text. The segments are
        drawn again from the start (once per draft replaced, not per poll)."""
        if self._writer is None:
            return
        self._writer.discard()
        old = self.query_children(MarkdownText)
        fresh = segment(known=self.numbers)
        await self.mount(fresh, before=old.first())
        await old.remove()
        self._write_into(fresh)
        cited = set(self.cited)
        self.cited.clear()
        await self.add_text(text)
        if self.cited != cited:
            self._citations_changed()

    async def add_reasoning(self, text: str) -> None:
        await self._add_reasoning(self._reasoning_keys.feed(text))

    async def _add_reasoning(self, text: str) -> None:
        text = clean_text(text)
        if not text:
            return
        self._reasoning.append(text)
        if not self.has_class("-reasoning"):
            if not self.query_children(".answer-view--reasoning"):
                section = reasoning_section(self._fold_key())
                await self.mount(section, after=self.query_one(ProgressLine))
            self.add_class("-reasoning")
            self.refresh_bindings()  # the key that unfolds it shows, if this one is selected
        if self._reasoning_shown:
            self.query_one(".answer-view--reasoning-text", MarkdownText).append(text)
        elif not self._has_text:
            self.set_progress("Reasoning…")

    def set_sources(self, sources: tuple[Source, ...]) -> None:
        self.keep_sources(sources)
        if self._writer is not None:
            self.set_progress(self._sources_line() if self._has_text else self._progress)

    def keep_sources(self, sources: Sequence[Source]) -> None:
        """The answer's sources are ``sources`` (their numbers changed in place: the segments'
        parsers hold the set)."""
        self.sources = tuple(sources)
        self.numbers.clear()
        self.numbers.update(source.index for source in sources)

    def set_progress(self, text: str, *, now: bool = False) -> None:
        """Show ``text`` under the label (while streaming, not more often than
        :data:`~.progress_line.PROGRESS_INTERVAL`, unless ``now``: with the first words)."""
        self._progress = text
        # (none on a view no longer shown, its turn drawn again: nothing to say there)
        for line in self.query_children(ProgressLine):
            line.show(text, throttled=self._writer is not None and not now)

    async def _end_stream(self) -> None:
        """No more text comes: what was held back as a possible key's start is added, and the
        writer draws what it has not drawn yet, now or a budget at a time right after (see
        :class:`AnswerWriter`), and is then done."""
        self._write(self._text_keys.flush())
        await self._add_reasoning(self._reasoning_keys.flush())
        writer, self._writer = self._writer, None
        if writer is not None:
            self._draining = writer
            writer.close()

    def on_unmount(self) -> None:
        for writer in (self._writer, self._draining):
            if writer is not None:
                writer.abandon()
