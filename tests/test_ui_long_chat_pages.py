"""A reopened long chat: its earlier pages come as the view is scrolled up (keys or wheel),
keeping in place what was read."""

from __future__ import annotations

import pytest
from textual import events
from textual.pilot import Pilot

from pplx_tui.models import Chat, Message
from pplx_tui.store import ChatStore
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.conversation import Conversation
from tests.support.tui import on_screen, until
from tests.support.tui import workspace as research


def long_chat(pairs: int, lengths: tuple[int, ...] = (12,)) -> Chat:
    """A saved chat of ``pairs`` questions, each answered in a few lines (the answers
    ``lengths`` sentences long in turn)."""
    store = ChatStore()
    chat = store.new_chat()
    chat.title = "Long"
    for number in range(pairs):
        chat.messages.append(Message(role="user", content=f"Question {number}?"))
        answer = f"Answer {number}: " + "a line of the answer. " * lengths[number % len(lengths)]
        chat.messages.append(
            Message(role="assistant", content=answer, provider="demo", model="demo/sonar")
        )
    return store.save(chat)


async def _wheel(pilot: Pilot[object], conversation: Conversation) -> None:
    """The mouse wheel turned up once over ``conversation``."""
    conversation.post_message(
        events.MouseScrollUp(conversation, 2, 2, 0, -1, 0, False, False, False, 2, 2)
    )
    await pilot.pause()


@pytest.mark.parametrize("key", ["pageup", "up", "wheel"])
async def test_scrolling_up_a_reopened_long_chat_mounts_its_earlier_pages(key: str) -> None:
    """QA: PageUp, Up or the wheel up to the top of a reopened long chat left "▲ 20 earlier
    messages" there for good (the view, opened at its bottom, stayed anchored); only Home
    mounted them. What was at the top stays where it was as each page is mounted."""
    chat = long_chat(8)  # two pages or three
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = research(app)
        conversation = screen.query_one(Conversation)
        await until(pilot, lambda: conversation.max_scroll_y > 0)
        opening = screen.chat.messages[0]
        conversation.focus()
        first = conversation.query(".-turn").first()
        for _ in range(200):
            if not conversation.earlier_holds(opening):
                break
            before = conversation.query(".-turn").first()
            if conversation.scroll_y > conversation.size.height:  # (quicker: far from the top)
                await pilot.press("pageup")
            else:
                await (pilot.press(key) if key != "wheel" else _wheel(pilot, conversation))
            if conversation.query(".-turn").first() is not before:  # a page was mounted
                await until(pilot, lambda: conversation.scroll_y > 0)
                shown_at = before.virtual_region.y - conversation.scroll_y
                assert 0 <= shown_at <= 2, "the view jumped as the earlier page was mounted"
        assert not conversation.earlier_holds(opening) and first.is_attached
        while conversation.scroll_y > 0:
            await pilot.press("pageup")
        assert on_screen(app, "Question 0?")
