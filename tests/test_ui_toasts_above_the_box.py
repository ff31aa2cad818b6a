"""Toasts stand above the question box, never over what is typed in it (QA: at 80x24 and 60x20
"Answer copied…", "[n] Source…", the four-line "Key saved…" covered its right half, or all of
it on a small screen, for seconds while the user typed under them)."""

from __future__ import annotations

import pytest
from textual.widgets._toast import Toast

from pplx_tui.ui.dialogs.confirm import ConfirmScreen
from tests.support.tui import demo_app, on_screen, screen_lines, screen_text, until, workspace


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


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_a_toast_shows_once_while_a_dialog_is_open(size: tuple[int, int]) -> None:
    """QA: the daily budget's question asked while "Following 1 background run started
    earlier…" was shown drew that toast twice, the workspace's copy above the question box and
    the dialog's over it, for as long as it stayed (any dialog did so with any toast)."""
    app = demo_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        await until(pilot, lambda: workspace(app).prompt.region.height > 0)
        said = "Following 1 background run started"
        app.notify(said + " earlier; the chat list (ctrl+b) marks its chat.", timeout=30)
        await until(pilot, lambda: on_screen(app, said))
        app.push_screen(ConfirmScreen("Ask anyway?", title="Daily budget", yes_label="Ask anyway"))
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.pause()

        assert [said in line for line in screen_lines(app)].count(True) == 1, screen_text(app)
        app.notify("Key saved.")  # said while the dialog is open: shown too
        await until(pilot, lambda: on_screen(app, "Key saved."))
        app.screen.dismiss(False)
        await until(pilot, lambda: app.screen is workspace(app))
        await pilot.pause()
        assert [said in line for line in screen_lines(app)].count(True) == 1, screen_text(app)
