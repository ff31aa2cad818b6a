"""A line of text in the app that names a key names the one in force after a ``[keymap]`` in
config.toml (QA: with ``"research.retry" = "f8"`` and ``"app.add_key" = "f4"`` the key bar
said ``f8 Retry  f4 API key`` while a failed answer still offered "Retry (ctrl+r)", a refused
key "Add a key (ctrl+k)" and "add it in the app with ctrl+k", the demo "Press ctrl+k", and
the empty chat "ctrl+s shows the sources panel" under ``"research.toggle_sources" = "f5"``).
The other hints (the question box, the toasts of the answer keys, the dialogs' help lines)
do likewise."""

from __future__ import annotations

import pytest

from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
from pplx_tui.ui.dialogs.keys import KeysScreen
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.message_view import AnswerView
from tests.support.answers import focus_conversation, stalled_moons
from tests.support.loopback import LoopbackServer, json_reply
from tests.support.tui import (
    Notifications,
    ask,
    demo_app,
    loopback_app,
    on_screen,
    region_text,
    send,
    until,
    workspace,
)
from tests.test_keymap_in_force import key_bar, key_sheet, keys_for, write_keymap

WIDE = (150, 40)
MOVED = {"app.add_key": "f4", "research.retry": "f8"}


async def test_a_failed_answer_names_the_retry_key_in_force(loopback: LoopbackServer) -> None:
    write_keymap(**MOVED)
    loopback.queue(json_reply(500, {"error": {"message": "Internal error", "code": 500}}))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Anyone?")
        view = workspace(app).query(AnswerView).last()
        await until(pilot, lambda: "Retry (f8)" in region_text(app, view))
        assert "ctrl+r" not in region_text(app, view)
        assert "f8 Retry" in key_bar(app)


async def test_a_refused_key_names_the_add_key_key_in_force(loopback: LoopbackServer) -> None:
    write_keymap(**MOVED)
    loopback.queue(json_reply(401, {"error": {"message": "Invalid API key", "code": 401}}))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Anyone?")
        view = workspace(app).query(AnswerView).last()
        await until(pilot, lambda: "Add a key (f4)" in region_text(app, view))
        text = " ".join(region_text(app, view).split())
        assert "in the app with f4" in text and "ctrl+k" not in text
        await pilot.press("f4")
        await until(pilot, lambda: isinstance(app.screen, ApiKeyScreen))


async def test_the_demo_notice_names_the_add_key_key_in_force() -> None:
    write_keymap(**MOVED)
    app = make_app()  # no key anywhere: the demo, with its notice
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: on_screen(app, "Press f4 to add a key"))


async def test_the_demos_answer_names_the_add_key_key_in_force() -> None:
    """QA: after ``"app.add_key" = "f3"`` the demo still answered "press ctrl+k in the app"."""
    write_keymap(**{"app.add_key": "f3"})
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "What is the weather in Lisbon?")
        answer = workspace(app).chat.messages[-1].content
        assert "press **f3** in the app" in answer and "ctrl+k" not in answer


async def test_the_empty_chat_names_the_sources_key_in_force() -> None:
    write_keymap(**{"research.toggle_sources": "f5"})
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: on_screen(app, "f5 shows the sources panel."))
        await pilot.press("f5")
        await until(pilot, lambda: on_screen(app, "numbered sources on the right"))


async def test_a_key_the_question_box_keeps_is_not_promised_there() -> None:
    """QA: with ``"research.toggle_sources" = "f7"`` (the question box's "select all") the
    start-up warning said f7 does not run from the question box, while the empty chat said
    "f7 shows the sources panel." and the key sheet listed f7 under "Anywhere"."""
    write_keymap(**{"research.toggle_sources": "f7"})
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(
            pilot,
            lambda: on_screen(app, "f7 shows the sources panel (not from the question box)."),
        )
        rows = await key_sheet(pilot)
        assert keys_for(rows, "Show or hide the sources") == "f7"
        assert "Show or hide the sources panel (not from the question box)" in rows


async def test_the_empty_chat_names_the_key_that_works_from_the_question_box() -> None:
    write_keymap(**{"research.toggle_sources": "f7,f5"})
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: on_screen(app, "f5 shows the sources panel."))
        rows = await key_sheet(pilot)
        assert "Show or hide the sources panel (f7: not from the question box)" in rows


async def test_the_question_box_names_its_keys_in_force() -> None:
    write_keymap(**{"prompt.submit": "ctrl+s", "prompt.newline": "enter"})
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        prompt = workspace(app).prompt
        await until(pilot, lambda: "ctrl+s sends, Enter starts a new line" in prompt.placeholder)


async def test_the_answer_notices_name_the_keys_in_force() -> None:
    """The toasts of the keys on an answer name the other keys a ``[keymap]`` gives."""
    keymap = {
        "conversation.other_model": "M",
        "conversation.retry": "R",
        "conversation.edit_question": "f7",
    }
    write_keymap(**keymap)
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        await focus_conversation(pilot)
        await pilot.press("a")
        await until(pilot, lambda: any("no alternatives yet" in t for t in notes.texts()))
        assert "M asks another model, R asks again." in " ".join(notes.texts())
        await pilot.press("q")
        await until(pilot, lambda: any("one version" in t for t in notes.texts()))
        assert "This question has one version: f7 edits it." in notes.texts()


@pytest.mark.parametrize(
    ("keys", "offered"),
    [("ctrl+x", "Retry (ctrl+x, not from the question box)"), ("ctrl+x,f9", "Retry (f9)")],
)
async def test_a_stopped_answer_says_where_its_retry_key_works(
    loopback: LoopbackServer, keys: str, offered: str
) -> None:
    """QA: with ``"research.retry" = "ctrl+x"`` a stopped answer offered "Retry (ctrl+x)"
    while the focus was back in the question box, where ctrl+x cuts."""
    write_keymap(**{"research.retry": keys})
    stalled = stalled_moons()
    loopback.queue(stalled)
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await send(pilot, "How many moons does Mars have?")
        await until(pilot, lambda: screen.pending is not None)
        await pilot.press("escape")
        await until(pilot, lambda: screen.pending is None)
        stalled.resume()
        view = screen.query(AnswerView).last()
        await until(pilot, lambda: offered in " ".join(region_text(app, view).split()))
        assert screen.prompt.has_focus


async def test_the_find_key_names_the_chat_search_key_in_force() -> None:
    """QA: with the chat search moved to ctrl+l the ^f row (find in the chat) still said
    "elsewhere ctrl+f searches every chat"."""
    write_keymap(**{"research.search_chats": "ctrl+l", "conversation.next_marker": "j"})
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        await focus_conversation(pilot)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, KeysScreen))
        sheet = app.screen
        assert isinstance(sheet, KeysScreen)
        rows = {what: keys for _, section in sheet.sections for keys, what in section}
        assert (
            "Find text in this chat (Enter, then j / p step; elsewhere ctrl+l searches every chat)"
            in rows
        )
        assert "While finding (ctrl+f): the previous match of the text (as p does then)" in rows
