"""What a ``[keymap]`` in config.toml leaves in force is what every display shows: a key no
terminal sends leaves the default in force (QA: ``ctrl+nonsense`` showed ``^nonsense
Sources`` and ctrl+s no longer worked), and a key another action has is not taken from it
(QA: ``"research.search_settings" = "ctrl+n"`` dropped New from the key bar while the key
sheet and the palette still named ctrl+n for it)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.binding import Binding
from textual.pilot import Pilot

from pplx_tui import paths
from pplx_tui.models import MessageStatus
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.dialogs.keys import KeysScreen
from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen
from pplx_tui.ui.keys_in_force import resolve_keymap
from pplx_tui.ui.widgets.key_bar import KeyBar
from pplx_tui.ui.widgets.sources_panel import SourcesPanel
from tests.support.answers import focus_conversation, stalled_moons
from tests.support.loopback import LoopbackServer
from tests.support.tui import (
    Notifications,
    ask,
    demo_app,
    loopback_app,
    palette_text,
    region_text,
    send,
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


ANSWER_COMMANDS = {
    "Ask again with another model": ("conversation.other_model", "M"),
    "Ask again with other search settings": ("conversation.other_search", "s"),
    "Next alternative answer": ("conversation.next_alternative", "a"),
    "Previous alternative answer": ("conversation.previous_alternative", "A"),
    "Edit question and resend": ("conversation.edit_question", "^d"),
    "Next version of the question": ("conversation.next_version", "q"),
    "Previous version of the question": ("conversation.previous_version", "Q"),
    "Related questions": ("conversation.related", "f"),
    "Images": ("conversation.images", "i"),
}
"""Palette title → the binding and the key the palette names for it (with the keymap below)."""


async def test_every_answer_command_in_the_palette_names_its_key_in_force() -> None:
    """QA: the palette named ^o, ^r and ^t, but no key for m, s, a, A, ctrl+e, q, Q, f and i
    (a widget's keys were named only while the focus was in it). Every keyed entry names its
    key, as remapped; one of the conversation's, from elsewhere, says where it works."""
    from pplx_tui.ui.widgets.conversation import Conversation

    write_keymap(**{"conversation.other_model": "M", "conversation.edit_question": "ctrl+d"})
    tooltips = {b.id: b.tooltip for b in Conversation.BINDINGS if isinstance(b, Binding)}
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        for where in (" in the conversation", ""):
            if not where:
                await focus_conversation(pilot)
            for title, (binding_id, key) in ANSWER_COMMANDS.items():
                tooltip = tooltips[binding_id]
                listed = " ".join((await palette_text(pilot, title, tooltip[:30])).split())
                assert f"{tooltip} ({key}{where})" in listed, (title, where, listed)
        listed = await palette_text(pilot, "Quit", "Quit the app")
        assert "Quit the app (an answer being written is kept) (^q)" in listed


@pytest.mark.parametrize("stop", ["f10", "escape", "escape,f10"])
async def test_moving_the_stop_key_leaves_escape_going_back_to_the_question_box(stop: str) -> None:
    """QA: with ``"research.stop" = "f10"`` (or the README's own ``"escape"``) Escape in the
    conversation no longer went back to the question box: Textual's keymap took every binding
    off the stop key's old key, the question box's Escape too (both are the workspace's)."""
    write_keymap(**{"research.stop": stop})
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        await focus_conversation(pilot)
        await pilot.press("escape")
        await until(pilot, lambda: workspace(app).prompt.has_focus)
        assert not [text for text in notes.texts() if "keymap" in text]


async def test_moving_the_question_box_key_leaves_escape_stopping_the_answer(
    loopback: LoopbackServer,
) -> None:
    """QA: with ``"research.focus_prompt" = "f8"`` the key bar had no ``esc Stop`` while an
    answer came in, and Escape did not stop it."""
    write_keymap(**{"research.focus_prompt": "f8"})
    stalled = stalled_moons()
    loopback.queue(stalled)
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await send(pilot, "How many moons does Mars have?")
        await until(pilot, lambda: screen.pending is not None)
        await until(pilot, lambda: "esc Stop" in key_bar(app))
        await pilot.press("escape")
        await until(pilot, lambda: screen.pending is None)
        stalled.resume()
        assert screen.chat.messages[-1].status == MessageStatus.INTERRUPTED
        await focus_conversation(pilot)
        await pilot.press("f8")
        await until(pilot, lambda: screen.prompt.has_focus)


async def test_tab_is_not_taken_from_moving_the_focus() -> None:
    """QA: ``"research.compare" = "tab"`` said nothing, and Tab no longer moved the focus
    out of the question box (the key sheet still said "Tab or click to get there")."""
    write_keymap(**{"research.compare": "tab"})
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        [warning] = [text for text in notes.texts("warning") if "keymap" in text]
        assert "'tab' for 'research.compare' ('moving the focus' has it)" in warning
        screen = workspace(app)
        screen.prompt.focus()
        await pilot.press("tab")
        await until(pilot, lambda: app.focused is screen.conversation)
        assert keys_for(await key_sheet(pilot), "Ask the question in the box") == "^t"
