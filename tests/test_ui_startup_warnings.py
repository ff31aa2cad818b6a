"""Several warnings at start (keymap mistakes, a theme file, a corrupt chat) are one toast that
leaves most of the screen readable; what does not fit is counted and logged."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from textual.widgets._toast import Toast

from pplx_tui import paths
from pplx_tui.store import ChatStore
from tests.support.tui import demo_app, until

WARNINGS = (
    "'ctrl+n' for 'research.search_settings'",  # another action's key
    "'ctrl+nonsense'",  # a key no terminal sends
    "broken.toml skipped",
    "chat 0broken could not be read",
)
"""A piece of each warning's text."""


def four_mistakes() -> None:
    """config.toml's keymap with two mistakes, a broken theme file and a corrupt chat."""
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        '[keymap]\n"research.search_settings" = "ctrl+n"\n"app.pick_model" = "ctrl+nonsense"\n'
    )
    config.chmod(0o600)
    paths.user_themes_dir().mkdir(parents=True)
    (paths.user_themes_dir() / "broken.toml").write_text('name = "broken"\nprimary = 12\n')
    store = ChatStore()
    store.root.mkdir(parents=True, exist_ok=True)
    (store.root / "0broken.json").write_text("{", encoding="utf-8")


def toasts(app: object) -> list[Toast]:
    from textual.app import App

    assert isinstance(app, App)
    return list(app.screen.query(Toast))


@pytest.mark.parametrize(
    ("size", "highest"),
    # a third of the screen (the ctrl+k dialog's Save stays clear at 120x40), or one warning
    [((80, 24), 12), ((120, 40), 13)],
)
async def test_several_warnings_at_start_are_one_toast_a_third_of_the_screen_high(
    size: tuple[int, int], highest: int, caplog: pytest.LogCaptureFixture
) -> None:
    """QA: four warnings at start were four toasts covering half an 80x24 screen for ten
    seconds, the oldest pushed off the top and the newest cut off at the bottom."""
    four_mistakes()
    app = demo_app()
    with caplog.at_level(logging.WARNING):
        async with app.run_test(size=size, notifications=True) as pilot:
            # (the corrupt chat is found by the chat list, after the first frame)
            await until(pilot, lambda: any(n.title == "4 warnings" for n in app._notifications))
            await until(pilot, lambda: len(toasts(app)) == 1 and toasts(app)[0].size.height)
            (toast,) = toasts(app)
            (note,) = app._notifications
            assert toast.outer_size.height <= highest, note.message
    assert note.severity == "warning"
    shown = [piece for piece in WARNINGS if piece in note.message]
    left_out = [piece for piece in WARNINGS if piece not in shown]
    assert shown, note.message
    if left_out:
        more = re.search(r"and (\d) more warnings? — see pplx\.log", note.message)
        assert more and int(more.group(1)) == len(left_out), note.message
        assert all(piece in caplog.text for piece in left_out), caplog.text
    else:
        assert "more" not in note.message


async def test_one_warning_at_start_is_a_toast_of_its_own_words() -> None:
    paths.user_themes_dir().mkdir(parents=True)
    (paths.user_themes_dir() / "broken.toml").write_text('name = "broken"\nprimary = 12\n')
    app = demo_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until(pilot, lambda: bool(app._notifications))
        (note,) = app._notifications
    themes = paths.user_themes_dir().relative_to(Path.home())  # (the home folder said as ~)
    assert note.title == "" and note.message.startswith(f"Theme ~/{themes}/broken.toml")
