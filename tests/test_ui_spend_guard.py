"""A new (paid) request from the m / s / v pickers takes a deliberate second Enter.

The pickers open on a letter typed on an answer, so an Enter typed for something else (ahead,
while the picker opens, or the end of a line meant for the question box) landed in them and
sent the question again. The first Enter now only says what would be asked; the second asks.
Every answer comes from the loopback server (the tests count the requests it received), but
for the offline demo's: free, they are asked on the first Enter.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from pplx_tui.ui.dialogs.compare_picker import ComparePickerScreen
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen
from pplx_tui.ui.dialogs.spend_guard import SpendGuard
from pplx_tui.ui.widgets.choice import Choice
from pplx_tui.ui.widgets.comparison import Comparison
from tests.support.answers import focus_conversation, reply
from tests.support.key_bursts import post_at_once
from tests.support.loopback import LoopbackServer
from tests.support.tui import (
    ask,
    demo_app,
    loopback_app,
    on_screen,
    region_text,
    settle,
    until,
    workspace,
)

WIDE = (150, 40)


def _answering(loopback: LoopbackServer) -> None:
    loopback.default = lambda request: reply("Two moons [1].", "https://nasa.gov/mars")


async def open_compare_picker(pilot: Pilot[None]) -> None:
    """Ask a question, then press v on its answer: the compare picker is shown."""
    await ask(pilot, "How many moons?")
    await focus_conversation(pilot)
    await pilot.press("v")
    await until(pilot, lambda: isinstance(pilot.app.screen, ComparePickerScreen))


async def test_an_enter_right_after_m_asks_nothing_until_a_second_enter(
    loopback: LoopbackServer,
) -> None:
    _answering(loopback)
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "How many moons?")
        await focus_conversation(pilot)
        await pilot.press("m", "enter")  # an Enter typed ahead as the picker opens
        await pilot.pause()
        assert len(loopback.requests) == 1
        assert isinstance(app.screen, ModelPickerScreen)
        assert on_screen(app, "Ask “How many moons?” again with")
        assert on_screen(app, "a new request, which may cost money")

        await pilot.press("down")  # any other key goes back to the list (and moves there)
        assert not app.screen.query_one(SpendGuard).display
        await pilot.press("enter")
        assert len(loopback.requests) == 1
        await pilot.press("enter")  # the deliberate second Enter asks
        await until(pilot, lambda: len(loopback.requests) == 2)
        await settle(pilot)
        assert app.screen is workspace(app)


async def test_a_line_meant_for_the_question_box_sends_nothing_from_the_settings_editor(
    loopback: LoopbackServer,
) -> None:
    """'so long' + Enter typed on an answer: s opened the editor, l changed the recency and
    Enter saved it and asked the question again."""
    _answering(loopback)
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "How many moons?")
        await focus_conversation(pilot)
        await pilot.press(*"so long", "enter")
        await pilot.pause()
        assert len(loopback.requests) == 1
        assert isinstance(app.screen, SearchSettingsScreen)
        assert on_screen(app, "Ask “How many moons?” again with")
        await pilot.press(*"and more", "enter")  # typing goes back; its Enter asks again first
        await pilot.pause()
        assert len(loopback.requests) == 1
        await pilot.press("escape", "escape")  # back from the line, then out of the editor
        await until(pilot, lambda: app.screen is workspace(app))
        assert len(loopback.requests) == 1


async def test_v_asks_the_ticked_models_on_the_second_enter(loopback: LoopbackServer) -> None:
    _answering(loopback)
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await open_compare_picker(pilot)
        await pilot.press("down", "space", "enter")
        await pilot.pause()
        assert len(loopback.requests) == 1
        assert on_screen(app, "of perplexity/sonar, perplexity/sonar-pro: 2 new")
        await pilot.press("enter")
        await until(pilot, lambda: len(loopback.requests) == 3)
        await settle(pilot)


async def test_a_comparison_with_the_offline_demo_counts_only_the_paid_requests(
    loopback: LoopbackServer,
) -> None:
    """QA-37: Sonar beside the offline demo read "2 new requests, which may cost money"."""
    _answering(loopback)
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await open_compare_picker(pilot)
        await pilot.press("up", "space")  # the last model listed: the demo's
        await until(pilot, lambda: on_screen(app, "Ticked (2): Sonar, Demo Sonar Reasoning"))
        await pilot.press("enter")
        guard = app.screen.query_one(SpendGuard)
        await until(pilot, lambda: "new requests" in region_text(app, guard))
        assert "2 new requests, 1 of which may cost money" in region_text(app, guard)


async def test_at_80x24_the_line_keeps_the_model_it_names_in_view(
    loopback: LoopbackServer,
) -> None:
    """At 80x24 the line pushed the chosen model (the last in view) out of view."""
    _answering(loopback)
    app = loopback_app(loopback)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, "How many moons has Mars?")
        await focus_conversation(pilot)
        await pilot.press("m")
        await until(pilot, lambda: on_screen(app, "● Sonar"))
        await pilot.press("enter")
        guard = app.screen.query_one(SpendGuard)
        # The list is scrolled once the line has its size (a refresh after the line is drawn).
        await until(
            pilot,
            lambda: (
                "may cost money. Enter asks" in region_text(app, guard)
                and on_screen(app, "● Sonar")
            ),
        )
        assert len(loopback.requests) == 1


@pytest.mark.parametrize(("key", "dialog"), [("m", ModelPickerScreen), ("s", SearchSettingsScreen)])
async def test_on_the_demo_the_first_enter_asks_again(key: str, dialog: type[Any]) -> None:
    """QA: the free, offline demo asked for a second Enter ("demo: a new request. Enter asks"),
    as comparing on it did until it asked on the first. Typed fast: the key and its Enter."""
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, "How many moons has Mars?")
        chat = workspace(app).chat
        await focus_conversation(pilot)
        opened: list[type[Any]] = []
        app.screen_change_signal.subscribe(app, lambda screen: opened.append(type(screen)))
        for name, character in ((key, key), ("enter", "\r")):
            app.post_message(events.Key(name, character))
        await until(pilot, lambda: dialog in opened and app.screen is workspace(app))
        await settle(pilot)
        answers = [m for m in chat.messages if m.role == "assistant"]
        assert len(answers) == 2  # the first and the one asked again, kept side by side
        assert not on_screen(app, "new request")


async def test_what_the_second_enter_asks_is_what_the_editor_shows(
    loopback: LoopbackServer,
) -> None:
    """'l' and Enter in one burst: the Enter reached the editor before 'l' changed the recency,
    so the line named the default search and its Enter would have sent it under 'hour'."""
    _answering(loopback)
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "How many moons?")
        await focus_conversation(pilot)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SearchSettingsScreen))
        editor = app.screen
        app.post_message(events.Key("l", "l"))  # as a terminal delivers "l\r" read at once
        app.post_message(events.Key("enter", "\r"))
        guard = editor.query_one(SpendGuard)
        recency = editor.query_one("#search-recency", Choice)

        def line(shown: str) -> bool:
            return guard.display and guard.has_focus and shown in str(guard.render())

        # Wait for the burst to settle before typing on: 'l' is applied, and the burst's Enter
        # has shown the line (it starts hidden and empty). Either 'l' came first and the line
        # names hour, or the Enter came first and 'l' took back the line that named the
        # default search. (An Enter typed before this could land on that line and ask with the
        # default search, as it said: the test's race, 1 run in 3.)
        await until(
            pilot,
            lambda: (
                recency.value == "hour"
                and bool(str(guard.render()))
                and (line("with hour") or not guard.display)
            ),
        )
        if not guard.display:
            await pilot.press("enter")  # the line again, now naming hour
        await until(pilot, lambda: line("with hour"))
        assert len(loopback.requests) == 1
        await pilot.press("enter")
        await until(pilot, lambda: len(loopback.requests) == 2)
        await settle(pilot)
    assert loopback.requests[1].json["search_recency_filter"] == "hour"


async def test_the_compare_picker_says_which_models_are_ticked(loopback: LoopbackServer) -> None:
    """QA Q13: every row reads '▐X▌' as text; which are ticked showed by colour only."""
    _answering(loopback)
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await open_compare_picker(pilot)
        await until(pilot, lambda: on_screen(app, "Ticked (1): Sonar"))
        await pilot.press("down", "space")
        await until(pilot, lambda: on_screen(app, "Ticked (2): Sonar, Sonar Pro"))
        await pilot.press("space")
        await until(pilot, lambda: on_screen(app, "Ticked (1): Sonar "))


async def test_each_compare_picker_row_says_in_text_whether_it_is_ticked(
    loopback: LoopbackServer,
) -> None:
    """QA: without colour (NO_COLOR, a screen reader) a ticked row read as an unticked one."""
    _answering(loopback)
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await open_compare_picker(pilot)
        await until(pilot, lambda: on_screen(app, "☑ Sonar perplexity/sonar"))
        assert on_screen(app, "☐ Sonar Pro perplexity/sonar-pro")
        await pilot.press("down", "space")
        await until(pilot, lambda: on_screen(app, "☑ Sonar Pro perplexity/sonar-pro"))
        await pilot.press("space")
        await until(pilot, lambda: on_screen(app, "☐ Sonar Pro perplexity/sonar-pro"))


async def test_comparing_on_the_offline_demo_asks_on_the_first_enter_and_names_no_cost() -> None:
    """QA: the free, offline demo asked for a second Enter for "2 new requests"."""
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "How many moons has Mars?")
        await focus_conversation(pilot)
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ComparePickerScreen))
        await pilot.press("down", "space", "enter")
        await until(pilot, lambda: not isinstance(app.screen, ComparePickerScreen))
        assert not on_screen(app, "new requests")
        await until(pilot, lambda: len(app.screen.query(Comparison)) == 1)
        await settle(pilot)


async def burst(pilot: Pilot[Any], *keys: str) -> None:
    """Post ``keys`` to the app at once, as a terminal's input thread hands over a burst."""
    post_at_once(pilot.app, keys)
    await settle(pilot)


async def model_picker_on_the_answer(pilot: Pilot[Any]) -> None:
    """A question asked, then ``m`` on its answer: the model picker is shown."""
    await ask(pilot, "How many moons?")
    await focus_conversation(pilot)
    await pilot.press("m")
    await until(pilot, lambda: isinstance(pilot.app.screen, ModelPickerScreen))


async def test_a_filter_typed_with_its_enter_keeps_the_line_it_shows(
    loopback: LoopbackServer,
) -> None:
    """QA: ``sonar-pro`` and Enter read together in the m picker showed the line for 0.1 s: the
    list's highlight messages, stale by then, took it away, and the next letter typed replaced
    the whole filter."""
    _answering(loopback)
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await model_picker_on_the_answer(pilot)
        await burst(pilot, *"sonar-pro", "enter")
        guard = app.screen.query_one(SpendGuard)
        assert guard.display and guard.armed and guard.has_focus
        assert on_screen(app, "again with Sonar Pro")

        await pilot.press("x")  # another key goes back to the filter, and types there
        filter_box = app.screen.query_one("#model-picker-filter", Input)
        await until(pilot, lambda: filter_box.value == "sonar-prox")
        assert filter_box.has_focus and not guard.display

        await pilot.press("backspace", "enter", "enter")
        await until(pilot, lambda: len(loopback.requests) == 2)
        assert loopback.requests[-1].json["model"] == "perplexity/sonar-pro"


async def test_keys_read_while_the_line_takes_the_focus_go_to_the_filter_not_round_and_round(
    loopback: LoopbackServer,
) -> None:
    """QA: Enter, ctrl+u and a letter read together in the m picker: ctrl+u (still in the
    filter) took the line away before its focus arrived; the hidden line then held the focus
    and posted each key back to itself, one core at 100 % and the dialog deaf to Escape."""
    _answering(loopback)
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await model_picker_on_the_answer(pilot)
        await burst(pilot, *"sonar-pro", "enter", "ctrl+u", "x")
        picker = app.screen
        guard = picker.query_one(SpendGuard)
        filter_box = picker.query_one("#model-picker-filter", Input)
        await until(pilot, lambda: filter_box.has_focus)
        assert not guard.display and not guard.has_focus
        assert filter_box.value == "x"

        await pilot.press("y")
        assert filter_box.value == "xy"
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is workspace(app))
        assert len(loopback.requests) == 1
