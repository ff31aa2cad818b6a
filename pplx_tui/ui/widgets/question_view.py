"""A question the user asked, as the conversation shows it (a turn beside
:class:`~pplx_tui.ui.widgets.message_view.AnswerView`)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label

from pplx_tui.models import Message
from pplx_tui.sanitize import clean_text, safe_url
from pplx_tui.ui import citations
from pplx_tui.ui.widgets.markdown_text import MarkdownText

__all__ = ["QuestionView"]


class QuestionView(Vertical):
    """A question the user asked."""

    DEFAULT_CSS = """
    QuestionView {
        height: auto;
        margin: 1 0 0 0;
        padding: 0 1;
        border-left: tall $secondary 50%;
        & > MarkdownText {
            max-width: 100;
        }
        & > .question-view--label {
            color: $text-secondary;
            text-style: bold;
        }
    }
    """

    def __init__(self, message: Message, place: tuple[int, int] | None = None) -> None:
        """``place``: this version's number and how many versions the question has (edits)."""
        super().__init__(classes="-turn")
        self.message = message
        self.place = place

    def compose(self) -> ComposeResult:
        label = f"You · version {self.place[0]}/{self.place[1]}" if self.place else "You"
        yield Label(label, classes="question-view--label")
        text = clean_text(self.message.content).strip()
        yield MarkdownText(text, parser=citations.plain_parser())

    @on(MarkdownText.LinkClicked)
    def _link_clicked(self, event: MarkdownText.LinkClicked) -> None:
        event.stop()
        if url := safe_url(event.href):
            self.app.open_url(url)
