"""The key dialog refuses what no API key holds before it is saved: a second line pasted with
it (the box kept the first line only, and saved it), non-ASCII letters and an absurd length
(every request then refused the saved key)."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input, Static

from pplx_tui import paths
from pplx_tui.config import load_settings
from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
from tests.support.dialog_host import Host, catalog
from tests.support.tui import region_text, until

KEY = "sk-or-v1-abcdef0123456789"


def error_text(app: Host) -> str:
    return str(app.screen.query_one("#api-key-error", Static).content)


async def test_a_key_pasted_over_two_lines_is_refused_not_cut_to_its_first() -> None:
    """QA: a paste of two lines saved its first line only, without a word."""
    app = Host(ApiKeyScreen(catalog(), "openrouter"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.post_message(events.Paste(f"  {KEY}\nabcdef0123456789  \n"))
        await until(pilot, lambda: "line" in error_text(app))
        assert "one line" in region_text(app, app.screen.query_one("#api-key-error"))
        assert app.screen.query_one(Input).value == ""
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ApiKeyScreen)
    assert app.results == []
    assert not paths.config_file().exists()


async def test_a_key_pasted_with_its_final_line_break_is_saved_whole() -> None:
    app = Host(ApiKeyScreen(catalog(), "openrouter"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.post_message(events.Paste(f"  {KEY}abcdef\n"))
        await until(pilot, lambda: app.screen.query_one(Input).value == f"{KEY}abcdef")
        await pilot.press("enter")
        await until(pilot, lambda: app.results == ["openrouter"])
    assert load_settings().providers["openrouter"].api_key.get_secret_value() == f"{KEY}abcdef"


@pytest.mark.parametrize(
    ("key", "said"),
    [
        ("sk-or-v1-ключключ1234567890", "non-ASCII"),
        ("sk-or-v1-" + "a" * 20_000, "too long for a key (20,009 characters)"),
    ],
    ids=["cyrillic", "20,000 characters"],
)
async def test_a_key_no_request_could_send_is_refused(key: str, said: str) -> None:
    """QA: a Cyrillic key was saved, and every request then refused it."""
    app = Host(ApiKeyScreen(catalog(), "openrouter"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one(Input).value = key
        await pilot.press("enter")
        await pilot.pause()
        assert said in error_text(app)
        await pilot.press("enter")  # not a doubt that a second Enter saves anyway
        await pilot.pause()
        assert isinstance(app.screen, ApiKeyScreen)
    assert app.results == []
    assert not paths.config_file().exists()


async def test_what_was_wrong_with_the_key_goes_once_the_key_is_changed() -> None:
    """QA: "Paste a key first." stayed under the box after a good key was pasted, until the
    next Enter."""
    app = Host(ApiKeyScreen(catalog(), "openrouter"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: error_text(app) == "Paste a key first.")
        app.post_message(events.Paste(KEY))
        await until(pilot, lambda: app.screen.query_one(Input).value == KEY)
        await until(pilot, lambda: error_text(app) == "", what=f"still says {error_text(app)!r}")
        assert not app.screen.query_one("#api-key-error").display


async def test_a_key_that_cannot_be_written_names_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """QA (a read-only config folder): "The key was not saved: Permission denied" said
    neither which file nor where."""

    def refused(source: object, target: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("pplx_tui.atomic.os.replace", refused)
    app = Host(ApiKeyScreen(catalog(), "openrouter"))
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        app.post_message(events.Paste(KEY))
        await until(pilot, lambda: app.screen.query_one(Input).value == KEY)
        await pilot.press("enter")
        await until(pilot, lambda: "not saved" in error_text(app))
        said = " ".join(error_text(app).split())
        assert said == f"The key was not saved in {paths.config_file()}: Permission denied."
        assert KEY not in said and isinstance(app.screen, ApiKeyScreen)
    assert app.results == []
