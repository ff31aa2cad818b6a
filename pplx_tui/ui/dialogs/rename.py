"""A one-line text prompt, prefilled: renaming a chat, or the file an export writes."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from pplx_tui.sanitize import clean_line
from pplx_tui.store.text import MAX_TITLE_LENGTH
from pplx_tui.ui.dialogs.frame import Dialog
from pplx_tui.ui.widgets.key_bar import KeyBar
from pplx_tui.ui.widgets.keys_in_turn import TextInput

__all__ = ["RenameScreen"]

_HINT = "enter save · esc cancel"


class _NameBox(TextInput):
    """The dialog's text box, its Enter named in the key bar as the hint names it (an Input's
    own Enter is not shown: the bar said only ``esc Cancel``)."""

    BINDINGS = [Binding("enter", "submit", "Save")]


class RenameScreen(Dialog[str | None]):
    """Edit ``current``; dismisses with the new text (trimmed, one line), or ``None`` on Escape.

    The text is selected when the dialog opens, so typing replaces it and an arrow key edits it.
    Empty text is refused with ``empty`` rather than dismissed. ``accept``, if given, is called
    with the text on Enter while the dialog is still open: it returns ``None`` to close, or a
    one-line reason to show instead (an export that could not write its file), so what was
    typed is kept to correct. It may return an awaitable of either (an export written in a
    thread): the dialog then says ``busy`` until it is done, and takes no other Enter.
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

    def __init__(
        self,
        current: str,
        *,
        title: str = "Rename chat",
        placeholder: str = "Title",
        empty: str = "The name cannot be empty.",
        accept: Callable[[str], str | Awaitable[str | None] | None] | None = None,
        busy: str = "working…",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.current = clean_line(current)
        self.title_text = title
        self.placeholder = placeholder
        self.empty = empty
        self.accept = accept
        self.busy = busy
        self._waiting = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="rename--dialog dialog") as dialog:
            dialog.border_title = self.title_text
            yield _NameBox(
                self.current,
                placeholder=self.placeholder,
                max_length=MAX_TITLE_LENGTH,  # the store's: the box takes no more than is kept
                id="rename-input",
            )
            yield Static(classes="rename--error", id="rename-error")
            yield Static(_HINT, classes="rename--hint", id="rename-hint")
        yield KeyBar()  # its own keys, not the workspace's under it

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#rename-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.closed or self._waiting:  # a second Enter of a burst: the first wrote the
            return  # export or renamed, or is writing it
        text = clean_line(event.value)
        reason = self.empty if not text else None
        if reason is None and self.accept is not None:
            outcome = self.accept(text)
            if inspect.isawaitable(outcome):
                self._waiting = True
                self.query_one("#rename-hint", Static).update(self.busy)
                self.run_worker(self._settle(text, outcome), exit_on_error=False)
                return
            reason = outcome
        self._conclude(text, reason)

    async def _settle(self, text: str, outcome: Awaitable[str | None]) -> None:
        try:
            reason = await outcome
        finally:
            self._waiting = False
        self.query_one("#rename-hint", Static).update(_HINT)
        self._conclude(text, reason)

    def _conclude(self, text: str, reason: str | None) -> None:
        """Close with ``text``, or show why not (``reason``)."""
        if reason is None:
            self.dismiss(text)
            return
        error = self.query_one("#rename-error", Static)
        error.update(reason)
        error.display = True

    @on(Input.Changed, "#rename-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one("#rename-error", Static).display = False

    def action_cancel(self) -> None:
        """Close without renaming."""
        self.dismiss(None)
