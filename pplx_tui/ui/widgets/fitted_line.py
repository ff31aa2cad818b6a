"""A line of text made for the width it is given at each layout (a resize makes it again):
its owner gives a *fit*, what to show in a room of so many cells, and each row stays within it.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.content import Content
from textual.geometry import Size
from textual.widgets import Static

__all__ = ["Fit", "FittedLine", "cells", "cut"]

Fit = Callable[[int], str]
"""What to show in a room of so many cells (0: the width is not known yet); one row a line."""


def cells(text: str) -> int:
    """How many cells ``text`` takes on the screen."""
    return Content(text).cell_length


def cut(text: str, room: int) -> str:
    """``text`` in ``room`` cells, cut with "…" (no space before it) if it does not fit."""
    if cells(text) <= room:
        return text
    if room <= 0:
        return ""
    return Content(text).truncate(room - 1).plain.rstrip() + "…"


class FittedLine(Static):
    """What its fit (:meth:`show`) gives for the width, asked again at each layout; a row the fit
    let grow too wide is cut with "…", not wrapped (the rows after it would be pushed out)."""

    DEFAULT_CSS = """
    FittedLine {
        width: 1fr;
        height: auto;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, fit: Fit | None = None, *, id: str | None = None, classes: str = "") -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self._fit: Fit = fit or (lambda room: "")

    def show(self, fit: Fit) -> None:
        """Show what ``fit`` gives for the width (asked again at each width)."""
        self._fit = fit
        self.refresh(layout=True)

    def render(self) -> Content:
        return Content(self._fit(self.content_region.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._fit(width).count("\n") + 1
