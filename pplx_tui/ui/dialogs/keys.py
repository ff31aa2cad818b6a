"""The cheat sheet (``?`` or F1): the app's own keys, by where they work."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from pplx_tui.ui.dialogs.frame import Dialog
from pplx_tui.ui.keys_in_force import key_named
from pplx_tui.ui.widgets.key_bar import KeyBar

__all__ = ["KeyTable", "KeysScreen"]

Sections = Sequence[tuple[str, Sequence[tuple[str, str]]]]
"""Places ("Conversation") and their (keys, what they do) rows."""

KEYS_CELLS = 16
"""Width of the keys column; its meanings start one cell after it."""


class KeyTable(Widget):
    """Every place and its rows, drawn by one widget: each place after a blank line, each row
    its keys then what they do, wrapped under itself.

    One widget, not one a row: the sheet's 160 widgets (a row, its keys, its meaning) took
    0.4-1 s to style, lay out and draw where other dialogs take 0.15 s.
    """

    DEFAULT_CSS = """
    KeyTable {
        height: auto;
    }
    """

    def __init__(self, sections: Sections) -> None:
        super().__init__()
        self.sections = sections
        self._lines: tuple[int, list[Content]] | None = None

    def lines(self, width: int) -> list[Content]:
        """The sheet's lines in ``width`` cells (kept for the last width asked)."""
        if self._lines is None or self._lines[0] != width:
            self._lines = (width, list(self._layout(width)))
        return self._lines[1]

    def _layout(self, width: int) -> list[Content]:
        lines: list[Content] = []
        what_width = max(width - KEYS_CELLS - 1, 10)
        for number, (place, rows) in enumerate(self.sections):
            if number:
                lines.append(Content(""))
            lines.append(Content.styled(place, "bold $key-section"))
            for keys, what in rows:
                key_lines = Content.styled(keys, "bold $text-accent").wrap(KEYS_CELLS)
                what_lines = Content(what).wrap(what_width)
                for row in range(max(len(key_lines), len(what_lines))):
                    key = key_lines[row] if row < len(key_lines) else Content("")
                    meaning = what_lines[row] if row < len(what_lines) else Content("")
                    lines.append(key.pad_right(KEYS_CELLS + 1 - key.cell_length) + meaning)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.content_size.width))

    @property
    def text(self) -> str:
        """The places, and each row's keys and meaning, one a line (unwrapped)."""
        cells: list[str] = []
        for place, rows in self.sections:
            cells.append(place)
            for keys, what in rows:
                cells += [keys, what]
        return "\n".join(cells)


class KeysScreen(Dialog[None]):
    """Every key of the app, grouped by place; any of Escape, ``q``, ``?`` closes it."""

    DEFAULT_CSS = """
    KeysScreen .keys--dialog {
        width: 96;
        max-width: 100%;
        height: auto;
        max-height: 90%;
    }
    """

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", "Close", id="keys.close"),
    ]

    def __init__(self, sections: Sections) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="keys--dialog dialog") as dialog:
            dialog.border_title = "Keys"
            close = key_named(self.app, "keys.close")
            dialog.border_subtitle = f"{close} closes · ctrl+p finds any action by name"
            yield KeyTable(self.sections)
        yield KeyBar()  # its own keys, not the workspace's under it (which do nothing here)

    @property
    def text(self) -> str:
        """What the sheet lists, as plain text (places, then key and meaning per row)."""
        return self.query_one(KeyTable).text

    def action_close(self) -> None:
        self.dismiss(None)
