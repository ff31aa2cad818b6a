"""An ANSI theme (ansi-dark, ansi-light) is drawn in the terminal's own colours however it was
chosen, and without colour (``NO_COLOR``) in the terminal's default ones. QA: with NO_COLOR an
ANSI theme was drawn black on black (greys of colours that have no value), and ansi-dark set in
config.toml was drawn in the app's colours, not the terminal's."""

from __future__ import annotations

import pytest
from rich.style import Style
from textual.color import Color
from textual.filter import ANSIToTruecolor

from pplx_tui import paths
from pplx_tui.ui.app import PplxApp
from tests.support.tui import ask, demo_app, frame, on_screen, until


def theme_in_config(name: str) -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'theme = "{name}"\n')
    config.chmod(0o600)


def unreadable(app: PplxApp) -> list[str]:
    """The text the terminal is sent (the app's filters applied) in one colour on the same."""
    found = []
    for row in frame(app):
        for strip in row:
            for each in app._filters:
                strip = strip.apply_filter(each, Color(0, 0, 0))
            for text, style, control in strip:
                if control or not text.strip() or style is None:
                    continue
                if _same(style):
                    found.append(text)
    return found


def _same(style: Style) -> bool:
    fore, back = style.color, style.bgcolor
    if fore is None or back is None or fore.is_default or back.is_default:
        return False
    return fore.get_truecolor() == back.get_truecolor()


def converts_ansi(app: PplxApp) -> bool:
    return any(f.enabled for f in app._filters if isinstance(f, ANSIToTruecolor))


@pytest.mark.parametrize("chosen", ["config", "palette"])
@pytest.mark.parametrize("theme", ["ansi-light", "ansi-dark"])
async def test_without_colour_an_ansi_theme_is_drawn_readable(
    monkeypatch: pytest.MonkeyPatch, theme: str, chosen: str
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    if chosen == "config":
        theme_in_config(theme)
    app = demo_app()
    async with app.run_test(size=(110, 30)) as pilot:
        if chosen == "palette":
            app.theme = theme
        await ask(pilot, "How many moons does Mars have?")
        await until(pilot, lambda: on_screen(app, "Phobos"))
        assert app.theme == theme
        assert unreadable(app) == []


@pytest.mark.parametrize("chosen", ["config", "palette"])
async def test_an_ansi_theme_is_drawn_in_the_terminal_s_colours_however_chosen(
    chosen: str,
) -> None:
    if chosen == "config":
        theme_in_config("ansi-dark")
    app = demo_app()
    async with app.run_test(size=(110, 30)) as pilot:
        if chosen == "palette":
            app.theme = "ansi-dark"
            await pilot.pause()
        assert app.theme == "ansi-dark" and not converts_ansi(app)
        app.theme = "pplx-dark"
        await pilot.pause()
        assert converts_ansi(app)


def backgrounds_of_row(app: PplxApp, text: str) -> set[str]:
    """The background colours the row showing ``text`` is drawn on, under its text."""
    for row in frame(app):
        segments = [segment for strip in row for segment in strip if not segment.control]
        if text in "".join(segment.text for segment in segments):
            return {
                str(segment.style.bgcolor)
                for segment in segments
                if segment.text.strip() and segment.style is not None
                if text.startswith(segment.text.strip()) or segment.text.strip() in text
            }
    raise AssertionError(f"no row shows {text!r}")


@pytest.mark.parametrize("theme", ["ansi-light", "ansi-dark"])
async def test_the_model_picker_marks_its_highlighted_model_in_an_ansi_theme(theme: str) -> None:
    """QA: the picker's list is not focused (the filter is), and an ANSI theme gives a blurred
    highlight no colour of its own: the highlighted model looked like any other."""
    theme_in_config(theme)
    app = demo_app()
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("ctrl+o")
        await until(pilot, lambda: on_screen(app, "Compound Mini"))
        highlighted = backgrounds_of_row(app, "Demo Sonar (offline)")
        other = backgrounds_of_row(app, "Compound Mini")
        assert highlighted and highlighted.isdisjoint(other), (highlighted, other)
