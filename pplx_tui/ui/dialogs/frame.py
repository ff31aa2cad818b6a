"""What every dialog shares: it sits in the middle of the screen, in a framed, titled panel."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

from pplx_tui.ui.resize_guard import LayoutOnNewSize

__all__ = ["Dialog"]

ResultType = TypeVar("ResultType")


class Dialog(LayoutOnNewSize, ModalScreen[ResultType]):
    """A modal dialog that dismisses with its result; its panel is the container with class
    ``dialog`` (each dialog sets its width, and anything else it draws otherwise)."""

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
    }
    Dialog .dialog {
        height: auto;
        border: round $primary;
        border-title-color: $primary;
        border-title-style: bold;
        background: $panel;
        padding: 1 2;
    }
    """
