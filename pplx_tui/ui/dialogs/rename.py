"""A one-line text prompt, prefilled: renaming a chat."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from pplx_tui.sanitize import clean_line
from pplx_tui.ui.dialogs.frame import Dialog
from pplx_tui.ui.widgets.key_bar import KeyBar

__all__ = ["RenameScreen"]


class RenameScreen(Dialog[str | None]):
    """Edit ``current``; dismisses with the new text (trimmed, one line), or ``None`` on Escape.

    The text is selected when the dialog opens, so typing replaces it and an arrow key edits it.
    Empty text is refused with a message rather than dismissed.
    """

    DEFAULT_CSS = """
    RenameScreen .rename--dialog {
        width: 80%;
        max-width: 72;
    }
    RenameScreen .rename--error {
        color: $text-error;
        text-style: bold;
        display: none;
    }
    RenameScreen .rename--hint {
        color: $text-muted;
        margin-top: 1;
    }
    """

    BINDINGS = [
        Binding(
            "escape", "cancel", "Cancel", id="rename.cancel", tooltip="Close and keep the old name"
        ),
    ]

    MAX_LENGTH = 200
    """Longest text the input accepts."""

    def __init__(
        self,
        current: str,
        *,
        title: str = "Rename chat",
        placeholder: str = "Title",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.current = clean_line(current)
        self.title_text = title
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="rename--dialog dialog") as dialog:
            dialog.border_title = self.title_text
            yield Input(
                self.current,
                placeholder=self.placeholder,
                max_length=self.MAX_LENGTH,
                id="rename-input",
            )
            yield Static(classes="rename--error", id="rename-error")
            yield Static("enter save · esc cancel", classes="rename--hint")
        yield KeyBar()  # its own keys, not the workspace's under it

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#rename-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = clean_line(event.value)
        if not text:
            error = self.query_one("#rename-error", Static)
            error.update("The name cannot be empty.")
            error.display = True
            return
        self.dismiss(text)

    @on(Input.Changed, "#rename-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one("#rename-error", Static).display = False

    def action_cancel(self) -> None:
        """Close without renaming."""
        self.dismiss(None)
