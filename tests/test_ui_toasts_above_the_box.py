"""Toasts stand above the question box, never over what is typed in it (QA: at 80x24 and 60x20
"Answer copied…", "[n] Source…", the four-line "Key saved…" covered its right half, or all of
it on a small screen, for seconds while the user typed under them)."""

from __future__ import annotations

import pytest
from textual.widgets._toast import Toast

from tests.support.tui import demo_app, until, workspace


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (50, 14), (160, 45)])
async def test_a_toast_never_covers_the_question_box(size: tuple[int, int]) -> None:
    app = demo_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        prompt = workspace(app).prompt
        await until(pilot, lambda: prompt.region.height > 0)
        prompt.insert("a question that runs on and on across the whole width of the box " * 2)
        prompt.insert("\nand a second line\nand a third")
        app.notify("Answer copied with its sources, and a few more words to take two rows.")

        def toasts() -> list[Toast]:
            return [t for t in workspace(app).query(Toast) if t.region.height]

        await until(pilot, lambda: bool(toasts()) and prompt.region.height >= 5)
        await pilot.pause()
        for toast in toasts():
            assert not toast.region.overlaps(prompt.region), (toast.region, prompt.region)
            assert toast.region.bottom == prompt.region.y, (toast.region, prompt.region)
