"""Home / End go to the chat's first / last answer and select it, whether or not the chat
fits on the screen (QA: with a chat that fits, the view could not scroll, Textual skipped the
scroll action, and the selection stayed where it was)."""

from __future__ import annotations

import pytest

from pplx_tui.models import Chat, Message
from pplx_tui.store import ChatStore
from tests.support.answers import answers, focus_conversation
from tests.support.chats import phobos_chat
from tests.support.tui import ask, demo_app, until, workspace
from tests.test_ui_key_bursts import burst


def short_chat(store: ChatStore, count: int) -> Chat:
    """A saved chat of ``count`` one-line answers."""
    chat = store.new_chat()
    chat.title = "Short"
    for n in range(count):
        chat.messages.append(Message(role="user", content=f"Question {n}?"))
        chat.messages.append(
            Message(role="assistant", content=f"Answer {n}.", provider="demo", model="demo/sonar")
        )
    return store.save(chat)


@pytest.mark.parametrize("size", [(200, 60), (80, 24)])
@pytest.mark.parametrize("long", [False, True])
async def test_home_and_end_select_the_first_and_last_answer(
    size: tuple[int, int], long: bool
) -> None:
    store = ChatStore()
    chat = phobos_chat(store, ["Q0", "Q1", "Q2"]) if long else short_chat(store, 2)
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        conversation = workspace(app).conversation
        await workspace(app).open_chat(chat.id)
        await focus_conversation(pilot)
        assert conversation.selected is answers(app)[-1]
        await pilot.press("home")
        await until(pilot, lambda: conversation.selected is answers(app)[0])
        await pilot.press("end")
        await until(pilot, lambda: conversation.selected is answers(app)[-1])


async def test_tab_and_home_read_together_after_an_answer_select_the_first_answer() -> None:
    """QA: in a long chat, Tab and Home typed in one burst right after an answer ended left
    the last answer selected (with a pause between them, the first was)."""
    chat = phobos_chat(ChatStore(), [f"Question {n}" for n in range(12)])
    app = demo_app()
    async with app.run_test(size=(200, 60)) as pilot:
        conversation = workspace(app).conversation
        await workspace(app).open_chat(chat.id)
        await ask(pilot, "How many moons does Mars have?")
        assert workspace(app).prompt.has_focus
        await burst(pilot, "tab", "home")
        first = chat.messages[1].id
        await until(
            pilot,
            lambda: (
                (selected := conversation.selected) is not None
                and selected.message is not None
                and selected.message.id == first
            ),
        )
