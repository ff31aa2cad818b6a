"""Under an answer: the related questions the engine suggested, and the images it returned.

Both come only from chat-completions providers asked for them (``return_related_questions``,
``return_images``); Perplexity's Agent API has neither. Each list takes the focus (``f`` and
``i`` on the conversation, or Tab, the selected answer's only): Enter on a related question
asks it next (:class:`RelatedQuestions.QuestionChosen`); Enter or ``o`` opens an image, ``c``
copies its URL; Escape goes back to the answer (:class:`BackToAnswer`).
Only http(s) images are listed; every text is shown as text, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message as TextualMessage
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from pplx_tui.sanitize import clean_line, safe_url
from pplx_tui.ui.keys_in_force import key_named
from pplx_tui.ui.widgets.fitted_line import FittedLine, cells, cut
from pplx_tui.ui.widgets.option_rows import HangingLines, RewrappingOptionList
from pplx_tui.ui.widgets.source_rows import domain_of
from pplx_tui.values import Image

if TYPE_CHECKING:
    from textual.widget import Widget

    from pplx_tui.models import Message

__all__ = [
    "MAX_LISTED",
    "AnswerExtras",
    "BackToAnswer",
    "ImageList",
    "RelatedQuestions",
    "web_images",
]

MAX_LISTED = 50
"""Related questions, and images, listed under an answer at most (a provider sends a handful;
a hostile server or chat file sent thousands, and the chat took seconds to open each time)."""
SHOWN_CHARS = 500
"""Characters of a related question shown (all of it is asked)."""


def web_images(images: list[Image]) -> list[Image]:
    """The images that can be opened (an http(s) URL)."""
    return [image for image in images if safe_url(image.image_url)]


class BackToAnswer(TextualMessage):
    """Escape in an answer's list: the focus goes back to the conversation, on ``answer`` (QA:
    the workspace's Escape took it to the question box, and the ``f`` pressed next was typed
    there)."""

    def __init__(self, answer: Widget) -> None:
        super().__init__()
        self.answer = answer


def _back_binding(place: str) -> Binding:
    return Binding(
        "escape",
        "back_to_answer",
        "Back",
        id=f"{place}.back",
        tooltip="Go back to the answer (the conversation, on the same answer)",
    )


class _AnswerList(RewrappingOptionList):
    """A list under an answer, whose Escape goes back to the answer (not while an answer is
    being written: then Escape stops it, as everywhere in the workspace)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back_to_answer" and self.screen.check_action("stop", ()):
            return False
        return super().check_action(action, parameters)

    def action_back_to_answer(self) -> None:
        extras = self.parent
        if extras is not None and extras.parent is not None:
            self.post_message(BackToAnswer(extras.parent))  # (extras are an answer's child)


class RelatedQuestions(_AnswerList):
    """The suggested follow-up questions; Enter asks the highlighted one.

    A question that wraps goes on under its text, not under its arrow; highlighted, it is
    drawn in the highlight's text colour made readable (the theme's own was 2.36:1 in gruvbox).
    """

    BINDINGS = [
        Binding(
            "enter",
            "select",
            "Ask",
            id="related.ask",
            tooltip="Ask the highlighted related question as the next question",
        ),
        _back_binding("related"),
    ]

    class QuestionChosen(TextualMessage):
        """Ask ``question`` next."""

        def __init__(self, related: RelatedQuestions, question: str) -> None:
            super().__init__()
            self.related = related
            self.question = question

        @property
        def control(self) -> RelatedQuestions:
            return self.related

    def __init__(self, questions: list[str]) -> None:
        self.questions = [q for q in map(clean_line, questions[: MAX_LISTED * 2]) if q][:MAX_LISTED]
        super().__init__(
            *(Option(HangingLines([(2, Content(f"→ {q[:SHOWN_CHARS]}"))])) for q in self.questions),
            classes="answer-extras--related",
        )

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.QuestionChosen(self, self.questions[event.option_index]))


class ImageList(_AnswerList):
    """Images with title, origin and URL; Enter or ``o`` opens one, ``c`` copies its URL.

    The highlighted image is drawn in the highlight's colours, its origin and URL faded as far
    as they stay readable: dimmed, they were 1.8:1 on gruvbox's highlight."""

    BINDINGS = [
        Binding("enter", "select", "Open", id="images.select", tooltip="Open the image"),
        Binding("o", "open_image", "Open", id="images.open", tooltip="Open the image", show=False),
        Binding(
            "c,y",
            "copy_image_url",
            "Copy URL",
            id="images.copy_url",
            tooltip="Copy the highlighted image's URL to the clipboard",
        ),
        _back_binding("images"),
    ]

    def __init__(self, images: list[Image]) -> None:
        self.images = web_images(images)[:MAX_LISTED]
        super().__init__(*map(self._option, self.images), classes="answer-extras--images")

    @staticmethod
    def _option(image: Image) -> Option:
        url = safe_url(image.image_url) or ""
        origin = domain_of(image.origin_url or "")
        title = clean_line(image.title or "")[:SHOWN_CHARS] or domain_of(url) or "image"
        meta = " · ".join(p for p in (f"from {origin}" if origin else "", url) if p)
        lines = [Content.styled(title, "bold"), Content.styled(meta, "$text-muted")]
        return Option(HangingLines([(0, line) for line in lines]))

    @property
    def highlighted_image(self) -> Image | None:
        index = self.highlighted
        return self.images[index] if index is not None else None

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open_image()

    def action_open_image(self) -> None:
        if (image := self.highlighted_image) and (url := safe_url(image.image_url)):
            self.app.open_url(url)

    def action_copy_image_url(self) -> None:
        if (image := self.highlighted_image) and (url := safe_url(image.image_url)):
            self.app.copy_to_clipboard(url)
            self.notify("Image URL copied to the clipboard.", timeout=2)


def _heading(name: str, *hints: str) -> FittedLine:
    """A list's heading: ``name`` with the first of ``hints`` (the keys, in fewer words each)
    that fits its row, else alone, cut with "…" if need be (QA at 60 columns: `Related
    questions (f, Enter as`)."""

    def fit(room: int) -> str:
        shown = [f"{name} {hint}" for hint in hints] + [name]
        return next((text for text in shown if cells(text) <= room), cut(name, room))

    return FittedLine(fit, classes="answer-extras--title")


class AnswerExtras(Vertical):
    """Related questions and images of one (finished) answer; nothing when it has neither."""

    DEFAULT_CSS = """
    AnswerExtras {
        height: auto;
        margin: 0;  /* the text above ends with a blank line */
        & > .answer-extras--title {
            color: $text-muted;
            text-style: bold;
        }
        & > OptionList {
            height: auto;
            max-height: 8;
            border: none;
            padding: 0;
            background: transparent;
            &:focus {
                /* no OptionList focus border: two rows more, and the last question (the one
                   Down highlights) went below the view as the list took the focus (QA) */
                border: none;
                background-tint: $foreground 5%;
            }
        }
    }
    """

    def __init__(self, message: Message) -> None:
        super().__init__(classes="answer-extras")
        self.message = message

    def allow_focus_children(self) -> bool:
        """Tab reaches the lists of the selected answer only (or the list holding the focus):
        with every answer's in the chain, Tab from the conversation went to the first answer's
        list far up the chat, and through two lists an answer before the sources panel."""
        return self.has_focus_within or any(n.has_class("-selected") for n in self.ancestors)

    @staticmethod
    def wanted(message: Message) -> bool:
        """Whether ``message`` has anything to list."""
        return bool(message.related_questions or web_images(message.images))

    def compose(self) -> ComposeResult:
        related = RelatedQuestions(self.message.related_questions)
        if related.questions:
            go = key_named(self.app, "conversation.related")
            ask = key_named(self.app, "related.ask")
            yield _heading("Related questions", f"({go}, {ask} asks)", f"({go})")
            yield related
        images = ImageList(self.message.images)
        if images.images:
            count = len(web_images(self.message.images))
            shown = f"the first {len(images.images)} of {count:,}" if count > MAX_LISTED else count
            go, select, copy = (
                key_named(self.app, name)
                for name in ("conversation.images", "images.select", "images.copy_url")
            )
            keys = f"({go}; {select} opens, {copy} copies)"
            yield _heading(f"Images ({shown})", keys, f"({go})")
            yield images

    def focus_related(self) -> bool:
        """Focus the related questions; ``False`` when there are none."""
        found = self.query(RelatedQuestions)
        if found:
            found.first().focus()
        return bool(found)

    def focus_images(self) -> bool:
        """Focus the images; ``False`` when there are none."""
        found = self.query(ImageList)
        if found:
            found.first().focus()
        return bool(found)
