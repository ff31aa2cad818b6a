"""How wide a toast's text is: the app's folded warnings are wrapped to it themselves (their
wrapped rows indented, which Textual's wrap does not do)."""

from __future__ import annotations

from textual.geometry import Size

__all__ = ["SMALL_SCREEN", "small", "text_width"]

SMALL_SCREEN = (60, 16)
"""Under this width or height the app has the ``-small`` class: its toasts span the screen
without blank rows (app.tcss). At 40x12 a toast in half the width, as Textual has it, was 7
rows of the 12 for six seconds."""
_TOAST_WIDTH = 60
"""Textual's toast: 60 columns wide, at most half the screen beside the toast rack's scrollbar
(two columns), a column of padding each side and its coloured edge on the left."""


def small(screen: Size) -> bool:
    """Whether a screen of this size is small (the app's ``-small`` class)."""
    width, height = SMALL_SCREEN
    return screen.width < width or screen.height < height


def text_width(screen: Size) -> int:
    """The columns of a toast's text on a screen of this size (the whole width less its edge
    and padding on a small one)."""
    if small(screen):
        return max(10, screen.width - 3)
    return max(10, min(_TOAST_WIDTH, (screen.width - 2) // 2) - 3)
