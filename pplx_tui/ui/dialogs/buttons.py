"""Buttons at a dialog's foot, for the mouse: Cancel and what the dialog does (Save, Ask…).

QA drove the app with the mouse: the search settings editor and the compare picker had no
button to press, and nothing on screen said which key saved or asked. Each button runs an action
of its dialog, the one its key runs. They take no focus: the keyboard has Enter and Escape (the
key bar says so), and a focused Cancel in a dialog where Enter saves from anywhere would have
saved on Enter.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button

__all__ = ["DialogButtons"]


class DialogButtons(Horizontal):
    """Cancel, then the dialog's own button (``label``, running the screen's ``action``)."""

    DEFAULT_CSS = """
    DialogButtons {
        height: auto;
        align-horizontal: right;
        margin-top: 1;
        & > Button {
            margin-left: 2;
            min-width: 10;
        }
    }
    """

    def __init__(self, label: str, action: str, *, id: str | None = None) -> None:
        """``action``: an action of the dialog's screen, such as ``save`` or ``ask``."""
        super().__init__(id=id)
        self._label = label
        self._action = action

    def compose(self) -> ComposeResult:
        cancel = Button("Cancel", action="screen.cancel", compact=True)
        go = Button(self._label, variant="primary", action=f"screen.{self._action}", compact=True)
        for button in (cancel, go):
            button.can_focus = False
            yield button

    @property
    def go(self) -> Button:
        """The dialog's own button (disabled while its action would be refused)."""
        return self.query_one("Button.-primary", Button)
