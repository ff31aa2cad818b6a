"""QA-34: keys that arrive together (a key held or pressed twice quickly, a double Enter) open a
dialog once and close it once.

A terminal hands the app every key of a burst before the first is handled, and a widget's key
(``m`` on an answer) or a dialog's Enter is handled in that widget's own queue: the second key
of the pair found the workspace still under it and pushed the same dialog again, or closed a
dialog already closed (which closed the workspace under it: the app ended with an error).
Here both keys are posted at once, as the terminal's input thread does.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import Input

from pplx_tui.store import ChatStore
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
from pplx_tui.ui.dialogs.compare_picker import ComparePickerScreen
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from pplx_tui.ui.dialogs.rename import RenameScreen
from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen
from pplx_tui.ui.widgets.comparison import Comparison
from pplx_tui.ui.widgets.find_bar import FindBar
from tests.support.answers import focus_conversation
from tests.support.chats import titled_chat
from tests.support.key_bursts import post_at_once
from tests.support.tui import (
    Notifications,
    ask,
    demo_app,
    find_in_chat,
    settle,
    type_text,
    until,
    workspace,
)


async def burst(pilot: Pilot[Any], *keys: str) -> None:
    """Post ``keys`` to the app at once (no pause between them) and let the app handle them."""
    app = pilot.app
    for key in keys:
        event = events.Key(key, None)
        event.set_sender(app)
        app.post_message(event)
    for _ in range(5):  # each key is handled, and what it pushed mounted
        await pilot.pause()


def dialogs(app: PplxApp) -> list[type[Any]]:
    return [type(screen) for screen in app.screen_stack if isinstance(screen, ModalScreen)]


async def workspace_back(pilot: Pilot[Any]) -> None:
    """Escape closes what is open; the workspace is then the only screen (the app runs on)."""
    app = pilot.app
    assert isinstance(app, PplxApp)
    await pilot.press("escape")
    await until(pilot, lambda: len(app.screen_stack) == 1)
    assert app.is_running
    assert app.screen is workspace(app)


@pytest.mark.parametrize(
    ("key", "on_answer", "dialog"),
    [
        ("ctrl+o", False, ModelPickerScreen),
        ("ctrl+k", False, ApiKeyScreen),
        ("ctrl+g", False, SearchSettingsScreen),
        ("m", True, ModelPickerScreen),
        ("s", True, SearchSettingsScreen),
        ("v", True, ComparePickerScreen),
    ],
)
async def test_a_key_pressed_twice_at_once_opens_its_dialog_once(
    key: str, on_answer: bool, dialog: type[Any]
) -> None:
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        if on_answer:
            await focus_conversation(pilot)
        await burst(pilot, key, key)
        assert dialogs(app) == [dialog]
        await workspace_back(pilot)


@pytest.mark.parametrize(
    ("keys", "on_answer", "dialog"),
    [
        (("m", "s"), True, ModelPickerScreen),
        (("s", "v"), True, SearchSettingsScreen),
        (("v", "m"), True, ComparePickerScreen),
    ],
)
async def test_two_dialog_keys_at_once_open_one_dialog(
    keys: tuple[str, str], on_answer: bool, dialog: type[Any]
) -> None:
    """QA: "m" then "s" typed fast on an answer stacked the search settings on the model
    picker (two dialogs, one over the other): the second key must not open another dialog."""
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        if on_answer:
            await focus_conversation(pilot)
        await burst(pilot, *keys)
        assert dialogs(app) == [dialog]
        await workspace_back(pilot)


async def test_a_dialog_key_in_an_open_dialog_opens_no_other_dialog() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, SearchSettingsScreen))
        await pilot.press("ctrl+k")  # the app's key, bound above every screen's
        await pilot.pause()
        assert dialogs(app) == [SearchSettingsScreen]
        await workspace_back(pilot)


async def test_the_model_picker_still_opens_the_key_dialog_over_itself() -> None:
    """The one dialog opened on another: a model of a provider without a key asks for it."""
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, ModelPickerScreen))
        await type_text(pilot, "openrouter sonar-pro-search")
        await pilot.press("enter")
        await until(pilot, lambda: dialogs(app) == [ModelPickerScreen, ApiKeyScreen])
        await pilot.press("escape")
        await until(pilot, lambda: dialogs(app) == [ModelPickerScreen])
        await workspace_back(pilot)


async def test_a_double_enter_in_the_model_picker_chooses_once() -> None:
    app = demo_app()
    notes = Notifications()
    async with app.run_test(size=(120, 36), message_hook=notes) as pilot:
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, ModelPickerScreen))
        await type_text(pilot, "demo/sonar")
        await burst(pilot, "enter", "enter")
        await until(pilot, lambda: any("Next questions go to" in t for t in notes.texts()))
        assert app.is_running
        assert app.screen_stack == [workspace(app)]
        assert len([t for t in notes.texts() if "Next questions go to" in t]) == 1


async def test_a_double_enter_in_the_rename_dialog_renames_once() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        screen = workspace(app)
        await app.run_action("rename_current", screen)
        await until(pilot, lambda: isinstance(app.screen, RenameScreen))
        await type_text(pilot, "Moons")
        await burst(pilot, "enter", "enter")
        await until(pilot, lambda: screen.chat.title == "Moons")
        assert app.is_running
        assert app.screen_stack == [screen]


async def run_from_palette(pilot: Pilot[Any], query: str, help_text: str) -> None:
    """Open the palette, type ``query``, wait for the command with ``help_text``, and press
    Enter twice at once."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(app.screen, CommandPalette))
    await type_text(pilot, query)
    await until(pilot, lambda: bool(app.screen.query("CommandList")) and _listed(app, help_text))
    await burst(pilot, "enter", "enter")


def _listed(app: Any, help_text: str) -> bool:
    from tests.support.tui import screen_text

    return help_text in " ".join(screen_text(app).split())


async def test_a_double_enter_in_the_palette_opens_its_dialog_once() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        await run_from_palette(pilot, "search settings", "Recency, dates, domains")
        await until(pilot, lambda: bool(dialogs(app)))
        assert app.is_running
        assert dialogs(app) == [SearchSettingsScreen]
        await workspace_back(pilot)


async def test_a_double_enter_in_the_palette_runs_its_command_once() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        sources = workspace(app).panes.sources
        shown = sources.display
        await run_from_palette(pilot, "toggle sources", "Show or hide the sources panel")
        await until(pilot, lambda: len(app.screen_stack) == 1)
        for _ in range(3):
            await pilot.pause()
        assert app.is_running
        assert sources.display is not shown


async def test_a_double_enter_in_the_theme_palette_changes_the_theme_once() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: bool(workspace(app).query("#prompt")))
        assert app.theme != "pplx-high-contrast"
        app.action_change_theme()
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await type_text(pilot, "pplx-high")
        await until(pilot, lambda: _listed(app, "pplx-high-contrast"))
        await burst(pilot, "enter", "enter")
        await until(pilot, lambda: app.theme == "pplx-high-contrast")
        assert app.is_running
        assert app.screen_stack == [workspace(app)]


async def typed_together(pilot: Pilot[Any], keys: list[str]) -> None:
    """Post ``keys`` at once, as the terminal hands over keys read together (a fast typist while
    a frame is drawn, a text expander): one-character keys are typed text, others are keys."""
    post_at_once(pilot.app, keys)
    for _ in range(5):
        await pilot.pause()


EDITS = [*"ab", "backspace", "c", "ctrl+u", *"notes", "left", "left", "delete", "w"]
""""ab", a backspace and "c"; ctrl+u clears that; "notes", two lefts, delete and "w": "notws"."""


@pytest.mark.parametrize("box", ["rename", "chat search", "find", "palette"])
async def test_editing_keys_read_together_with_text_apply_in_the_order_typed(box: str) -> None:
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        screen = workspace(app)
        if box == "rename":
            await app.run_action("rename_current", screen)
            await until(pilot, lambda: isinstance(app.screen, RenameScreen) and app.screen.focused)
            field = app.screen.query_one(Input)
            field.value = ""
        elif box == "chat search":
            field = screen.query_one("#chat-search", Input)
            field.focus()
        elif box == "find":
            await focus_conversation(pilot)
            await pilot.press("ctrl+f")
            field = screen.query_one(FindBar)
        else:
            await pilot.press("ctrl+p")
            await until(pilot, lambda: isinstance(app.screen, CommandPalette))
            field = app.screen.query_one(Input)
        await until(pilot, lambda: field.has_focus)
        await typed_together(pilot, EDITS)
        await until(pilot, lambda: field.value == "notws")
        if box == "palette":
            # Closed as a user does (Escape stops its search for "notws"): an app that ends
            # mid-search has Textual's search worker look for the palette's list after the list
            # is gone, and fail the app (seen once in a full run).
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is workspace(app))


async def test_a_tick_and_enter_read_together_in_the_compare_picker_apply_in_order() -> None:
    """QA in tmux: ctrl+t, then Space and Enter at once said "Tick two or three models (1
    ticked)" and ticked the second model only then: Enter (which runs before the list's own
    Enter, a tick) went ahead of the Space still on its way through the list."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        workspace(app).prompt.insert("Moons?")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, ComparePickerScreen))
        await pilot.pause()
        await burst(pilot, "down", "space", "up", "enter")  # the demo's two models: asked
        await until(pilot, lambda: len(app.screen.query(Comparison)) == 1)
        assert len(app.screen.query_one(Comparison).views) == 2


async def test_words_typed_with_slash_in_the_chat_list_go_to_its_search_box() -> None:
    """QA: ``/dog`` read together in the chat list (a fast typist, a paste) left the search
    box empty: the words went to the list, where ``d`` asked to delete a chat."""
    store = ChatStore()
    for title in ("Dogs at sea", "Cats at home"):
        titled_chat(store, title)
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        chats = workspace(app).chat_list
        await pilot.press("ctrl+b")
        await until(pilot, lambda: chats.options.has_focus and chats.options.option_count == 2)
        await typed_together(pilot, ["slash", *"dog"])
        box = chats.query_one(Input)
        await until(pilot, lambda: box.value == "dog", what=f"the box holds {box.value!r}")
        assert dialogs(app) == []


async def test_words_typed_with_tab_from_the_conversation_reach_the_box_in_order() -> None:
    """QA in tmux: Tab from the conversation and "I am typing again" read together gave
    " typing agaiI amn": the keys read before the Tab had moved the focus reached the
    conversation, which handed them on behind those the app had read since."""
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        await focus_conversation(pilot)
        prompt = workspace(app).prompt
        await typed_together(pilot, ["tab", *"I am typing again"])
        await until(pilot, lambda: prompt.text == "I am typing again", what=repr(prompt.text))


@pytest.mark.parametrize("opened_before", [False, True])
async def test_words_typed_with_ctrl_f_in_the_conversation_go_to_the_find_bar(
    opened_before: bool,
) -> None:
    """QA in tmux: ctrl+f and "moons" read together in the conversation left the find bar empty
    (the first time it opened): the words reached the conversation, where ``n`` and ``o`` are
    its keys (the next marker, open the source)."""
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        screen = workspace(app)
        if opened_before:
            bar = await find_in_chat(pilot, "Mars")
            await pilot.press("escape")
            await until(pilot, lambda: not bar.is_open)
        await focus_conversation(pilot)
        await typed_together(pilot, ["ctrl+f", *"moons"])
        bar = screen.query_one(FindBar)
        await settle(pilot)
        assert (bar.value, screen.focused) == ("moons", bar)
        assert dialogs(app) == []
