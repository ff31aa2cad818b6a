"""The multi-line question box: Enter sends, ctrl+j (or shift+enter where the terminal tells it
apart) starts a new line.

Both keys are bindings with ids, so a keymap can swap them
(``"prompt.submit" = "ctrl+s"`` and ``"prompt.newline" = "enter"``).
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

__all__ = ["PromptInput"]


class PromptInput(TextArea):
    """A :class:`~textual.widgets.TextArea` that posts :class:`Submitted` instead of a newline."""

    DEFAULT_CSS = """
    PromptInput {
        height: auto;
        min-height: 3;
        max-height: 12;
        border: tall $border-blurred;
        padding: 0 1;
        &:focus {
            border: tall $border;
        }
        &.-busy {
            border-title-color: $text-muted;
        }
    }
    """

    BINDINGS = [
        Binding(
            "enter",
            "submit",
            "Send",
            id="prompt.submit",
            tooltip="Send the question (a new question stops an answer that is streaming)",
        ),
        Binding(
            "ctrl+j,shift+enter",
            "newline",
            "New line",
            id="prompt.newline",
            tooltip="Start a new line in the question",
            show=False,
        ),
    ]

    class Submitted(Message):
        """The user sent a question (already stripped; never empty)."""

        def __init__(self, prompt: PromptInput, text: str) -> None:
            super().__init__()
            self.prompt = prompt
            self.text = text

        @property
        def control(self) -> PromptInput:
            return self.prompt

    def __init__(
        self,
        *,
        placeholder: str = "Ask anything…  (Enter sends, ctrl+j starts a new line)",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(
            soft_wrap=True,
            tab_behavior="focus",
            show_line_numbers=False,
            highlight_cursor_line=False,
            placeholder=placeholder,
            id=id,
            classes=classes,
        )

    async def _on_key(self, event: events.Key) -> None:
        # Textual calls each class's handler in turn: preventing the default here keeps
        # TextArea from inserting Enter as text, so the key reaches the bindings instead.
        if event.key == "enter":
            event.prevent_default()

    def action_submit(self) -> None:
        text = self.text.strip()
        if not text:
            return
        self.clear()
        self.post_message(self.Submitted(self, text))

    def action_newline(self) -> None:
        self.insert("\n")
