"""The line above a comparison's columns that says which answer later questions follow (and,
one column shown at a time, numbers and names them all), fitted to the width it is given at
each layout: its choice was made with the comparison's width before its first layout (0: the
names stayed uncut) and not always made again once it had one."""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widgets import Static

__all__ = ["SwitcherLine", "fitted_line"]


def fitted_line(lines: list[str], room: int) -> str:
    """The first of ``lines`` (the likeliest, in order) whose rows fit in ``room`` cells (0:
    any), else the last."""
    for line in lines:
        if room <= 0 or max(Content(row).cell_length for row in line.split("\n")) <= room:
            return line
    return lines[-1] if lines else ""


class SwitcherLine(Static):
    """The switcher line: the first of its candidate lines that fits (:func:`fitted_line`)."""

    DEFAULT_CSS = """
    SwitcherLine {
        width: 1fr;
        height: auto;
    }
    """

    def __init__(self, *, classes: str) -> None:
        super().__init__(classes=classes, markup=False)
        self._lines: list[str] = []

    def show(self, lines: list[str]) -> None:
        """Show the first of ``lines`` that fits the width (laid out again at each width)."""
        self._lines = lines
        self.refresh(layout=True)

    def render(self) -> Content:
        return Content(fitted_line(self._lines, self.content_region.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return fitted_line(self._lines, width).count("\n") + 1
