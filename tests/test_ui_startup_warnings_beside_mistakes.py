"""At 80x24 the start toast keeps to a third of the screen: a long mistake of config.toml is
shortened so the warnings after it (the chosen theme's, config.toml readable by others) are
shown, not only counted (QA)."""

from __future__ import annotations

import pytest
from textual.widgets._toast import Toast

from pplx_tui import paths
from pplx_tui.ui.factory import make_app
from tests.support.tui import Notifications, until


def write_config(text: str, mode: int = 0o600) -> None:
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


def bad_themes() -> None:
    """``mine.toml`` without ``primary`` and a few other theme files that cannot be used."""
    folder = paths.user_themes_dir()
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text('name = "mine"\nbackground = "#000000"\n')
    for name in ("one", "two", "three"):
        (folder / f"{name}.toml").write_text(f'name = "{name}"\nprimary = 12\n')


async def start_toast(size: tuple[int, int]) -> tuple[str, int]:
    """The start toast's text, a warning a line, and its height."""
    notes = Notifications()
    app = make_app(demo=True)
    async with app.run_test(size=size, message_hook=notes, notifications=True) as pilot:
        await until(pilot, lambda: bool(app.screen.query(Toast)))
        await pilot.pause()
        (toast,) = app.screen.query(Toast)
        height = toast.region.height
        (note,) = app._notifications
    return note.message.replace("\n  ", " "), height  # (each warning's wrapped rows joined)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_long_mistake_is_shortened_for_the_theme_warning(size: tuple[int, int]) -> None:
    bad_themes()
    write_config('theme = "mine"\nfoo = 1\n')

    text, height = await start_toast(size)

    assert height <= size[1] // 3, text
    assert "\n• Theme 'mine' not used: mine.toml: 'primary' is missing" in text, text
    assert text.startswith("• config.toml (line ") and "unknown key" in text, text


async def test_a_long_mistake_is_shortened_for_the_chmod_warning() -> None:
    write_config("foo = 1\n", mode=0o644)

    text, height = await start_toast((80, 24))

    assert height <= 24 // 3, text
    assert "chmod 600" in text, text
    assert text.startswith("• config.toml (line ") and "unknown key" in text, text
    assert "more warning" not in text, text


async def test_two_mistakes_beside_the_theme_warning_show_what_fits() -> None:
    """QA: "config.toml has 2 mistakes:" / "and 2 more mistakes" (none listed) / "and 5 more
    warnings": nothing said but counts."""
    bad_themes()
    write_config('theme = "mine"\nfoo = 1\nbar = 2\n')

    text, height = await start_toast((80, 24))

    assert height <= 24 // 3, text
    assert "\n• Theme 'mine' not used: mine.toml: 'primary' is missing" in text, text
    assert text.startswith("• config.toml has 2 mistakes"), text
    assert "more mistake" not in text, text


async def test_an_unknown_theme_is_said_beside_two_mistakes_and_the_chmod_warning() -> None:
    """At 80x24 the unknown theme's warning loses its advice ("Add your own as …") before it
    is left out (the log has it whole)."""
    write_config('theme = "mine"\nfoo = 1\nbar = 2\n', mode=0o644)

    text, height = await start_toast((80, 24))

    assert height <= 24 // 3, text
    assert "\n• config.toml: no theme is named 'mine'; using pplx-dark." in text, text
    assert text.startswith("• config.toml has 2 mistakes"), text
    assert "more mistake" not in text, text
