"""Config that respects its owner: writes keep the user's file; keys never show; keymaps show.

A key saved from the app, a theme chosen in the palette: config.toml keeps its comments, order
and tables. A key read from it is a ``SecretStr``. A key remapped under ``[keymap]`` is the key
the command palette and the key bar name.
"""

from __future__ import annotations

import stat
from pathlib import Path

from textual.widgets import Input

from pplx_tui import paths
from pplx_tui.config import Settings, load_settings, update_config
from pplx_tui.providers import build_catalog
from pplx_tui.session import Target, resolve_target
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.last_model import remember_model
from pplx_tui.ui.themes import remember_theme
from pplx_tui.ui.widgets.key_bar import KeyBar
from tests.support.tui import palette_text, region_text, type_text, until

SECRET = "sk-or-v1-0123456789abcdefOWNERKEY"
HAND_WRITTEN = """\
# My pplx settings — written by hand, please keep my notes.
theme = "pplx-light"   # easier on the eyes in daylight

[search]
# academic sources first
mode = "academic"

[providers.groq]
api_key_env = "MY_GROQ_KEY"  # kept in my password manager
"""


def write_config(text: str) -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text)
    config.chmod(0o600)


def test_a_saved_key_keeps_the_comments_order_and_tables() -> None:
    write_config(HAND_WRITTEN)

    update_config({"providers.openrouter.api_key": SECRET})

    text = paths.config_file().read_text()
    assert text.startswith(HAND_WRITTEN)  # every byte the user wrote, in place
    assert "[providers.openrouter]" in text
    settings = load_settings()
    assert settings.providers["openrouter"].api_key is not None
    assert settings.providers["openrouter"].api_key.get_secret_value() == SECRET
    assert settings.search.mode == "academic"
    assert stat.S_IMODE(paths.config_file().stat().st_mode) == 0o600


def test_a_changed_theme_keeps_the_comment_on_its_line() -> None:
    write_config(HAND_WRITTEN)

    assert remember_theme("pplx-high-contrast") is None

    text = paths.config_file().read_text()
    # (past the comment's column: a space before it)
    assert 'theme = "pplx-high-contrast" # easier on the eyes in daylight' in text
    assert "# academic sources first" in text
    assert "# kept in my password manager" in text


def test_a_changed_value_keeps_its_comment_in_the_column_of_those_under_it() -> None:
    """QA: ``theme = "nord"``, its comment lined up with the next line's, became ``theme =
    "gruvbox"`` with the comment three columns to the right."""
    write_config('theme = "nord"          # I like nord\nlast_model = "x"        # the app\'s\n')

    assert remember_theme("gruvbox") is None
    assert paths.config_file().read_text().startswith('theme = "gruvbox"       # I like nord\n')
    assert remember_theme("nord") is None
    assert paths.config_file().read_text().startswith('theme = "nord"          # I like nord\n')


def test_a_config_that_is_a_link_stays_one_and_its_file_is_written(tmp_path: Path) -> None:
    """QA: config.toml linked from a dotfiles folder was replaced by a plain file on the first
    theme, key or model saved: the dotfiles never saw the change."""
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "pplx.toml"
    real.write_text(HAND_WRITTEN)
    real.chmod(0o600)
    config = paths.config_file()
    config.parent.mkdir(parents=True)
    config.symlink_to(real)

    assert remember_theme("pplx-high-contrast") is None
    update_config({"providers.openrouter.api_key": SECRET})
    assert remember_model(load_target("openrouter")) is None

    assert config.is_symlink() and config.resolve() == real
    text = real.read_text()
    assert 'theme = "pplx-high-contrast" # easier on the eyes in daylight' in text
    assert SECRET in text and 'last_model = "openrouter:perplexity/sonar"' in text
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert sorted(p.name for p in dotfiles.iterdir()) == ["pplx.toml"]  # no temporary left
    assert sorted(p.name for p in config.parent.iterdir()) == ["config.toml"]


def load_target(provider: str) -> Target:
    settings = load_settings()
    return resolve_target(settings, build_catalog(settings), provider=provider)


def test_a_key_is_never_printed_with_the_settings() -> None:
    write_config(f'[providers.openrouter]\napi_key = "{SECRET}"\n')

    settings = load_settings()

    assert SECRET not in repr(settings) and SECRET not in str(settings)
    assert SECRET not in settings.model_dump_json()


async def test_a_key_saved_in_the_app_keeps_the_users_comments() -> None:
    write_config(HAND_WRITTEN)
    app = make_app(provider="openrouter")  # no key yet
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.focused, Input))
        await type_text(pilot, SECRET)
        await pilot.press("enter")
        await until(pilot, lambda: "[providers.openrouter]" in paths.config_file().read_text())

    text = paths.config_file().read_text()
    assert text.startswith(HAND_WRITTEN)
    saved = load_settings().providers["openrouter"].api_key
    assert saved is not None and saved.get_secret_value() == SECRET


async def test_a_remapped_key_is_the_one_the_palette_and_the_key_bar_show() -> None:
    settings = Settings(keymap={"app.pick_model": "f2", "research.new_chat": "f3"})
    app = make_app(settings=settings, demo=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: bool(app.screen.query(KeyBar)))
        bar = region_text(app, app.screen.query_one(KeyBar))
        assert "f2 Model" in bar and "f3 New" in bar
        assert "^o" not in bar and "^n" not in bar

        text = await palette_text(pilot, "Choose model", "model for the next question")
        assert "question (f2)" in text and "^o" not in text and "ctrl+o" not in text

        text = await palette_text(pilot, "New chat", "Start a new chat")
        assert "Start a new chat (f3)" in text and "^n" not in text

        await pilot.press("f2")  # and the remapped key does what it says
        await until(pilot, lambda: type(app.screen).__name__ == "ModelPickerScreen")
