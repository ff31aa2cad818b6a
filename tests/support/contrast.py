"""Reading colours off the screen: each cell's character, text colour and background as a user's
terminal shows them, and the WCAG contrast of the text in a part of it.

The cells are read from the frame ``app.export_screenshot()`` draws (its compositor's segments,
before they are made an SVG: :func:`tests.support.tui.frame`), after Textual's filters: ANSI
colours (the ``ansi-*`` themes) as the app's terminal theme shows them, reversed cells swapped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich._palettes import EIGHT_BIT_PALETTE
from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.style import Style as RichStyle
from rich.terminal_theme import TerminalTheme
from textual.app import App
from textual.color import Color
from textual.geometry import Region

from pplx_tui.ui.contrast import contrast_ratio
from tests.support.tui import frame

__all__ = ["Cell", "Shortfall", "cells", "shortfalls"]

_LINES, _BLOCKS = "\u2500", "\u259f"
"""The first of Unicode's box-drawing characters and the last of its block elements."""


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of the screen: its character, text colour and background."""

    char: str
    colour: Color
    background: Color

    @property
    def contrast(self) -> float:
        return contrast_ratio(self.colour, self.background)

    @property
    def is_text(self) -> bool:
        """Not a space, nor a line or block of a border, a divider or a scrollbar."""
        return (
            not self.char.isspace() and self.char != "\xa0" and not _LINES <= self.char <= _BLOCKS
        )


@dataclass(frozen=True, slots=True)
class Shortfall:
    """Text in ``what`` below ``minimum`` contrast (``text``: its row; ``cell``: the worst)."""

    what: str
    text: str
    cell: Cell
    minimum: float

    def __str__(self) -> str:
        c = self.cell
        return (
            f"{self.what}: {c.char!r} {c.colour.hex} on {c.background.hex} "
            f"{c.contrast:.2f}:1 < {self.minimum:g} in {self.text.strip()!r}"
        )


_XTERM = TerminalTheme(
    (0, 0, 0),
    (229, 229, 229),
    [tuple(EIGHT_BIT_PALETTE[n]) for n in range(8)],
    [tuple(EIGHT_BIT_PALETTE[n]) for n in range(8, 16)],
)
"""The 16 colours as the 256-colour palette's first 16 (QA's reading of a tmux capture)."""


def cells(app: App[Any], system: ColorSystem | None = None) -> list[list[Cell]]:
    """The screen's cells, row by row (a wide character takes one cell here); with
    ``system``, in the colours a terminal of only 256 (``EIGHT_BIT``) or 16 (``STANDARD``)
    colours is sent (Rich's ``Color.downgrade``), shown in xterm's palette."""
    theme = app.ansi_theme_dark if app.current_theme.dark else app.ansi_theme_light
    if system is not None:
        theme = _XTERM
    default = RichColor.default()
    rows: list[list[Cell]] = []
    for row in frame(app):
        shown: list[Cell] = []
        for segment in (segment for strip in row for segment in strip):
            if segment.control:
                continue
            style = segment.style or RichStyle.null()
            fore, back = style.color or default, style.bgcolor or default
            if system is not None:
                fore, back = fore.downgrade(system), back.downgrade(system)
            fore = Color(*fore.get_truecolor(theme, foreground=True))
            back = Color(*back.get_truecolor(theme, foreground=False))
            if style.reverse:
                fore, back = back, fore
            shown.extend(Cell(char, fore, back) for char in segment.text)
        rows.append(shown)
    return rows


def shortfalls(
    screen: list[list[Cell]], region: Region, minimum: float, what: str
) -> list[Shortfall]:
    """The rows of ``region`` whose text falls below ``minimum`` contrast (the worst cell each)."""
    found = []
    for y in range(region.y, region.bottom):
        row = screen[y][region.x : region.right]
        text = [cell for cell in row if cell.is_text]
        worst = min(text, key=lambda cell: cell.contrast, default=None)
        if worst is not None and worst.contrast < minimum:
            found.append(Shortfall(what, "".join(c.char for c in row), worst, minimum))
    return found
