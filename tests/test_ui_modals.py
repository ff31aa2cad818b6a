"""Pilot tests for the key, confirm and rename dialogs: each is pushed on a tiny host app; its
dismissed value checked."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.screen import Screen
from textual.widgets import Button, Input, Select, Static

from pplx_tui import paths
from pplx_tui.config import ProviderSettings, Settings, load_settings, update_config
from pplx_tui.providers import build_catalog
from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
from pplx_tui.ui.dialogs.confirm import ConfirmScreen
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from pplx_tui.ui.dialogs.rename import RenameScreen
from pplx_tui.ui.factory import make_app
from tests.support.dialog_host import GROQ_SECRET, SECRET, Host, catalog
from tests.support.tui import screen_lines, screen_text, type_text, until, use_key


def config_mode() -> int:
    return stat.S_IMODE(paths.config_file().stat().st_mode)


async def test_api_key_saved_0600_and_never_shown() -> None:
    app = Host(ApiKeyScreen(catalog(), "openrouter"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, Input)
        assert app.focused.password
        await type_text(pilot, SECRET)
        await pilot.pause()
        shown = screen_text(app)
        assert "•" * 20 in shown  # the masked key is what the screen shows
        assert SECRET not in app.export_screenshot()
        for start in range(0, len(SECRET) - 6):
            assert SECRET[start : start + 6] not in shown
        assert "https://openrouter.ai/keys" in shown
        await pilot.press("enter")
        await pilot.pause()
        assert SECRET not in screen_text(app)
    assert app.results == ["openrouter"]
    assert app.saved_keys == ["openrouter"]
    assert config_mode() == 0o600
    assert load_settings().providers["openrouter"].api_key.get_secret_value() == SECRET


async def test_api_key_pasted_with_whitespace_is_stripped() -> None:
    app = Host(ApiKeyScreen(catalog(), "groq"))
    async with app.run_test() as pilot:
        await pilot.pause()
        app.screen.query_one(Input).post_message(events.Paste(f"  {GROQ_SECRET}\n "))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == ["groq"]
    assert load_settings().providers["groq"].api_key.get_secret_value() == GROQ_SECRET


@pytest.mark.parametrize(("typed", "error"), [("", "Paste a key first"), ("ab cd", "no spaces")])
async def test_api_key_rejects_empty_or_spaced(typed: str, error: str) -> None:
    app = Host(ApiKeyScreen(catalog(), "perplexity"))
    async with app.run_test() as pilot:
        await pilot.pause()
        app.screen.query_one(Input).value = typed
        await pilot.press("enter")
        await pilot.pause()
        assert error in str(app.screen.query_one("#api-key-error", Static).content)
        assert isinstance(app.screen, ApiKeyScreen)
    assert app.results == []
    assert not paths.config_file().exists()


async def test_api_key_escape_saves_nothing() -> None:
    app = Host(ApiKeyScreen(catalog(), "perplexity"))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*"abc", "escape")
        await pilot.pause()
    assert app.results == [None]
    assert not paths.config_file().exists()


async def test_api_key_choose_provider_with_keyboard() -> None:
    app = Host(ApiKeyScreen(catalog()))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, Input)  # a paste lands in the key field (QA Q17)
        assert isinstance(app.screen, ApiKeyScreen)
        names = [p.name for p in app.screen.providers]
        assert names == ["perplexity", "openrouter", "groq"]  # demo takes no key
        await pilot.press("shift+tab")
        assert isinstance(app.focused, Select)
        await pilot.press("enter", "down", "down", "enter")
        await pilot.pause()
        assert app.screen.query_one(Select).value == "groq"
        assert "console.groq.com" in screen_text(app)
        await pilot.press("tab", *GROQ_SECRET, "enter")
        await pilot.pause()
    assert app.results == ["groq"]
    assert load_settings().providers["groq"].api_key.get_secret_value() == GROQ_SECRET


async def test_api_key_for_custom_gateway_keeps_its_table() -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True)
    config.write_text(
        'theme = "pplx-light"\n[providers.mygw]\nbase_url = "http://127.0.0.1:9/v1"\n'
        'models = ["sonar"]\n'
    )
    settings = load_settings()
    app = Host(ApiKeyScreen(build_catalog(settings), "mygw"))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "Add api_key under [providers.mygw]" in screen_text(app)
        await type_text(pilot, SECRET)
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == ["mygw"]
    saved = load_settings()
    assert saved.theme == "pplx-light"
    assert saved.providers["mygw"] == ProviderSettings(
        base_url="http://127.0.0.1:9/v1", models=["sonar"], api_key=SECRET
    )
    assert config_mode() == 0o600


async def test_api_key_notes_environment_and_existing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "gsk_from_env")
    config = paths.config_file()
    config.parent.mkdir(parents=True)
    config.write_text('[providers.groq]\napi_key = "gsk_saved_before"\n')
    app = Host(ApiKeyScreen(catalog(), "groq"))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "GROQ_API_KEY is set in the environment" in shown
        assert "already saved" in shown
        assert "gsk_from_env" not in shown and "gsk_saved_before" not in shown


async def test_api_key_unreadable_config_is_reported_not_overwritten() -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True)
    config.write_text("this is = = not toml\n")
    app = Host(ApiKeyScreen(catalog(), "openrouter"))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await type_text(pilot, SECRET)
        await pilot.press("enter")
        await pilot.pause()
        error = str(app.screen.query_one("#api-key-error", Static).content)
        assert "not changed" in error
        assert SECRET not in error
    assert app.results == []
    assert config.read_text() == "this is = = not toml\n"


@pytest.mark.parametrize(
    ("keys", "destructive", "expected"),
    [
        (("y",), False, [True]),
        (("y", "e", "s"), True, []),  # a destructive question takes no letter for yes
        (("n",), True, [False]),
        (("escape",), True, [False]),
        (("enter",), True, [False]),
        (("shift+tab", "enter"), True, [True]),
    ],
)
async def test_confirm_keys(keys: tuple[str, ...], destructive: bool, expected: list[bool]) -> None:
    app = Host(ConfirmScreen("Delete this chat?", destructive=destructive))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()
    assert app.results == expected


@pytest.mark.parametrize(
    ("dialog", "keys", "after_tab"),
    [
        (  # deleting a chat: no letter says yes, Tab then Enter does
            ConfirmScreen("Delete?", yes_label="Delete", destructive=True),
            ["⏎ No", "tab To Delete", "n No", "esc Cancel"],
            ["⏎ Delete", "tab To No"],
        ),
        (  # a paid request asked again: the same, on its button
            ConfirmScreen("Ask again?", yes_label="Ask again", letter_yes=False),
            ["⏎ No", "tab To Ask again", "n No", "esc Cancel"],
            ["⏎ Ask again", "tab To No"],
        ),
        (  # over the daily budget: y says yes too
            ConfirmScreen("Over budget.", yes_label="Ask anyway"),
            ["⏎ No", "tab To Ask anyway", "y Ask anyway", "n No", "esc Cancel"],
            ["⏎ Ask anyway", "tab To No"],
        ),
    ],
)
async def test_a_confirm_dialog_shows_every_key_that_works_there(
    dialog: ConfirmScreen, keys: list[str], after_tab: list[str]
) -> None:
    """QA: the delete question's key bar read only "n No": Enter, Tab and Escape worked
    unsaid. Every question says its keys the same way, y only where y says yes."""
    app = Host(dialog)
    async with app.run_test(size=(100, 20)) as pilot:
        await until(pilot, lambda: app.screen is dialog and app.focused is not None)
        await pilot.pause()
        bottom = " ".join(screen_lines(app)[-1].split())
        assert bottom.startswith(" ".join(keys)), bottom
        assert ("y " in bottom) == dialog.letter_yes, bottom
        await pilot.press("tab")
        await until(pilot, lambda: " ".join(after_tab) in " ".join(screen_lines(app)[-1].split()))
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [True]


@pytest.mark.parametrize("width", [40, 100])
async def test_a_long_question_fits_the_screen_with_both_its_buttons(width: int) -> None:
    """QA: at 40 columns the Delete question (a long chat title in it) ran off the screen: its
    right border, its last words and its No button were cut off. It fits, and is 40 to 72
    cells wide where there is room."""
    message = "Delete the chat “How many moons does Mars have?”? This cannot be undone."
    app = Host(ConfirmScreen(message, yes_label="Delete", destructive=True))
    async with app.run_test(size=(width, 20)) as pilot:
        await until(pilot, lambda: app.focused is not None)
        await pilot.pause()
        screen = app.screen
        panel = screen.query_one(".confirm--dialog")
        assert panel.region.x >= 0 and panel.region.right <= width, panel.region
        assert min(width, 40) <= panel.region.width <= 72, panel.region
        for button in screen.query(Button):
            assert panel.region.contains_region(button.region), (panel.region, button.region)
        assert "undone." in screen_text(app)


async def test_confirm_click_yes() -> None:
    app = Host(ConfirmScreen("Delete this chat?", yes_label="Delete"))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await pilot.pause()
    assert app.results == [True]


async def test_confirm_message_is_not_markup() -> None:
    app = Host(ConfirmScreen("Delete [b]chat[/b] \x1b[31mnow?"))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "[b]chat[/b]" in screen_text(app)


async def test_rename_enter_keeps_prefilled_text() -> None:
    app = Host(RenameScreen("Kyoto trip"))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.screen.query_one(Input).value == "Kyoto trip"
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == ["Kyoto trip"]


async def test_rename_typing_replaces_the_selected_text() -> None:
    app = Host(RenameScreen("Kyoto trip"))
    async with app.run_test() as pilot:
        await pilot.pause()
        await type_text(pilot, "Osaka")
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == ["Osaka"]


async def test_rename_arrow_key_edits_the_text() -> None:
    app = Host(RenameScreen("Kyoto trip"))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("end", *" 2026", "enter")
        await pilot.pause()
    assert app.results == ["Kyoto trip 2026"]


async def test_rename_refuses_empty_and_trims() -> None:
    app = Host(RenameScreen("Kyoto trip"))
    async with app.run_test() as pilot:
        await pilot.pause()
        app.screen.query_one(Input).value = "   "
        await pilot.press("enter")
        await pilot.pause()
        assert str(app.screen.query_one("#rename-error", Static).content) == (
            "The name cannot be empty."
        )
        assert app.results == []
        app.screen.query_one(Input).value = "  New\tname  "
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == ["New name"]


async def test_rename_escape_dismisses_none() -> None:
    app = Host(RenameScreen("Kyoto trip"))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*"abc", "escape")
        await pilot.pause()
    assert app.results == [None]


@pytest.mark.parametrize(
    "screen_class", [ModelPickerScreen, ApiKeyScreen, ConfirmScreen, RenameScreen]
)
def test_bindings_have_ids_and_tooltips(screen_class: type[Screen[Any]]) -> None:
    for binding in screen_class.BINDINGS:
        assert not isinstance(binding, tuple)
        assert binding.id and binding.tooltip, binding


def test_no_keys_in_test_settings(tmp_path: Path) -> None:
    """The conftest isolation holds: nothing here reads a real config."""
    assert str(paths.config_file()).startswith(str(tmp_path))
    assert Settings().providers == {}


@pytest.mark.parametrize(
    ("key", "provider"),
    [("gsk_0123456789abcdef", "groq"), (SECRET, "openrouter"), ("abc0123456789", "perplexity")],
)
async def test_api_key_pasted_picks_the_provider_its_prefix_names(key: str, provider: str) -> None:
    """QA Q17: from the demo the dialog offers Perplexity; a pasted Groq or OpenRouter key was
    saved as Perplexity's. A known prefix now chooses its provider; others change nothing (and
    are saved on a second Enter: they do not look like Perplexity's)."""
    app = Host(ApiKeyScreen(catalog()))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one(Input).post_message(events.Paste(key))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        if provider == "perplexity":
            await pilot.press("enter")
            await pilot.pause()
    assert app.results == [provider]
    assert load_settings().providers[provider].api_key.get_secret_value() == key


async def test_the_whole_key_dialog_fits_80x24_with_both_notes_and_an_error() -> None:
    """QA: at 80x24, with the key in the environment and one saved (two notes) and an error
    of two lines, the dialog covered the app's header row and scrolled its "Provider" label
    out of view. All of it shows, from its title row to its buttons, under the header."""
    update_config({"providers.perplexity.api_key": "pplx-abcdefabcdefabcdefabcdef"})
    use_key("PERPLEXITY_API_KEY", "pplx-0123456789abcdef")
    app = make_app(provider="perplexity", model="sonar")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.focused, Input))
        await type_text(pilot, "abc")
        await pilot.press("enter")  # "This does not look like a Perplexity key (pplx-…): …"
        screen = app.screen
        assert isinstance(screen, ApiKeyScreen)
        await until(pilot, lambda: screen.query_one("#api-key-error", Static).display)
        await pilot.pause()
        panel = screen.query_one(".api-key--dialog")
        assert panel.max_scroll_y == 0, panel.region  # nothing scrolled out of view
        assert panel.region.y >= 1, panel.region  # under the header
        assert panel.region.bottom <= 23, panel.region  # above the key bar
        assert "Provider" in screen_text(app)


@pytest.mark.parametrize("size", [(80, 24), (100, 29)])
async def test_under_30_rows_the_key_dialog_leaves_the_workspace_in_place(
    size: tuple[int, int],
) -> None:
    """QA: under 30 rows the workspace under the key dialog moved down a row (row 0 blank, the
    header on row 1) and the frame kept blank rows. The header stays on row 0 and the frame
    has none: from its title row to its bottom edge, every row says something."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: "pplx" in screen_lines(app)[0])
        header = screen_lines(app)[0]
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, ApiKeyScreen))
        await pilot.pause()
        lines = screen_lines(app)
        assert lines[0] == header, lines
        panel = app.screen.query_one(".api-key--dialog").region
        assert panel.y >= 1 and panel.bottom <= size[1] - 1, panel
        inside = [line[panel.x + 1 : panel.right - 1] for line in lines[panel.y : panel.bottom]]
        assert all(row.strip() for row in inside[1:-1]), "\n".join(inside)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_key_dialog_fits_a_small_terminal_with_its_note_and_error(
    size: tuple[int, int],
) -> None:
    """QA: with its note (the provider's key is in the environment) and an error, the key dialog
    grew past a 24-row terminal: its frame's bottom went off screen, and at 60x20 its buttons
    too. It now fits (it scrolls within its frame if it must), buttons and all."""
    use_key("PERPLEXITY_API_KEY", "pplx-0123456789abcdef")
    app = Host(ApiKeyScreen(catalog(), "perplexity"))
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press("enter")  # no key typed: "Paste a key first."
        screen = app.screen
        error = screen.query_one("#api-key-error", Static)
        await until(pilot, lambda: error.display)
        assert screen.query_one("#api-key-note", Static).display
        await pilot.pause()
        panel = screen.query_one(".api-key--dialog")
        assert panel.region.bottom <= size[1] - 1, panel.region  # above the key bar
        save = screen.query_one("#api-key-save")
        save.focus()  # as Tab reaches it: scrolled into view if the dialog scrolls
        await until(pilot, lambda: save.has_focus)
        await pilot.pause()
        assert panel.region.contains_region(save.region), (panel.region, save.region)
