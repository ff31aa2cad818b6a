"""What a ``[keymap]`` in config.toml leaves in force is what every display shows: a key no
terminal sends leaves the default in force (QA: ``ctrl+nonsense`` showed ``^nonsense
Sources`` and ctrl+s no longer worked), and a key another action has is not taken from it
(QA: ``"research.search_settings" = "ctrl+n"`` dropped New from the key bar while the key
sheet and the palette still named ctrl+n for it)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from pplx_tui import paths
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.dialogs.keys import KeysScreen
from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen
from pplx_tui.ui.keys_in_force import resolve_keymap
from pplx_tui.ui.widgets.key_bar import KeyBar
from pplx_tui.ui.widgets.sources_panel import SourcesPanel
from tests.support.tui import (
    Notifications,
    demo_app,
    palette_text,
    region_text,
    until,
    workspace,
)

WIDE = (150, 40)


def write_keymap(**keys: str) -> None:
    """config.toml (the test's own) with ``keys`` under ``[keymap]``."""
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(f'"{name}" = "{key}"\n' for name, key in keys.items())
    config.write_text(f"[keymap]\n{lines}")


def keys_for(rows: dict[str, str], what: str) -> str:
    """The keys of the key sheet row whose text starts with ``what``."""
    return next(keys for text, keys in rows.items() if text.startswith(what))


def key_bar(app: PplxApp) -> str:
    return region_text(app, workspace(app).query_one(KeyBar))


async def key_sheet(pilot: Pilot[Any]) -> dict[str, str]:
    """The key sheet's "Anywhere" rows (what → keys), read with F1 and closed again."""
    app = pilot.app
    await pilot.press("f1")
    await until(pilot, lambda: isinstance(app.screen, KeysScreen))
    sheet = app.screen
    assert isinstance(sheet, KeysScreen)
    rows = {what: keys for keys, what in sheet.sections[0][1]}
    await pilot.press("escape")
    await until(pilot, lambda: not isinstance(app.screen, KeysScreen))
    return rows


async def test_a_key_no_terminal_sends_leaves_the_default_in_force() -> None:
    write_keymap(**{"research.toggle_sources": "ctrl+nonsense"})
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        await until(pilot, lambda: "^s Sources" in key_bar(app))
        assert "nonsense" not in key_bar(app)
        assert any("'ctrl+nonsense'" in text for text in notes.texts("warning"))
        assert "^s" in keys_for(await key_sheet(pilot), "Show or hide the sources")
        panel = workspace(app).query_one(SourcesPanel)
        shown = panel.display
        await pilot.press("ctrl+s")
        await until(pilot, lambda: panel.display != shown)


async def test_a_key_another_action_has_is_not_taken_from_it() -> None:
    write_keymap(**{"research.search_settings": "ctrl+n"})
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        await until(pilot, lambda: "^n New" in key_bar(app))
        [warning] = [text for text in notes.texts("warning") if "keymap" in text]
        assert "'ctrl+n' for 'research.search_settings'" in warning
        assert "'research.new_chat' has it" in warning
        rows = await key_sheet(pilot)
        assert rows["Start a new chat"] == "^n"
        assert keys_for(rows, "Recency") == "^g"
        listed = await palette_text(pilot, "Search settings", "Recency")
        assert "(^g)" in listed and "(^n)" not in listed
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, SearchSettingsScreen))


async def test_a_key_freed_in_the_same_keymap_moves() -> None:
    """Giving new chat another key frees ctrl+n for the search settings."""
    write_keymap(**{"research.search_settings": "ctrl+n", "research.new_chat": "f9"})
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        await until(pilot, lambda: "f9 New" in key_bar(app))
        rows = await key_sheet(pilot)
        assert rows["Start a new chat"] == "f9"
        assert keys_for(rows, "Recency") == "^n"
        assert not [text for text in notes.texts() if "keymap" in text]
        await pilot.press("ctrl+n")
        await until(pilot, lambda: isinstance(app.screen, SearchSettingsScreen))


def test_two_remaps_onto_one_key_both_keep_their_own() -> None:
    in_force, refused = resolve_keymap({"research.stop": "f5", "research.keys": "f5,f3"})
    assert in_force == {"research.keys": "f3"}
    assert {(key, name) for key, name, _ in refused} == {
        ("f5", "research.stop"),
        ("f5", "research.keys"),
    }


def test_a_swap_stands_and_other_places_may_share_a_key() -> None:
    keymap = {
        "research.new_chat": "ctrl+b",
        "research.toggle_chats": "ctrl+n",
        "sources.open": "v",  # v is the conversation's: another place
    }
    assert resolve_keymap(keymap) == (keymap, [])


def test_the_app_keeps_quit_and_the_add_key_key_everywhere() -> None:
    _, refused = resolve_keymap({"conversation.copy_answer": "ctrl+q", "sources.open": "ctrl+k"})
    assert set(refused) == {
        ("ctrl+q", "conversation.copy_answer", "quit"),
        ("ctrl+k", "sources.open", "app.add_key"),
    }
