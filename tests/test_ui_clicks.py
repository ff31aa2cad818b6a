"""What a click with the mouse does (QA drove the app with the mouse: clicks that did nothing,
or did it only the second time)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, SelectionList

from pplx_tui.store import ChatStore
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.dialogs.compare_picker import ComparePickerScreen
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.chat_list import ChatList
from pplx_tui.ui.widgets.comparison import Comparison
from pplx_tui.ui.widgets.key_bar import KeyBar
from pplx_tui.ui.widgets.question_view import QuestionView
from tests.support.answers import focus_conversation, reply
from tests.support.loopback import LoopbackServer
from tests.support.tui import (
    Notifications,
    ask,
    demo_app,
    loopback_app,
    screen_lines,
    settle,
    until,
)
from tests.support.tui import workspace as research
from tests.test_ui_comparison_switcher import three_compared

WIDE = (200, 50)


async def test_one_click_on_a_chat_opens_it_and_focusing_the_list_moves_no_row() -> None:
    """QA: the first click focused the list, whose focus frame added a row above the chats: the
    rows moved down under the pointer and nothing opened (or the chat above did)."""
    store = ChatStore()
    for title in ("How does TCP slow start work", "Who discovered Phobos", "What is CRISPR"):
        chat = store.new_chat()
        chat.title = title
        store.save(chat)
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = research(app)
        chat_list = screen.query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 3)
        assert not chat_list.has_focus_within  # (the question box has the focus)
        options = chat_list.options
        rows_at = options.content_region
        tcp = chat_list.entries[2]
        assert tcp.title == "How does TCP slow start work"
        assert await pilot.click(options, offset=(3, 4))  # its title: two lines a chat
        await until(pilot, lambda: screen.chat.id == tcp.id, what="the chat clicked opened")
        options.focus()
        await pilot.pause()
        assert options.content_region == rows_at


def button(app: PplxApp, label: str) -> Button:
    """The button of the dialog on top that says ``label``, wholly on screen."""
    [found] = [b for b in app.screen.query(Button) if str(b.label) == label]
    assert app.screen.region.contains_region(found.region)
    return found


async def test_the_search_settings_have_save_and_cancel_buttons_and_say_enter_saves() -> None:
    """QA: the editor had no Save button, and its key bar only ``esc Cancel  ^r Defaults``."""
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = research(app)
        for label, recency in (("Cancel", None), ("Save", "hour")):
            await pilot.press("ctrl+g")
            await until(pilot, lambda: isinstance(app.screen, SearchSettingsScreen))
            assert "⏎ Save" in str(app.screen.query_one(KeyBar).render())
            await pilot.press("right")  # recency: any → hour
            assert await pilot.click(button(app, label))
            await until(pilot, lambda: app.screen is screen)
            assert screen.chat.settings.search.recency == recency


async def test_a_click_on_ask_in_the_settings_editor_asks_again_at_once(
    loopback: LoopbackServer,
) -> None:
    """Enter asks after a second Enter (a letter typed on an answer may open the editor); a
    click on the button is deliberate, as a click on a choice is."""
    loopback.default = lambda request: reply("Two moons [1].", "https://nasa.gov/mars")
    app = loopback_app(loopback)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, "How many moons?")
        await focus_conversation(pilot)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SearchSettingsScreen))
        assert "⏎ Ask" in str(app.screen.query_one(KeyBar).render())
        assert await pilot.click(button(app, "Ask"))
        await until(pilot, lambda: len(loopback.requests) == 2)
        await settle(pilot)
        assert app.screen is research(app)


async def click_text(pilot: Pilot[Any], text: str) -> None:
    """Click the first place on screen that shows ``text`` (its first letter)."""
    for y, line in enumerate(screen_lines(pilot.app)):
        if (x := line.find(text)) >= 0:
            assert await pilot.click(offset=(x, y))
            return
    raise AssertionError(f"{text!r} is not on screen")


async def test_the_compare_picker_has_an_ask_button_and_refuses_a_fourth_tick_at_once(
    loopback: LoopbackServer,
) -> None:
    """QA: no Ask button; a click ticked a fourth model ("Ticked (4)") and only Enter then
    refused, in a toast. The fourth tick is refused as it is made, by click or by Space."""
    loopback.default = lambda request: reply("Two moons [1].", "https://nasa.gov/mars")
    app = loopback_app(loopback)
    notes = Notifications()
    async with app.run_test(size=(80, 24), message_hook=notes) as pilot:
        research(app).prompt.insert("How many moons has Mars?")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, ComparePickerScreen))
        picker = app.screen
        await pilot.pause()
        ask_button = button(app, "Ask")
        assert ask_button.disabled  # one ticked (the model in use)
        await click_text(pilot, "Sonar Pro  ")
        await until(pilot, lambda: not ask_button.disabled)
        await click_text(pilot, "Sonar Pro Search")
        await until(pilot, lambda: "Ticked (3)" in "\n".join(screen_lines(app)))
        await click_text(pilot, "Sonar Reasoning Pro")
        await pilot.press("down", "space")  # (Sonar Deep Research)
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "Ticked (3)" in text and "three at most" in text.lower()
        assert len(picker.query_one(SelectionList).selected) == 3
        assert not notes.texts()
        assert await pilot.click(button(app, "Ask"))  # a click asks at once
        await until(pilot, lambda: len(loopback.requests) == 3)
        await settle(pilot)


@pytest.mark.parametrize("part", ["openrouter", "perplexity/sonar"])
async def test_a_click_on_the_headers_provider_or_model_opens_the_model_picker(
    loopback: LoopbackServer, part: str
) -> None:
    app = loopback_app(loopback)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "openrouter · perplexity/sonar" in screen_lines(app)[0])
        await click_text(pilot, "New chat")  # the title: nothing
        await pilot.pause()
        assert app.screen is research(app)
        await click_text(pilot, part)
        await until(pilot, lambda: isinstance(app.screen, ModelPickerScreen))


@pytest.mark.parametrize("size", [(200, 50), (80, 24)])
async def test_a_click_on_the_comparisons_later_questions_line_switches_as_a_does(
    size: tuple[int, int],
) -> None:
    app = make_app(chat_id=three_compared(current=0).id)
    async with app.run_test(size=size) as pilot:
        comparison = research(app).query_one(Comparison)
        await until(pilot, lambda: "Later questions follow" in "\n".join(screen_lines(app)))
        await click_text(pilot, "Later questions follow")
        await until(pilot, lambda: comparison.current == 1 or not comparison.is_attached)
        shown = research(app).query_one(Comparison)
        assert shown.current == 1
        assert research(app).chat.active_path()[-1].model == "perplexity/sonar-pro"


async def test_ctrl_c_on_text_selected_with_the_mouse_says_it_copied_it() -> None:
    """QA: a drag then ctrl+c copied the text (OSC 52) without a word, where y says "Answer
    copied…"."""
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        question = research(app).query_one(QuestionView)
        await pilot.press("ctrl+c")  # nothing selected: nothing copied, nothing said
        await pilot.pause()
        assert "Copied the selection." not in notes.texts()
        for widget in question.query("*"):
            widget.text_select_all()
        await pilot.pause()
        await pilot.press("ctrl+c")  # (the question box has the focus, and no selection)
        await until(pilot, lambda: "How many moons does Mars have?" in app.clipboard)
        await until(pilot, lambda: "Copied the selection." in notes.texts())
