"""The palette's entries from Textual itself: only those that work here (QA: its "Keys" panel
squeezed the answer and listed a "source 0"; its "Screenshot" failed without a reason)."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from pplx_tui.paths import data_dir
from tests.support.tui import Notifications, ask, demo_app, type_text, until, workspace

WIDE = (140, 40)


async def _listed(pilot: Pilot[Any], query: str) -> list[str]:
    """The palette's commands for ``query`` (the palette left open)."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(app.screen, CommandPalette))
    await type_text(pilot, query)
    commands = app.screen.query_one(CommandList)
    await until(pilot, lambda: commands.option_count > 0)
    await pilot.pause(0.3)  # every provider has answered
    return [str(commands.get_option_at_index(n).prompt) for n in range(commands.option_count)]


async def test_the_palette_offers_the_apps_key_sheet_not_textuals_help_panel() -> None:
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Something")
        listed = await _listed(pilot, "Keys")
        keys = [title.splitlines()[0] for title in listed if "Keys" in title]
        assert keys == ["Keys (cheat sheet)"], listed
        await pilot.press("escape")
        theme = await _listed(pilot, "Theme")
        assert any(title.startswith("Theme") for title in theme), theme
        await pilot.press("escape")
        quit_ = await _listed(pilot, "Quit")
        assert any(title.startswith("Quit") for title in quit_), quit_
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is workspace(app))
        assert not app.screen.query("HelpPanel")


async def test_a_screenshot_from_the_palette_is_saved_owner_only_and_its_path_said() -> None:
    """The temporary home has no Downloads folder: the data folder's screenshots, made."""
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        await until(pilot, lambda: workspace(app).prompt.has_focus)
        listed = await _listed(pilot, "Screenshot")
        assert listed and listed[0].startswith("Screenshot"), listed
        await pilot.press("enter")
        await until(pilot, lambda: any("Screenshot saved" in t for t in notes.texts()))
    folder = data_dir() / "screenshots"
    (saved,) = folder.glob("*.svg")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert "<svg" in saved.read_text(encoding="utf-8")
    assert notes.texts("information")[-1] == f"Screenshot saved to {saved}"


async def test_a_screenshot_that_cannot_be_written_says_why_in_one_line(tmp_path: Path) -> None:
    notes = Notifications()
    blocked = data_dir()
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_text("a file where the data folder goes", encoding="utf-8")
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        await until(pilot, lambda: workspace(app).prompt.has_focus)
        app.action_screenshot()
        await until(pilot, lambda: bool(notes.texts("error")))
    (said,) = notes.texts("error")
    assert said.startswith("The screenshot could not be saved to ") and "\n" not in said, said
    assert "Not a directory" in said, said
