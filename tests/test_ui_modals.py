"""Pilot tests for the dialogs: each is pushed on a tiny host app; its dismissed value checked."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Input, OptionList, Select, Static

from pplx_tui import paths
from pplx_tui.config import ProviderSettings, Settings, load_settings
from pplx_tui.providers import Catalog, build_catalog
from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
from pplx_tui.ui.dialogs.confirm import ConfirmScreen
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from pplx_tui.ui.dialogs.rename import RenameScreen
from tests.support.tui import screen_text, type_text

SECRET = "sk-or-v1-0123456789abcdefSECRET"


class Host(App[None]):
    """Pushes one screen on mount and records what it dismissed with."""

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.dialog = screen
        self.results: list[Any] = []
        self.saved_keys: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("host")

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.results.append)

    def on_api_key_screen_key_saved(self, message: ApiKeyScreen.KeySaved) -> None:
        self.saved_keys.append(message.provider)


def catalog() -> Catalog:
    return build_catalog()


def prompts(screen: Screen[Any]) -> list[str]:
    option_list = screen.query_one(OptionList)
    return [str(option.prompt) for option in option_list.options]


def enabled_ids(screen: Screen[Any]) -> list[str]:
    options = screen.query_one(OptionList).options
    return [option.id for option in options if not option.disabled and option.id]


# -- model picker -------------------------------------------------------------------------------


async def test_picker_opens_on_the_current_model_and_enter_chooses_it() -> None:
    picker = ModelPickerScreen(
        catalog(), ("openrouter", "perplexity/sonar-pro"), lambda name: name == "openrouter"
    )
    app = Host(picker)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [("openrouter", "perplexity/sonar-pro")]


async def test_picker_arrow_keys_move_while_the_filter_keeps_focus() -> None:
    app = Host(ModelPickerScreen(catalog(), None, lambda name: True))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "up", "down")
        assert isinstance(app.focused, Input)
        await pilot.press("enter")
        await pilot.pause()
    # First model is perplexity "fast"; two steps down lands on "medium".
    assert app.results == [("perplexity", "medium")]


async def test_picker_filters_by_words_in_id_label_and_provider() -> None:
    app = Host(ModelPickerScreen(catalog(), None, lambda name: True))
    async with app.run_test() as pilot:
        await pilot.pause()
        await type_text(pilot, "reasoning pro")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ModelPickerScreen)
        assert len(enabled_ids(screen)) == 1  # the one Enter chooses (below)
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [("openrouter", "perplexity/sonar-reasoning-pro")]


async def test_picker_filter_by_provider_shows_groq_notice_and_key_help() -> None:
    app = Host(ModelPickerScreen(catalog(), None, lambda name: name == "openrouter"))
    async with app.run_test() as pilot:
        await pilot.pause()
        await type_text(pilot, "groq")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ModelPickerScreen)
        options = screen.query_one(OptionList).options
        headers = [str(option.prompt) for option in options if option.disabled]
        assert len(headers) == 1 and enabled_ids(screen)  # one provider's models: Groq's
        header = prompts(screen)[0]
        assert header == headers[0] and header.startswith("Groq")
        assert "Groq hosts no Perplexity Sonar model" in header
        assert "https://console.groq.com/keys" in header
        assert "needs a key" in prompts(screen)[1]


async def test_picker_shows_capabilities_and_prices() -> None:
    app = Host(ModelPickerScreen(catalog(), None, lambda name: True))
    async with app.run_test() as pilot:
        await pilot.pause()
        await type_text(pilot, "sonar-pro-search")
        await pilot.pause()
        text = "\n".join(prompts(app.screen))
    assert "Sonar Pro Search" in text
    assert "web search, 200k ctx" in text
    assert "$3/$15 per M tok + $18/1k req" in text


async def test_picker_no_match_then_escape_dismisses_none() -> None:
    app = Host(ModelPickerScreen(catalog(), None, lambda name: True))
    async with app.run_test() as pilot:
        await pilot.pause()
        await type_text(pilot, "zzzz")
        await pilot.pause()
        assert enabled_ids(app.screen) == []
        assert "No model matches zzzz" in prompts(app.screen)[0]
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_picker_clearing_the_filter_shows_everything_again() -> None:
    app = Host(ModelPickerScreen(catalog(), None, lambda name: True))
    async with app.run_test() as pilot:
        await pilot.pause()
        everything = len(enabled_ids(app.screen))
        await type_text(pilot, "demo")
        await pilot.pause()
        assert len(enabled_ids(app.screen)) == 2
        await pilot.press(*["backspace"] * 4)
        await pilot.pause()
        assert len(enabled_ids(app.screen)) == everything
    assert everything == sum(len(p.models) for p in catalog().providers.values())


async def test_picker_demo_needs_no_key() -> None:
    app = Host(ModelPickerScreen(catalog()))
    async with app.run_test() as pilot:
        await pilot.pause()
        await type_text(pilot, "demo reasoning")
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [("demo", "demo/sonar-reasoning")]


async def test_picker_model_without_key_asks_for_one_then_chooses() -> None:
    app = Host(ModelPickerScreen(catalog()))
    async with app.run_test() as pilot:
        await pilot.pause()
        await type_text(pilot, "sonar-pro-search")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ApiKeyScreen)
        assert app.screen.selected_provider is not None
        assert app.screen.selected_provider.name == "openrouter"
        await type_text(pilot, SECRET)
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [("openrouter", "perplexity/sonar-pro-search")]
    assert load_settings().providers["openrouter"].api_key.get_secret_value() == SECRET
    assert app.saved_keys == ["openrouter"]


async def test_picker_key_dialog_writes_the_config_file_for_its_owner_only() -> None:
    config = paths.config_file()
    app = Host(ModelPickerScreen(catalog()))
    async with app.run_test() as pilot:
        await pilot.pause()
        await type_text(pilot, "llama-3.1")
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one(Input).post_message(events.Paste(SECRET))
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [("groq", "llama-3.1-8b-instant")]
    assert load_settings().providers["groq"].api_key.get_secret_value() == SECRET
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


async def test_picker_cancelled_key_dialog_returns_to_the_picker() -> None:
    app = Host(ModelPickerScreen(catalog()))
    async with app.run_test() as pilot:
        await pilot.pause()
        await type_text(pilot, "kimi")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ApiKeyScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ModelPickerScreen)
        assert app.results == []
    assert not paths.config_file().exists()


async def test_picker_click_chooses() -> None:
    app = Host(ModelPickerScreen(catalog(), None, lambda name: True))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await type_text(pilot, "demo/sonar-reasoning")
        await pilot.pause()
        option_list = app.screen.query_one(OptionList)
        # Line 0 is the provider header; lines 2-3 are the model.
        header_lines = len(prompts(app.screen)[0].splitlines())
        await pilot.click(option_list, offset=(4, header_lines))
        await pilot.pause()
    assert app.results == [("demo", "demo/sonar-reasoning")]


async def test_picker_untrusted_labels_are_cleaned() -> None:
    cat = catalog()
    from pplx_tui.providers import ModelInfo

    hostile = ModelInfo(
        id="evil\x1b]52;c;Zm9v\x07/model", label="Evil\x1b[2J", provider="openrouter"
    )
    cat = cat.with_models("openrouter", (hostile,))
    app = Host(ModelPickerScreen(cat, None, lambda name: True))
    async with app.run_test() as pilot:
        await pilot.pause()
        await type_text(pilot, "evil")
        await pilot.pause()
        text = "\n".join(prompts(app.screen))
    assert "\x1b" not in text and "\x07" not in text
    assert "evil/model" in text


# -- API key ------------------------------------------------------------------------------------


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
        app.screen.query_one(Input).post_message(events.Paste(f"  {SECRET}\n "))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == ["groq"]
    assert load_settings().providers["groq"].api_key.get_secret_value() == SECRET


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
        await pilot.press("tab", *SECRET, "enter")
        await pilot.pause()
    assert app.results == ["groq"]
    assert load_settings().providers["groq"].api_key.get_secret_value() == SECRET


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


# -- confirm ------------------------------------------------------------------------------------


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


# -- rename -------------------------------------------------------------------------------------


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
        assert "cannot be empty" in str(app.screen.query_one("#rename-error", Static).content)
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


# -- shared habits ------------------------------------------------------------------------------


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
    saved as Perplexity's. A known prefix now chooses its provider; others change nothing."""
    app = Host(ApiKeyScreen(catalog()))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one(Input).post_message(events.Paste(key))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [provider]
    assert load_settings().providers[provider].api_key.get_secret_value() == key
