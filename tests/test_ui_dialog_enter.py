"""The Enter that closes a dialog is the dialog's: it never also sends the question waiting in
the question box under it (QA: Enter saving the search settings sent the draft)."""

from __future__ import annotations

from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen
from tests.support.tui import demo_app, until, workspace


async def test_enter_saving_the_search_settings_leaves_the_draft_unsent() -> None:
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: bool(workspace(app).query("#prompt")))
        prompt = workspace(app).prompt
        prompt.focus()
        prompt.insert("a question still being written")
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, SearchSettingsScreen))
        await pilot.press("right", "enter")  # recency: hour, then save
        await until(pilot, lambda: app.screen is workspace(app))
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert workspace(app).chat.messages == []
        assert prompt.text == "a question still being written"
