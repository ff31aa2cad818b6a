"""A toast does not cover the marker the reading cursor is on.

QA (tmux, 80x24): the demo's answer to "How many moons does Mars have?", Tab, ``5``: the cursor
went to [5] on the answer's last rows, and the toast naming the source, standing above the
question box, was drawn over it for its two seconds. The view cannot scroll further at a
chat's end: the toasts stand right above the marker's line instead, while they would cover it.
"""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widgets._toast import Toast

from pplx_tui.ui.widgets.answer_text import AnswerText
from tests.support.tui import ask, demo_app, until, workspace


def marker_cells(app) -> list[Region]:  # type: ignore[no-untyped-def]
    """Where the reading cursor's marker is drawn on the screen (each of its lines' cells)."""
    for segment in workspace(app).query(AnswerText):
        spot = segment.cursor
        if spot is not None:
            x, y = segment.content_region.offset
            return [
                Region(x + start, y + line, end - start, 1) for line, start, end in spot.pieces()
            ]
    return []


def toasts(app) -> list[Toast]:  # type: ignore[no-untyped-def]
    return [toast for toast in workspace(app).query(Toast) if toast.region.height]


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (50, 14)])
async def test_the_toast_of_a_source_jumped_to_stands_clear_of_its_marker(
    size: tuple[int, int],
) -> None:
    app = demo_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = workspace(app)
        await ask(pilot, "How many moons does Mars have?")
        assert not screen.sources.display  # (the source is said in a toast)
        screen.conversation.focus()
        await pilot.press("5")
        await until(pilot, lambda: bool(toasts(app)) and bool(marker_cells(app)))
        await pilot.pause()
        await pilot.pause()
        view = screen.conversation.content_region
        for cells in marker_cells(app):
            assert view.contains_region(cells), (cells, view)  # (scrolled into view)
            for toast in toasts(app):
                assert not toast.region.overlaps(cells), (toast.region, cells)
        for toast in toasts(app):  # over the conversation still, not the question box
            assert not toast.region.overlaps(screen.prompt.region)

        await pilot.press("1")  # (at the answer's top: the toasts stand where they stood)
        await until(pilot, lambda: any(n.message.startswith("[1]") for n in app._notifications))
        above_the_box = [screen.prompt.region.y]
        await until(pilot, lambda: [t.region.bottom for t in toasts(app)][-1:] == above_the_box)
