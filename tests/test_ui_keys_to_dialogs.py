"""Keys typed right after a key that opens a dialog go to that dialog, in order, once each.

A terminal hands the app every key of a burst before the first is handled: ``m`` and Enter
typed fast on an answer gave the Enter to the answer (the picker was pushed a moment later,
then waited for another Enter); ``ctrl+o`` and "reasoning" typed in the question box filtered
on "easoning" (the "r" reached the picker before it had its focus). Here the keys are posted
at once, as the terminal's input thread does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, SelectionList

from pplx_tui.store import ChatStore
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.dialog_keys import KEEP_AT_MOST
from pplx_tui.ui.dialogs.compare_picker import ComparePickerScreen
from pplx_tui.ui.dialogs.confirm import ConfirmScreen
from pplx_tui.ui.dialogs.keys import KeysScreen
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen
from pplx_tui.ui.widgets.chat_list import ChatList
from pplx_tui.ui.widgets.source_list import SourceList
from tests.support.chats import titled_chat
from tests.support.key_bursts import post_at_once
from tests.support.tui import ask, demo_app, settle, until, workspace


def typed_together(app: PplxApp, keys: list[str]) -> None:
    """Post ``keys`` at once (one-character keys are typed text, others are keys)."""
    post_at_once(app, keys)


def _filter(app: PplxApp) -> str:
    fields = app.screen.query(Input) if isinstance(app.screen, ModelPickerScreen) else ()
    return fields.first().value if fields else ""  # (pushed, not yet composed: nothing)


def _domains(app: PplxApp) -> str:
    fields = app.screen.query("#search-domains")
    return fields.first(Input).value if fields else ""


def _ticked(app: PplxApp) -> list[int]:
    lists = app.screen.query(SelectionList) if isinstance(app.screen, ComparePickerScreen) else ()
    return sorted(lists.first().selected) if lists else []  # (pushed, not yet composed: none)


TYPED: dict[type[Any], tuple[list[str], Callable[[PplxApp], bool]]] = {
    # The filter reads exactly what was typed: no letter lost, none twice.
    ModelPickerScreen: ([*"reasoning"], lambda app: _filter(app) == "reasoning"),
    # Three rows down to the domains, then a domain: the arrows ran before the text.
    SearchSettingsScreen: (
        ["down", "down", "down", *"nasa.gov"],
        lambda app: _domains(app) == "nasa.gov",
    ),
    # The demo's second model ticked beside the first (ticked as the picker opens).
    ComparePickerScreen: (["down", "space"], lambda app: _ticked(app) == [0, 1]),
}


async def _answered(pilot: Pilot[Any], focus: str) -> None:
    """A question answered, then the focus on the conversation, the sources or the question
    box."""
    app = pilot.app
    assert isinstance(app, PplxApp)
    await ask(pilot, "How many moons does Mars have?")
    screen = workspace(app)
    target = {
        "conversation": screen.conversation,
        "sources": screen.query_one(SourceList),
        "question box": screen.prompt,
    }[focus]
    target.focus()
    await until(pilot, lambda: app.focused is target)


@pytest.mark.parametrize(
    ("focus", "key", "dialog"),
    [
        ("conversation", "m", ModelPickerScreen),
        ("conversation", "s", SearchSettingsScreen),
        ("conversation", "v", ComparePickerScreen),
        ("conversation", "ctrl+o", ModelPickerScreen),
        ("conversation", "ctrl+g", SearchSettingsScreen),
        ("conversation", "ctrl+t", ComparePickerScreen),
        ("sources", "ctrl+o", ModelPickerScreen),
        ("sources", "ctrl+g", SearchSettingsScreen),
        ("sources", "ctrl+t", ComparePickerScreen),
        ("question box", "ctrl+o", ModelPickerScreen),  # ran in turn, but lost the first key
        ("question box", "ctrl+g", SearchSettingsScreen),
        ("question box", "ctrl+t", ComparePickerScreen),
    ],
)
async def test_keys_typed_right_after_a_dialog_key_go_to_the_dialog(
    focus: str, key: str, dialog: type[Any]
) -> None:
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await _answered(pilot, focus)
        keys, shown = TYPED[dialog]
        typed_together(app, [key, *keys])
        await until(pilot, lambda: isinstance(app.screen, dialog) and shown(app))
        for _ in range(3):  # nothing else arrives late (a key twice)
            await pilot.pause()
        assert shown(app)
        assert len(app.screen_stack) == 2
        assert workspace(app).prompt.text == ""


@pytest.mark.parametrize("focus", ["conversation", "sources"])
async def test_escape_right_after_question_mark_closes_the_keys_sheet(focus: str) -> None:
    """(Already so when ``?`` ran once bubbled up to the app: the Escape, bubbling up after it,
    met the sheet's bindings. Run as it arrives now, the Escape goes to the sheet.)"""
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await _answered(pilot, focus)
        focused = app.focused
        opened: list[type[Any]] = []
        app.screen_change_signal.subscribe(app, lambda screen: opened.append(type(screen)))
        typed_together(app, ["question_mark", "escape"])
        await until(pilot, lambda: KeysScreen in opened and app.screen is workspace(app))
        await pilot.pause()
        assert app.screen is workspace(app)
        assert app.focused is focused


async def test_enter_right_after_r_answers_the_ask_again_dialog() -> None:
    """Its "No" has the focus: the Enter closes it, and nothing is asked again."""
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await _answered(pilot, "conversation")
        chat = workspace(app).chat
        count = len(chat.messages)
        opened: list[type[Any]] = []
        app.screen_change_signal.subscribe(app, lambda screen: opened.append(type(screen)))
        typed_together(app, ["r", "enter"])
        await until(pilot, lambda: ConfirmScreen in opened and app.screen is workspace(app))
        await settle(pilot)
        assert len(chat.messages) == count
        assert app.focused is workspace(app).conversation


async def test_keys_kept_for_a_dialog_go_on_even_if_no_one_lets_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The keys after ``m`` wait until the conversation says the picker has its focus; a
    widget that never says so (removed before it got the key: its chat reopened meanwhile)
    must not leave the keyboard dead: they go on after a moment."""
    from pplx_tui.ui.widgets import panel_keys

    async def never_said(app: object) -> None:
        pass

    monkeypatch.setattr(panel_keys, "keys_go_on", never_said)
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await _answered(pilot, "conversation")
        typed_together(app, ["m", *"reasoning"])
        await until(pilot, lambda: _filter(app) == "reasoning", timeout=KEEP_AT_MOST + 5)


@pytest.mark.parametrize(
    ("keys", "deleted"),
    [
        (["tab", "enter"], True),
        (["shift+tab", "enter"], True),
        (["tab", "tab", "enter"], False),
        (["enter", "tab"], False),
    ],
)
async def test_tab_and_enter_typed_at_once_answer_the_button_tab_went_to(
    keys: list[str], deleted: bool
) -> None:
    """QA: Tab then Enter in one read (tmux ``send-keys Tab Enter``) answered No: Tab's move
    of the focus was applied after the Enter had gone to "No". The README says "Tab to
    Delete, Enter", and keys typed in a burst act in order."""
    store = ChatStore()
    titled_chat(store, "Kyoto")
    titled_chat(store, "Lisbon")
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        chat_list = workspace(app).query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 2)
        chat_list.options.focus()
        chat_list.options.highlighted = [e.title for e in chat_list.entries].index("Lisbon")
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await until(pilot, lambda: app.focused is not None and app.focused.id == "confirm-no")
        typed_together(app, keys)
        await until(pilot, lambda: app.screen is workspace(app))
        await settle(pilot)
        titles = [s.title for s in ChatStore().list_chats()]
        assert sorted(titles) == (["Kyoto"] if deleted else ["Kyoto", "Lisbon"])
        assert ("Lisbon" in [e.title for e in chat_list.entries]) is not deleted


async def test_tab_and_enter_typed_at_once_ask_again() -> None:
    """The same in the Ask again dialog (``r``): Tab and Enter at once ask again."""
    app = demo_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await _answered(pilot, "conversation")
        chat = workspace(app).chat
        count = len(chat.messages)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await until(pilot, lambda: app.focused is not None and app.focused.id == "confirm-no")
        typed_together(app, ["tab", "enter"])
        await until(pilot, lambda: app.screen is workspace(app))
        await settle(pilot)
        assert len(chat.messages) == count + 1
