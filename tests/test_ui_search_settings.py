"""The search settings editor driven by keys (issue 10 item 1): one key press per change,
Enter saves, bad dates and domains are refused in one line, Escape keeps the old settings."""

from __future__ import annotations

from textual.widgets import Static

from pplx_tui.models import SearchSettings
from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen
from tests.test_ui_search_snapshots import EDITED, EditorApp


async def test_arrows_change_choices_and_enter_saves() -> None:
    app = EditorApp(EDITED, "openrouter", "perplexity/sonar")
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        # recency month → year; down to mode (after, before, domains between): academic → sec
        await pilot.press("right", "down", "down", "down", "down", "right")
        await pilot.press("down", "left")  # context: default → high (wraps)
        await pilot.press("down", "right")  # no web search
        await pilot.press("enter")
        await pilot.pause()

    assert app.result == SearchSettings(
        recency="year",
        domains=EDITED.domains,
        mode="sec",
        context_size="high",
        disable_search=True,
    )


async def test_typed_dates_and_domains_are_checked_and_normalised() -> None:
    app = EditorApp(SearchSettings(), "perplexity", "perplexity/sonar")
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down")
        await pilot.press(*"2025-03-15", "down", *"12/31/2025", "down")
        await pilot.press(*"Nature.com -pinterest.com https://x.org", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchSettingsScreen)  # refused: still open
        error = screen.query_one("#search-error", Static)
        assert error.display and "not a URL" in str(error.render())
        await pilot.press(*["backspace"] * len(" https://x.org"), "enter")
        await pilot.pause()

    assert app.result == SearchSettings(
        after_date="03/15/2025",
        before_date="12/31/2025",
        domains=["nature.com", "-pinterest.com"],
    )


async def test_notes_follow_the_settings_and_escape_cancels() -> None:
    app = EditorApp(SearchSettings(recency="week"), "openrouter", "perplexity/sonar")
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        note = screen.query_one("#note-recency", Static)
        assert not note.display
        await pilot.press("down", *"01/01/2025")
        await pilot.pause()
        assert note.display and "the dates win" in str(note.render())
        assert not screen.query_one("#note-mode", Static).display  # chat completions: honoured
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "default search" in str(screen.query_one("#search-summary", Static).render())
        await pilot.press("escape")
        await pilot.pause()

    assert app.result is None
