"""The cheat sheet (``?`` or F1): the app's own keys, by where they work."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from pplx_tui.ui.dialogs.frame import Dialog
from pplx_tui.ui.widgets.key_bar import KeyBar

__all__ = ["KeysScreen"]


class KeysScreen(Dialog[None]):
    """Every key of the app, grouped by place; any of Escape, ``q``, ``?`` closes it."""

    DEFAULT_CSS = """
    KeysScreen .keys--dialog {
        width: 96;
        max-width: 100%;
        height: auto;
        max-height: 90%;
    }
    KeysScreen .keys--place:first-child {
        height: 1;
    }
    KeysScreen .keys--row {
        height: auto;
    }
    KeysScreen .keys--place {
        text-style: bold;
        color: $accent;
        height: 2;
        content-align: left bottom;
    }
    KeysScreen .keys--keys {
        width: 16;
        margin-right: 1;
        text-style: bold;
        color: $text-accent;
    }
    KeysScreen .keys--what {
        width: 1fr;
    }
    """

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="keys.close"),
    ]

    def __init__(self, sections: Sequence[tuple[str, Sequence[tuple[str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="keys--dialog dialog") as dialog:
            dialog.border_title = "Keys"
            dialog.border_subtitle = "Esc closes · ctrl+p finds any action by name"
            # One row a key (not a grid: a grid gave the places the heights of other rows).
            for place, rows in self.sections:
                yield Static(place, classes="keys--place", markup=False)
                for keys, what in rows:
                    with Horizontal(classes="keys--row"):
                        yield Static(keys, classes="keys--keys", markup=False)
                        yield Static(what, classes="keys--what", markup=False)
        yield KeyBar()  # its own keys, not the workspace's under it (which do nothing here)

    @property
    def text(self) -> str:
        """What the sheet lists, as plain text (places, then key and meaning per row)."""
        return "\n".join(str(cell.render()) for cell in self.query(Static))

    def action_close(self) -> None:
        self.dismiss(None)
