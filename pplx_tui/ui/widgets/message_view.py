"""An answer in the conversation: :class:`AnswerView` (streaming or saved), labelled with the
model and provider that gave it (the lines around its text are :mod:`answer_lines`, the
progress line under the label :mod:`progress_line`; the user's turns are
:class:`~pplx_tui.ui.widgets.question_view.QuestionView`).

Text is drawn by :class:`~pplx_tui.ui.widgets.markdown_text.MarkdownText` (one widget per
segment of an answer, not one per block); a streaming answer's text, reasoning and sources are
taken in by :class:`~pplx_tui.ui.widgets.answer_streaming.Streaming` (mixed in), its text
through an :class:`~pplx_tui.ui.widgets.answer_writer.AnswerWriter`, which keeps each draw
short. The reasoning (``<think>`` part) is kept apart in a folded section, drawn by the same
renderer as the answer, and only once unfolded. Lines are at most 100 columns (``max-width``):
longer ones are hard to read on a wide terminal.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.dom import NoScreen
from textual.errors import NoWidget
from textual.message import Message as TextualMessage
from textual.strip import Strip
from textual.widgets import Button, Collapsible, Static

from pplx_tui.citations import cited_numbers
from pplx_tui.models import Message, MessageStatus, SearchSettings, Source
from pplx_tui.sanitize import clean_text, safe_url
from pplx_tui.session import PERPLEXITY
from pplx_tui.ui import citations
from pplx_tui.ui.keys_in_force import (
    NOT_FROM_BOX,
    add_key_named,
    key_named,
    key_named_from_box,
    shown_key,
)
from pplx_tui.ui.segments import split_segments
from pplx_tui.ui.timers import LateTimersFire
from pplx_tui.ui.widgets import answer_lines
from pplx_tui.ui.widgets.answer_extras import AnswerExtras
from pplx_tui.ui.widgets.answer_label import AnswerLabel
from pplx_tui.ui.widgets.answer_parts import end_row, reasoning_section, segment, shows_end_row
from pplx_tui.ui.widgets.answer_streaming import Streaming
from pplx_tui.ui.widgets.answer_text import AnswerText, LinkSpot
from pplx_tui.ui.widgets.laid_out import LaidOut
from pplx_tui.ui.widgets.markdown_text import MarkdownText
from pplx_tui.ui.widgets.progress_line import ProgressLine
from pplx_tui.ui.widgets.reasoning_key import REASONING_BINDING

__all__ = ["AnswerView"]


class AnswerView(LateTimersFire, Streaming, LaidOut, Vertical):
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
        & > .answer-view--search {
            color: $text-muted;
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
        & .answer-view--segment, & .answer-view--reasoning-text {
            max-width: 100;
        }
        & > .answer-view--error {
            display: none;
            height: auto;
            margin: 1 0 0 0;
            &.-under-text {
                margin: 0;
            }
        }
        &.-error > .answer-view--error, &.-broken > .answer-view--error,
        &.-stopped > .answer-view--error {
            display: block;
        }
        & .answer-view--error-text {
            width: 1fr;
            color: $text-error;
        }
        &.-stopped .answer-view--error-text {
            color: $text-warning;
        }
        & .answer-view--retry {
            min-width: 12;
        }
    }
    """

    class ViewMessage(TextualMessage):
        """Base of the messages an answer view sends about itself (``view``)."""

        def __init__(self, view: AnswerView) -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> AnswerView:
            return self.view

    class CitationClicked(ViewMessage):
        """A ``[n]`` marker in the answer was clicked: ``spot`` of ``segment``, where known."""

        def __init__(
            self, view: AnswerView, number: int, segment: AnswerText, spot: LinkSpot | None
        ) -> None:
            super().__init__(view)
            self.number = number
            self.segment = segment
            self.spot = spot

    class CitationsChanged(ViewMessage):
        """The streaming answer cited a source it had not cited before."""

    class RetryRequested(ViewMessage):
        """The user asked to send the question of this (failed) answer again."""

    class Clicked(ViewMessage):
        """The answer was clicked (the conversation selects it)."""

    def __init__(
        self,
        message: Message | None = None,
        *,
        provider: str = "",
        model: str = "",
        place: tuple[int, int] | None = None,
    ) -> None:
        """A saved answer (``message``), or an empty one to stream into; ``place`` is its
        number among its question's alternatives and how many there are."""
        # Classes are set before mounting: changing them later restyles every block.
        status = message.status if message else None
        classes = [
            "-turn",
            *(["-interrupted"] if status == MessageStatus.INTERRUPTED else []),
            *(["-error"] if status == MessageStatus.ERROR else []),
            *(["-broken"] if message and answer_lines.broke_off(message) else []),
            *(["-stopped"] if message and answer_lines.stopped(message) else []),
            *(["-reasoning"] if message and message.reasoning else []),
        ]
        super().__init__(classes=" ".join(classes))
        self.message = message
        self.place = place
        self.provider = (message.provider if message else None) or provider
        self.model = (message.model if message else None) or model
        self.sources: tuple[Source, ...] = tuple(message.sources) if message else ()
        self.numbers = {source.index for source in self.sources}
        self.searched_with: SearchSettings | None = message.search if message else None
        """The search settings the answer is asked with (names a compared column)."""
        self.tag = ""
        """In a comparison of its model with itself, what its label names its search settings
        by (:meth:`set_tag`)."""
        self.cited: set[int] = cited_numbers(message.content, self.numbers) if message else set()
        self._reasoning_shown = False
        """Whether the reasoning text has been put in its (unfolded once) section."""
        self._reasoning: list[str] = [message.reasoning] if message and message.reasoning else []
        self._has_text = bool(message and message.content)

    def render_line(self, y: int) -> Strip:
        """A blank line under the children: Textual's default draws every line of the (tall)
        answer, on or off screen, each time the answer grows."""
        return Strip.blank(self.size.width, self.visual_style.rich_style)

    def compose(self) -> ComposeResult:
        message = self.message
        yield AnswerLabel(self._label(), classes="answer-view--label")
        line = answer_lines.search_line(message.search, message.search_not_sent) if message else ""
        search = Static(Content(line), classes="answer-view--search")
        search.display = bool(line)
        yield search
        summary = self._summary()
        progress = ProgressLine(summary, classes="answer-view--progress")
        progress.display = bool(summary) or message is None
        yield progress
        if self._reasoning:
            yield reasoning_section(self._fold_key())
        # The segments are the answer's own children (no container: one less widget to lay
        # out again and repaint whenever the streaming segment grows).
        pieces = split_segments(clean_text(message.content) if message else "")
        for number, piece in enumerate(pieces):
            yield segment(piece, first=number == 0, known=self.numbers)
        if message is not None and AnswerExtras.wanted(message):
            yield AnswerExtras(message)
        if message is not None and shows_end_row(message):
            yield end_row(self._end_note(), self._action_label(), under_text=_text_last(message))

    # -- updates (those while it streams: :mod:`answer_streaming`) ---------------------------

    async def finish(self, message: Message) -> None:
        """The answer ended (complete, interrupted or failed): show it as saved.

        Text not drawn yet is drawn now, or after a long burst a budget at a time right after
        (see :class:`~pplx_tui.ui.widgets.answer_writer.AnswerWriter`): this returns at once, so
        the screen keeps drawing frames. A view taken off the screen as it streamed (its
        writer abandoned) only keeps the answer: its comparison still reads it.
        """
        if not self.is_attached:
            self.message = message
            return
        await self._end_stream()
        self.message = message
        self.provider = message.provider or self.provider
        self.model = message.model or self.model
        self.keep_sources(message.sources)
        self.cited = cited_numbers(message.content, self.numbers)
        self.query_one(".answer-view--label", AnswerLabel).show(self._label())
        self.show_search_settings(message.search, message.search_not_sent)
        rows = self.query_children(".answer-view--error")
        if rows:
            note = Content(self._end_note())
            rows.first().query_one(".answer-view--error-text", Static).update(note)
        self.set_progress(self._summary())
        if AnswerExtras.wanted(message) and not self.query_children(AnswerExtras):
            # Shown once mounted and drawn: laid out at once, its rows stood blank for a few
            # frames under the finished text (QA Q9).
            extras = AnswerExtras(message)
            extras.display = False
            await self.mount(extras, before=rows.first() if rows else None)
            self.call_after_refresh(setattr, extras, "display", True)
        if not rows and shows_end_row(message):
            under_text = _text_last(message)
            await self.mount(end_row(self._end_note(), self._action_label(), under_text=under_text))
        self._apply_status()

    def show_summary(self) -> None:
        """Say again the line under the saved answer (a cost the provider reported after the
        answer ended: a background run stopped here)."""
        self.set_progress(self._summary())

    def end_in_view(self) -> bool:
        """Whether the note under the answer (else the answer) is on the screen now, as last
        drawn: not scrolled away, nor taken off."""
        rows = self.query_children(".answer-view--error")
        shown = rows.first() if rows else self
        try:
            geometry = self.screen.find_widget(shown)
        except (NoScreen, NoWidget):
            return False
        return geometry.visible_region.area > 0

    def set_place(self, place: tuple[int, int] | None) -> None:
        """Show which of its question's alternatives this answer is ("2/3")."""
        had_place, self.place = self.place is not None, place
        if not self.is_attached:  # (taken off the screen as it streamed)
            return
        if had_place != (place is not None):
            self.refresh_bindings()  # the key bar offers a (next alternative), or no longer
        self.query_one(".answer-view--label", AnswerLabel).show(self._label())

    def set_tag(self, tag: str) -> None:
        """Name the answer's search settings after its model in its label (``month``), as its
        comparison names its column (``""``: no more)."""
        if tag == self.tag:
            return
        self.tag = tag
        if self.is_attached:
            self.query_one(".answer-view--label", AnswerLabel).show(self._label())

    @property
    def extras(self) -> AnswerExtras | None:
        """The related questions and images under the answer, if it has any."""
        found = self.query_children(AnswerExtras)
        return found.first() if found else None

    @property
    def reasoning_unfolded(self) -> bool | None:
        """Whether the reasoning is unfolded (``None``: the answer has none)."""
        found = self.query_children(".answer-view--reasoning")
        if not found or not self.has_class("-reasoning"):
            return None
        return not found.first(Collapsible).collapsed

    def toggle_reasoning(self) -> bool:
        """Unfold the reasoning, or fold it again; ``False`` if the answer has none."""
        if self.reasoning_unfolded is None:
            return False
        fold = self.query_children(".answer-view--reasoning").first(Collapsible)
        fold.collapsed = not fold.collapsed
        return True

    def reasoning_holding(self, wanted: str) -> MarkdownText | None:
        """The reasoning's text, unfolded, where it holds ``wanted`` (casefolded: a find's, which
        marks it there); ``None`` where it does not."""
        if not self._reasoning or wanted not in "".join(self._reasoning).casefold():
            return None
        self.query_children(".answer-view--reasoning").first(Collapsible).collapsed = False
        return self._reasoning_text()

    def _reasoning_text(self) -> MarkdownText:
        """The reasoning's text, put in its section the first time (drawn once unfolded; later
        reasoning is appended)."""
        text = self.query_one(".answer-view--reasoning-text", MarkdownText)
        if not self._reasoning_shown:
            self._reasoning_shown = True
            text.append("".join(self._reasoning))
        return text

    def _fold_key(self) -> str:
        return shown_key(self.app, REASONING_BINDING)

    def show_search_settings(self, search: SearchSettings | None, not_sent: dict[str, str]) -> None:
        """The line under the label: what the answer was searched with (nothing for defaults),
        and which settings its provider or model could not honour (:mod:`search_support`)."""
        self.searched_with = search
        line = answer_lines.search_line(search, not_sent)
        widget = self.query_one(".answer-view--search", Static)
        widget.update(Content(line))
        widget.display = bool(line)

    # -- presentation (the lines themselves: :mod:`answer_lines`) ----------------------------

    def _apply_status(self) -> None:
        message = self.message
        status = message.status if message else None
        self.set_class(status == MessageStatus.INTERRUPTED, "-interrupted")
        self.set_class(status == MessageStatus.ERROR, "-error")
        self.set_class(message is not None and answer_lines.broke_off(message), "-broken")
        self.set_class(message is not None and answer_lines.stopped(message), "-stopped")
        self.set_class(bool(self._reasoning), "-reasoning")
        self.show_action()

    def show_action(self) -> None:
        """Label the end row's button for what it does now, and say so in its note (a key
        saved may change both)."""
        for button in self.query(".answer-view--retry").results(Button):
            button.label = self._action_label()
            button.refresh(layout=True)  # (as wide as its new label: not centred in the old)
        for note in self.query(".answer-view--error-text").results(Static):
            note.update(Content(self._end_note()))

    def _label(self) -> tuple[str, Content]:
        return answer_lines.label(self.model, self.provider, self.place, self.message, self.tag)

    def _sources_line(self) -> str:
        return answer_lines.sources_line(self.sources, self.cited)

    def _summary(self) -> str:
        retry = key_named(self.app, "research.retry")
        return answer_lines.summary(self.message, self.sources, self.cited, retry)

    def _end_note(self) -> str:
        """Why the answer ended where it did, naming the keys in force (and, after the retired
        Sonar endpoint, the one that helps now)."""
        if self.message is None:
            return ""
        note = add_key_named(self.app, answer_lines.end_note(self.message))
        if answer_lines.retired(self.message):
            pick, add_key = (
                key_named(self.app, "app.pick_model"),
                key_named(self.app, "app.add_key"),
            )
            note += " " + answer_lines.retired_hint(self._perplexity_key(), pick, add_key)
        return note

    def _action_label(self) -> str:
        """The end row's button: what it does and the key that does it too (where the question
        box keeps that key, it says so: an answer stopped leaves the focus there)."""
        retry, works = key_named_from_box(self.app, "research.retry")
        retry = retry if works else f"{retry}, {NOT_FROM_BOX}"
        fix = self._fix()
        pick = key_named(self.app, "app.pick_model") if fix == "app.pick_model" else None
        return answer_lines.action_label(
            fix is not None, key_named(self.app, "app.add_key"), retry, pick
        )

    def _fix(self) -> str | None:
        """The action the end row's button runs instead of asking again (``None``: it asks
        again): after the retired Sonar endpoint, the model picker, or the key dialog on
        Perplexity where no Perplexity key is set; after a refused key still in use, the key
        dialog."""
        if self.message is not None and answer_lines.retired(self.message):
            return "app.pick_model" if self._perplexity_key() else f"app.add_key({PERPLEXITY!r})"
        return "app.add_key" if self._needs_key() else None

    def _perplexity_key(self) -> bool:
        has_key = getattr(self.app, "has_key", None)  # (TargetApp's)
        return has_key is not None and has_key(PERPLEXITY)

    def _needs_key(self) -> bool:
        """Whether the answer failed on a refused key that is still the one in use."""
        still_refused = getattr(self.app, "key_still_refused", None)  # (TargetApp's)
        return (
            self.message is not None and still_refused is not None and still_refused(self.message)
        )

    # -- events ------------------------------------------------------------------------------

    @on(Collapsible.Expanded)
    def _reasoning_expanded(self, event: Collapsible.Expanded) -> None:
        event.stop()
        self._reasoning_text()
        self.refresh_bindings()  # the key bar: "Hide reasoning"

    @on(Collapsible.Collapsed)
    def _reasoning_collapsed(self, event: Collapsible.Collapsed) -> None:
        event.stop()
        self.refresh_bindings()

    @on(MarkdownText.LinkClicked)
    def _link_clicked(self, event: MarkdownText.LinkClicked) -> None:
        event.stop()
        number = citations.source_number(event.href)
        if number is not None and isinstance(event.text, AnswerText):  # (the reasoning has none)
            spot = event.text.clicked(event.href)
            self.post_message(self.CitationClicked(self, number, event.text, spot))
        elif url := safe_url(event.href):
            self.app.open_url(url)
        else:
            self.notify("Only web (http/https) links are opened.", severity="warning")

    @on(Button.Pressed, ".answer-view--retry")
    async def _retry_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if fix := self._fix():  # retrying cannot help
            await self.run_action(fix)
        else:
            self.post_message(self.RetryRequested(self))

    def on_click(self) -> None:
        self.post_message(self.Clicked(self))

    def _citations_changed(self) -> None:
        self.post_message(self.CitationsChanged(self))


def _text_last(message: Message) -> bool:
    """Whether the answer's text is the last thing above its end row (no related questions
    or images between)."""
    return bool(message.content) and not AnswerExtras.wanted(message)
