"""The parts an :class:`~pplx_tui.ui.widgets.message_view.AnswerView` is built of beyond its
label: a segment of its text, the folded reasoning, and the row under its text that says why it
failed or that it was stopped there.

Each part is made only when the answer needs it (a plain answer has no reasoning section and
no end row), so a long chat mounts fewer widgets.
"""

from __future__ import annotations

from collections.abc import Container

from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Collapsible, Static

from pplx_tui.models import Message, MessageStatus
from pplx_tui.ui import citations
from pplx_tui.ui.widgets import answer_lines
from pplx_tui.ui.widgets.answer_text import AnswerText
from pplx_tui.ui.widgets.markdown_text import MarkdownText

__all__ = ["end_row", "reasoning_section", "segment", "shows_end_row"]


def segment(markdown: str = "", *, first: bool = True, known: Container[int] = ()) -> AnswerText:
    """One segment of an answer's text (``first``: it starts the answer; a later one drops a
    leading blank line); ``known``: the answer's source numbers, as they come."""
    parser = citations.AnswerParser(known)
    return AnswerText(markdown, parser=parser, first=first, classes="answer-view--segment")


class ReasoningFold(Collapsible):
    """Textual's collapsible, whose title Tab passes by: the selected answer's ``t`` (un)folds
    it, a click too. Focusable, each reasoning answer's title was a stop of its own between
    the conversation and the sources (QA: Tab went conversation, a title, sources; Enter
    there unfolded an answer the user was not reading)."""

    def __init__(self, *children: Widget, title: Content, classes: str) -> None:
        super().__init__(*children, title=title, collapsed=True, classes=classes)
        self._title.can_focus = False


def reasoning_section(key: str = "") -> Collapsible:
    """The folded reasoning, made only for an answer that has some (4 widgets fewer in a
    plain one: a 500-message chat opens faster); its title names the ``key`` that unfolds it
    on the selected answer."""
    # "-collapsed" as Collapsible's mount would set it: set then, it restyled the section.
    # Its [n] is text, not a marker: the answer cites, its reasoning does not (QA: drawn as a
    # marker, n / p passed it by and c copied nothing; the count of cited sources left it out).
    parser = citations.reasoning_parser()
    text = MarkdownText(parser=parser, classes="answer-view--reasoning-text")
    title = Content(f"Reasoning ({key})" if key else "Reasoning")
    return ReasoningFold(text, title=title, classes="answer-view--reasoning -collapsed")


def shows_end_row(message: Message) -> bool:
    """Whether the answer shows its end row (why it failed, or that it was stopped, and a
    retry button)."""
    return (
        message.status == MessageStatus.ERROR
        or answer_lines.broke_off(message)
        or answer_lines.stopped(message)
    )


def end_row(note: str, label: str, *, under_text: bool = False) -> Vertical:
    """The row under the text of an answer that failed or was stopped (``note``: why), with
    its button (``label``: what it does, with its key). ``under_text``: right under the
    answer's text, whose last row is blank already (no margin: two blank rows, QA)."""
    # The button under the reason, not beside it: beside it, at 80 columns with the sources
    # shown, the reason stood in an 18-column strip, its URL broken over two lines.
    return Vertical(
        Static(Content(note), classes="answer-view--error-text"),
        Button(label, classes="answer-view--retry", compact=True),
        classes="answer-view--error -under-text" if under_text else "answer-view--error",
    )
