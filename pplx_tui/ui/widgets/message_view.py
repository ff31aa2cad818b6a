"""One turn of the conversation: :class:`QuestionView` for the user, :class:`AnswerView` for an
answer (streaming or saved), labelled with the model and provider that gave it.

An answer streams through one ``MarkdownStream``: Textual coalesces bursts and re-parses only
the last block, so the cost of a delta does not grow with the length of the answer. The
reasoning (``<think>`` part) is kept apart in a folded section and only rendered once unfolded.
"""

from __future__ import annotations

import asyncio
import re
from time import monotonic

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message as TextualMessage
from textual.timer import Timer
from textual.widgets import Button, Collapsible, Label, Markdown, Static
from textual.widgets.markdown import MarkdownStream

from pplx_tui.client.events import SearchProgress
from pplx_tui.models import Message, MessageStatus, Source
from pplx_tui.sanitize import clean_line, clean_text, safe_url
from pplx_tui.ui import citations
from pplx_tui.ui.segments import Segmenter, split_segments

__all__ = ["AnswerView", "QuestionView"]

_MARKER_TAIL = 5
"""Characters kept from the previous delta so a marker split across deltas is still seen."""
_MARKER = re.compile(r"\[(\d{1,3})\]")
FLUSH_INTERVAL = 1 / 20
"""Seconds between two appends to a streaming answer's Markdown: however fast deltas come,
the document is re-parsed and re-mounted at most this often."""


class AnswerSegment(Markdown):
    """One segment of an answer's text (see :mod:`pplx_tui.ui.segments`).

    Textual asks a container for its height again whenever anything above it changes size,
    and answers that by laying out every block once more. A complete segment never changes
    for a given width, so its height is remembered per width: a long answer (or a long chat)
    then costs nothing to lay out again while the answer below it streams.
    """

    def __init__(self, markdown: str | None = None, *, complete: bool = True) -> None:
        super().__init__(
            markdown or None,
            parser_factory=citations.parser,
            open_links=False,
            classes="answer-view--segment",
        )
        self._complete = complete
        self._rendered = False
        self._height: tuple[int, int] | None = None

    def on_markdown_table_of_contents_updated(self, event: Markdown.TableOfContentsUpdated) -> None:
        # Posted when an update() has mounted the blocks.
        if event.markdown is self and self._complete:
            self._rendered = True

    def mark_complete(self) -> None:
        """The stream into this segment has stopped: its blocks are final."""
        self._complete = self._rendered = True
        self._height = None

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if not self._rendered:
            return super().get_content_height(container, viewport, width)
        if self._height is not None and self._height[0] == width:
            return self._height[1]
        height = super().get_content_height(container, viewport, width)
        self._height = (width, height)
        return height


def _segment(markdown: str | None = None, *, complete: bool = True) -> AnswerSegment:
    return AnswerSegment(markdown, complete=complete)


class QuestionView(Vertical):
    """A question the user asked."""

    DEFAULT_CSS = """
    QuestionView {
        height: auto;
        margin: 1 0 0 0;
        padding: 0 1;
        border-left: tall $secondary 50%;
        & > .question-view--label {
            color: $text-secondary;
            text-style: bold;
        }
        & > Markdown {
            margin: 0;
            padding: 0;
            background: transparent;
        }
        & MarkdownParagraph {
            margin: 0;
        }
    }
    """

    def __init__(self, message: Message) -> None:
        super().__init__(classes="-turn")
        self.message = message

    def compose(self) -> ComposeResult:
        yield Label("You", classes="question-view--label")
        yield Markdown(clean_text(self.message.content), open_links=False)

    @on(Markdown.LinkClicked)
    def _link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        if url := safe_url(event.href):
            self.app.open_url(url)


class AnswerView(Vertical):
    """An answer: a label (model · provider · status), progress, reasoning, text, error."""

    DEFAULT_CSS = """
    AnswerView {
        height: auto;
        margin: 1 0 0 0;
        padding: 0 1;
        border-left: tall $panel;
        &.-selected {
            border-left: tall $primary;
        }
        & > .answer-view--label {
            color: $text-primary;
            text-style: bold;
        }
        &.-interrupted > .answer-view--label, &.-error > .answer-view--label {
            color: $text-warning;
        }
        & > .answer-view--progress {
            color: $text-muted;
            text-style: italic;
        }
        & > .answer-view--reasoning {
            display: none;
            margin: 0;
            padding: 0;
            border-top: none;
            background: transparent;
        }
        &.-reasoning > .answer-view--reasoning {
            display: block;
        }
        & > .answer-view--body {
            height: auto;
        }
        & .answer-view--segment {
            margin: 0;
            padding: 0;
            background: transparent;
        }
        & .answer-view--segment MarkdownBlock, & .answer-view--segment MarkdownTableCellContents {
            link-color: $citation-marker;
            link-style: not underline;
            link-background-hover: $citation-marker 25%;
            link-color-hover: $citation-marker;
            link-style-hover: bold not underline;
        }
        & > .answer-view--error {
            display: none;
            height: auto;
            margin: 1 0 0 0;
        }
        &.-error > .answer-view--error {
            display: block;
        }
        & .answer-view--error-text {
            width: 1fr;
            color: $text-error;
        }
        & .answer-view--retry {
            min-width: 12;
        }
    }
    """

    class CitationClicked(TextualMessage):
        """A ``[n]`` marker in the answer was clicked."""

        def __init__(self, view: AnswerView, number: int) -> None:
            super().__init__()
            self.view = view
            self.number = number

        @property
        def control(self) -> AnswerView:
            return self.view

    class CitationsChanged(TextualMessage):
        """The streaming answer cited a source it had not cited before."""

        def __init__(self, view: AnswerView) -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> AnswerView:
            return self.view

    class RetryRequested(TextualMessage):
        """The user asked to send the question of this (failed) answer again."""

        def __init__(self, view: AnswerView) -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> AnswerView:
            return self.view

    class Clicked(TextualMessage):
        """The answer was clicked (the conversation selects it)."""

        def __init__(self, view: AnswerView) -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> AnswerView:
            return self.view

    def __init__(
        self, message: Message | None = None, *, provider: str = "", model: str = ""
    ) -> None:
        """A saved answer (``message``), or an empty one to stream into."""
        # Classes are set before mounting: changing them later restyles every block.
        status = message.status if message else None
        classes = [
            "-turn",
            *(["-interrupted"] if status == MessageStatus.INTERRUPTED else []),
            *(["-error"] if status == MessageStatus.ERROR else []),
            *(["-reasoning"] if message and message.reasoning else []),
        ]
        super().__init__(classes=" ".join(classes))
        self.message = message
        self.provider = (message.provider if message else None) or provider
        self.model = (message.model if message else None) or model
        self.sources: tuple[Source, ...] = tuple(message.sources) if message else ()
        self.cited: set[int] = citations.cited_numbers(message.content) if message else set()
        self._streaming = False
        self._ended = False
        self._live_segment: AnswerSegment | None = None
        self._reasoning_stream: MarkdownStream | None = None
        self._reasoning: list[str] = [message.reasoning] if message and message.reasoning else []
        self._marker_tail = ""
        self._unflushed: list[str] = []
        self._written: list[str] = []
        self._segmenter = Segmenter()
        self._flush_lock = asyncio.Lock()
        self._flush_timer: Timer | None = None
        self._last_flush = 0.0
        self._has_text = bool(message and message.content)
        self._progress = ""

    @property
    def is_streaming(self) -> bool:
        return self._streaming

    @property
    def text(self) -> str:
        """The answer's Markdown as far as it has arrived."""
        if self.message is not None:
            return self.message.content
        return "".join(self._written)

    def compose(self) -> ComposeResult:
        message = self.message
        yield Label(self._label(), classes="answer-view--label")
        summary = self._summary()
        progress = Static(summary, classes="answer-view--progress")
        progress.display = bool(summary) or message is None
        yield progress
        with Collapsible(title="Reasoning", collapsed=True, classes="answer-view--reasoning"):
            yield Markdown(classes="answer-view--reasoning-text", open_links=False)
        with Vertical(classes="answer-view--body"):
            for segment in split_segments(clean_text(message.content) if message else ""):
                yield _segment(segment, complete=message is not None)
        with Horizontal(classes="answer-view--error"):
            yield Static(
                clean_line(message.error or "") if message else "",
                classes="answer-view--error-text",
            )
            yield Button("Retry (r)", classes="answer-view--retry", compact=True)

    # -- streaming ---------------------------------------------------------------------------

    def begin(self) -> None:
        """Start streaming into the (empty) answer."""
        self._live_segment = self.query(AnswerSegment).last()
        self._streaming = True
        self.set_progress("Waiting for the answer…")

    async def add_text(self, text: str) -> None:
        """Append ``text`` to the answer (drawn at most every :data:`FLUSH_INTERVAL` s)."""
        if not self._streaming or not text:
            return
        text = clean_text(text)
        if not self._has_text:
            self._has_text = True
            self.set_progress(self._sources_line() or "Answering…")
        scan = self._marker_tail + text
        self._marker_tail = scan[-_MARKER_TAIL:]
        if "]" in scan:
            before = len(self.cited)
            self.cited.update(int(m.group(1)) for m in _MARKER.finditer(scan))
            if len(self.cited) != before:
                self.post_message(self.CitationsChanged(self))
        self._unflushed.append(text)
        if self._flush_timer is None and not self._flush_lock.locked():
            wait = self._last_flush + FLUSH_INTERVAL - monotonic()
            if wait <= 0:
                await self._flush()
            else:
                self._flush_timer = self.set_timer(wait, self._flush)

    async def _flush(self) -> None:
        """Draw what arrived since the last flush (in segments, see :mod:`..segments`)."""
        self._flush_timer = None
        self._last_flush = monotonic()
        async with self._flush_lock:  # a timer's flush and finish() may overlap
            if not self._streaming:
                return
            text = "".join(self._unflushed)
            self._unflushed.clear()
            self._written.append(text)
            first, *more = self._segmenter.split(text)
            assert self._live_segment is not None, "begin() was not called"
            await self._live_segment.append(first)
            for piece in more:
                self._live_segment.mark_complete()
                self._live_segment = _segment(complete=False)
                await self.query_one(".answer-view--body").mount(self._live_segment)
                await self._live_segment.append(piece)
            if self._unflushed:  # arrived while drawing
                pause = 0 if self._ended else FLUSH_INTERVAL
                self._flush_timer = self.set_timer(pause, self._flush)
            elif self._ended and self._live_segment is not None:
                self._live_segment.mark_complete()
                self._streaming = False

    async def add_reasoning(self, text: str) -> None:
        text = clean_text(text)
        if not text:
            return
        self._reasoning.append(text)
        if not self.has_class("-reasoning"):
            self.add_class("-reasoning")
        if self._reasoning_stream is not None:
            await self._reasoning_stream.write(text)
        elif not self._has_text:
            self.set_progress("Reasoning…")

    def set_sources(self, sources: tuple[Source, ...]) -> None:
        self.sources = sources
        if self._streaming:
            self.set_progress(self._sources_line() if self._has_text else self._progress)

    def show_search(self, progress: SearchProgress) -> None:
        parts = [clean_line(progress.thought or "") or "Searching…"]
        if progress.queries:
            parts.append(", ".join(f"“{clean_line(q)}”" for q in progress.queries[:3]))
        if progress.result_count is not None:
            parts.append(f"{progress.result_count} results")
        self.set_progress(" · ".join(parts))

    def set_progress(self, text: str) -> None:
        self._progress = text
        progress = self.query_one(".answer-view--progress", Static)
        progress.update(text)
        progress.display = bool(text)

    async def finish(self, message: Message) -> None:
        """The answer ended (complete, interrupted or failed): show it as saved."""
        self._ended = True
        if self._flush_timer is not None:
            self._flush_timer.stop()
            self._flush_timer = None
        if self._streaming:
            await self._flush()
        if self._reasoning_stream is not None:
            await self._reasoning_stream.stop()
            self._reasoning_stream = None
        self.message = message
        self.provider = message.provider or self.provider
        self.model = message.model or self.model
        self.sources = tuple(message.sources)
        self.cited = citations.cited_numbers(message.content)
        self.query_one(".answer-view--label", Label).update(self._label())
        self.query_one(".answer-view--error-text", Static).update(clean_line(message.error or ""))
        self.set_progress(self._summary())
        self._apply_status()

    # -- presentation ------------------------------------------------------------------------

    def _apply_status(self) -> None:
        status = self.message.status if self.message else None
        self.set_class(status == MessageStatus.INTERRUPTED, "-interrupted")
        self.set_class(status == MessageStatus.ERROR, "-error")
        self.set_class(bool(self._reasoning), "-reasoning")

    def _label(self) -> Content:
        label = Content.assemble(
            (clean_line(self.model or "answer"), "bold"),
            (f" · {clean_line(self.provider)}" if self.provider else "", "not bold"),
        )
        if self.message and self.message.status == MessageStatus.INTERRUPTED:
            label += Content.styled(" · interrupted", "not bold italic")
        elif self.message and self.message.status == MessageStatus.ERROR:
            label += Content.styled(" · failed", "not bold italic")
        return label

    def _sources_line(self) -> str:
        if not self.sources:
            return ""
        cited = len(self.cited & {s.index for s in self.sources})
        return f"{len(self.sources)} sources, {cited} cited"

    def _summary(self) -> str:
        message = self.message
        if message is None:
            return ""
        parts = [self._sources_line()]
        if message.status == MessageStatus.INTERRUPTED:
            parts.append("stopped: partial answer kept")
        usage = message.usage
        if usage and usage.total_tokens:
            parts.append(f"{usage.total_tokens:,} tokens")
        if usage and usage.cost_usd:
            parts.append(f"${usage.cost_usd:.4f}")
        return " · ".join(p for p in parts if p)

    # -- events ------------------------------------------------------------------------------

    @on(Collapsible.Expanded)
    async def _reasoning_expanded(self, event: Collapsible.Expanded) -> None:
        event.stop()
        markdown = self.query_one(".answer-view--reasoning-text", Markdown)
        await markdown.update("".join(self._reasoning))
        if self._streaming and self._reasoning_stream is None:
            self._reasoning_stream = Markdown.get_stream(markdown)

    @on(Collapsible.Collapsed)
    async def _reasoning_collapsed(self, event: Collapsible.Collapsed) -> None:
        event.stop()
        if self._reasoning_stream is not None:
            await self._reasoning_stream.stop()
            self._reasoning_stream = None

    @on(Markdown.LinkClicked)
    def _link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        number = citations.source_number(event.href)
        if number is not None:
            self.post_message(self.CitationClicked(self, number))
        elif url := safe_url(event.href):
            self.app.open_url(url)
        else:
            self.notify("Only web (http/https) links are opened.", severity="warning")

    @on(Button.Pressed, ".answer-view--retry")
    def _retry_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.RetryRequested(self))

    def on_click(self) -> None:
        self.post_message(self.Clicked(self))
