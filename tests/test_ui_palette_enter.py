"""Enter in the palette runs the command its whole query names, however soon it follows the
typing (QA: a name pasted and Enter pressed at once opened "Choose a model", the first entry
of the list shown before the search for the pasted text had finished)."""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.command import CommandPalette

from pplx_tui.ui.commands import PaletteInput
from pplx_tui.ui.dialogs.keys import KeysScreen
from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen
from tests.support.tui import demo_app, until


def paste_then_enter(app: Any, text: str) -> None:
    """The terminal's paste and the Enter after it, handed to the app before either is handled."""
    box = app.screen.query_one(PaletteInput)
    paste = events.Paste(text)
    paste.set_sender(app)
    box.post_message(paste)
    enter = events.Key("enter", None)
    enter.set_sender(app)
    app.post_message(enter)


@pytest.mark.parametrize(
    ("query", "opened"),
    [("Keys (cheat sheet)", KeysScreen), ("Search settings", SearchSettingsScreen)],
)
async def test_enter_right_after_a_pasted_command_name_runs_that_command(
    query: str, opened: type[Any]
) -> None:
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await until(pilot, lambda: bool(app.screen.query("CommandList")))
        paste_then_enter(app, query)
        await until(pilot, lambda: not isinstance(app.screen, CommandPalette))
        await pilot.pause()
        assert type(app.screen) is opened, type(app.screen)
