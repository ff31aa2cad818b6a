"""Pilot tests for the model picker, pushed on a tiny host app; its dismissed value checked."""

from __future__ import annotations

import stat
from typing import Any

from textual import events
from textual.screen import Screen
from textual.widgets import Input, OptionList

from pplx_tui import paths
from pplx_tui.config import load_settings
from pplx_tui.providers import ModelInfo
from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from tests.support.dialog_host import GROQ_SECRET, SECRET, Host, catalog
from tests.support.tui import screen_lines, type_text, until


def prompts(screen: Screen[Any]) -> list[str]:
    option_list = screen.query_one(OptionList)
    return [str(option.prompt) for option in option_list.options]


def enabled_ids(screen: Screen[Any]) -> list[str]:
    options = screen.query_one(OptionList).options
    return [option.id for option in options if not option.disabled and option.id]


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


async def test_arrows_and_enter_read_in_one_burst_choose_the_model_arrowed_to() -> None:
    """QA in tmux: ctrl+o, then Down and Enter read at once (a fast typist, key repeat, tmux)
    chose the model highlighted before the Down: the filter box took Enter before the Down,
    run once it had bubbled up to the app, moved the highlight."""
    app = Host(ModelPickerScreen(catalog(), None, lambda name: True))
    async with app.run_test() as pilot:
        await pilot.pause()
        for key in ("down", "down", "up", "down", "enter"):
            app.post_message(events.Key(key, "\r" if key == "enter" else None))
        await until(pilot, lambda: bool(app.results))
    assert app.results == [("perplexity", "medium")]  # as pressed one at a time (above)


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
    assert "$3.00/$15.00 per M tok + $18.00/1k req" in text


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
        app.screen.query_one(Input).post_message(events.Paste(GROQ_SECRET))
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [("groq", "llama-3.1-8b-instant")]
    assert load_settings().providers["groq"].api_key.get_secret_value() == GROQ_SECRET
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


def text_column(line: str) -> int:
    """Where the text of a row of the screen starts, past the dialog's border."""
    return len(line) - len(line.lstrip(" │"))


async def test_a_row_wrapped_at_80_columns_goes_on_under_its_own_text() -> None:
    """QA: at 80 columns a model's details ("… $5/1k req · needs a key") wrapped to the
    list's left edge, under the provider's name, as if a line of its own."""
    app = Host(ModelPickerScreen(catalog(), None, lambda name: False))
    async with app.run_test(size=(80, 30)) as pilot:
        await type_text(pilot, "sonar-reasoning-pro")
        details = "web search, reasoning, 128k ctx"
        await until(pilot, lambda: any(details in line for line in screen_lines(app)))
        lines = screen_lines(app)
        row = next(n for n, line in enumerate(lines) if details in line)
        assert "needs a key" in lines[row + 1]  # wrapped, at this width
        assert text_column(lines[row + 1]) == lines[row].index(details), lines[row : row + 2]


async def test_a_gateway_without_models_is_in_the_picker_saying_why_it_has_none() -> None:
    """QA: a gateway with `models = []` was in `pplx models` but missing here, unexplained."""
    from pplx_tui.config import ProviderSettings, Settings
    from pplx_tui.providers import build_catalog

    settings = Settings(providers={"mygw": ProviderSettings(base_url="http://h/v1", models=[])})
    app = Host(ModelPickerScreen(build_catalog(settings), None, lambda name: True))
    async with app.run_test() as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ModelPickerScreen)
        assert any(p.startswith("\nmygw  mygw\n") for p in prompts(screen)), prompts(screen)
        await type_text(pilot, "mygw")
        await pilot.pause()
        (header,) = prompts(screen)
        assert "[providers.mygw] lists no models, so ctrl+o offers none" in header
        assert enabled_ids(screen) == []


async def test_the_highlighted_model_stays_in_view_as_the_terminal_is_resized() -> None:
    """QA (ctrl+o, then 40x12 → 50x15 → 60x20): the list kept its scroll offset while its rows
    re-wrapped to each width (fewer lines above the current model), and "● Sonar Pro", the
    current model, went out of view."""
    current = ("openrouter", "perplexity/sonar-pro")
    app = Host(ModelPickerScreen(catalog(), current, lambda name: True))
    async with app.run_test(size=(40, 12)) as pilot:
        await until(pilot, lambda: "● Sonar Pro" in "\n".join(screen_lines(app)))
        options = app.screen.query_one(OptionList)
        for size in ((50, 15), (60, 20)):
            await pilot.resize_terminal(*size)
            await until(pilot, lambda: app.size == size)  # noqa: B023 (awaited here)
            await pilot.pause()
            shown = "\n".join(screen_lines(app))
            assert "● Sonar Pro" in shown, f"at {size}, {options.scroll_offset}:\n{shown}"
