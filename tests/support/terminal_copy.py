"""What a terminal would show of a headless app: only what each refresh redraws reaches it.

Textual writes to the terminal only the regions its compositor marks dirty; whatever is left
out stays on the terminal as it was drawn before, even when the app's own frame
(:func:`~tests.support.tui.screen_lines`, ``export_screenshot``) no longer has it. A
:class:`TerminalCopy` keeps the cells each refresh of the screen on top writes, as the terminal
would: the notice QA saw left on screen after it had gone shows here, not in the app's frame.
A test watching for such a thing does not read the app's frame meanwhile: drawing it looks the
screen's layout up again, which can hide what the app left undrawn.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from textual.app import App
from textual.geometry import Region, Size
from textual.screen import Screen

from tests.support.tui import frame_cells

__all__ = ["TerminalCopy", "terminal_copy"]


class TerminalCopy:
    """The cells on the terminal ``app`` draws on, as its refreshes have written them."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.rows: list[list[str]] = []
        self._size = Size(0, 0)

    def write(self, regions: list[Region], size: Size) -> None:
        """Write ``regions`` of the app's frame now (the refresh's dirty regions, on a screen
        of ``size``)."""
        drawn = frame_cells(self.app)
        if size != self._size or size.region in regions:
            self.rows, self._size = drawn, size  # a new size, or the whole screen: all of it
            return
        for region in (region.intersection(size.region) for region in regions):
            for y in range(region.y, min(region.bottom, len(drawn))):
                row, source = self.rows[y], drawn[y]
                end = min(region.right, len(source))
                if len(row) < end:
                    row.extend(" " * (end - len(row)))
                row[region.x : end] = source[region.x : end]

    def lines(self) -> list[str]:
        """The terminal's rows as text (trailing spaces dropped)."""
        return ["".join(cells).replace("\xa0", " ").rstrip() for cells in self.rows]

    def text(self) -> str:
        return "\n".join(self.lines())


@contextlib.contextmanager
def terminal_copy(app: App[Any]) -> Iterator[TerminalCopy]:
    """Keep a :class:`TerminalCopy` of ``app`` while in the block (around ``run_test``)."""
    copy = TerminalCopy(app)
    refresh = Screen._compositor_refresh

    def refresh_copied(screen: Screen[Any]) -> None:
        if screen.app is not app or screen is not app.screen:
            refresh(screen)
            return
        compositor = screen._compositor
        dirty = list(compositor._dirty_regions)
        refresh(screen)
        if dirty:
            copy.write(dirty, compositor.size)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Screen, "_compositor_refresh", refresh_copied)
        yield copy
