"""The theme picker (the palette's "Theme") opens on the theme in use, not on the first of the
list (QA: it highlighted ansi-dark whatever the theme was), so Enter keeps it."""

from __future__ import annotations

import pytest
from textual.command import Command, CommandList, CommandPalette

from pplx_tui import paths
from pplx_tui.ui.app import PplxApp
from tests.support.tui import demo_app, screen_lines, until, workspace


def highlighted(app: PplxApp) -> str | None:
    """The theme the open picker highlights."""
    commands = app.screen.query(CommandList)
    if not isinstance(app.screen, CommandPalette) or not commands:
        return None
    option = commands.first().highlighted_option
    return option.hit.text if isinstance(option, Command) else None


@pytest.mark.parametrize("theme", ["pplx-dark", "nord", "tokyo-night"])
async def test_the_theme_picker_opens_on_the_theme_in_use(theme: str) -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'theme = "{theme}"\n')
    config.chmod(0o600)
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: bool(workspace(app).query("#prompt")))
        assert app.theme == theme
        app.action_change_theme()
        await until(pilot, lambda: highlighted(app) == theme, what=f"{theme} highlighted")
        await until(pilot, lambda: any(theme in line for line in screen_lines(app)))
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, CommandPalette))
        assert app.theme == theme
