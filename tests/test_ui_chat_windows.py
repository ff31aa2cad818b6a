"""A long chat is shown as a window: Home shows its first page in one press, a chat-search hit
far up mounts only its page (9c81f4a, 81c1fc7) — also in a chat holding a side-by-side
comparison, and never dropping an answer that streams.

A chat with a comparison was left out (9062efd): the window's pages counted each column of a
comparison as a turn of its own, so the comparison came back as one set of columns per column.
Now the comparison is one turn of the window.
"""

from __future__ import annotations

import pytest

from pplx_tui.models import Chat, Message
from pplx_tui.store import ChatStore
from pplx_tui.ui.widgets.comparison import Comparison
from pplx_tui.ui.widgets.conversation_pages import PAGE
from tests.support.answers import focus_conversation
from tests.support.chats import phobos_chat
from tests.support.cli import answer_frames
from tests.support.loopback import LoopbackServer, Reply
from tests.support.tui import (
    demo_app,
    find_in_chat,
    loopback_app,
    on_screen,
    send,
    until,
    workspace,
)

QUESTION = 60
"""The comparison answers the chat's 31st question (message 60), far from both ends."""


def compared_chat() -> tuple[Chat, list[Message]]:
    """120 exchanges; the 31st question's answer is the first column of a 3-way comparison
    (the one the chat follows), the two others answer it side by side."""
    store = ChatStore()
    chat = phobos_chat(store, [f"Question {n}" for n in range(120)])
    question, answer = chat.messages[QUESTION], chat.messages[QUESTION + 1]
    answer.comparison = "c1"
    others = [
        Message(
            role="assistant",
            content=f"Column {n}: the {word} answer.",
            model=f"demo/other-{n}",
            comparison="c1",
            parent_id=question.id,
        )
        for n, word in ((2, "okapi"), (3, "quokka"))
    ]
    chat.messages.extend(others)
    chat.choose(answer.id)
    store.save(chat)
    return chat, others


def turns(app) -> list:  # type: ignore[no-untyped-def]
    return list(workspace(app).conversation.query_children(".-turn"))


async def test_home_in_a_chat_with_a_comparison_shows_its_first_question_at_once() -> None:
    chat, _ = compared_chat()
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        conversation = screen.conversation
        conversation.focus()
        await pilot.press("home")
        await until(pilot, lambda: on_screen(app, "Question 0"))
        assert conversation.scroll_y == 0 and len(turns(app)) <= PAGE
        assert len(conversation.all_messages()) == 240  # one message a turn, none lost
        await pilot.press("end")
        await until(pilot, lambda: on_screen(app, "About: Question 119"))


async def test_a_far_hit_in_a_comparisons_column_mounts_its_page_with_the_columns_once() -> None:
    chat, others = compared_chat()
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        conversation = screen.conversation
        assert await conversation.reveal(screen.chat.message(others[1].id))  # not the followed
        await until(pilot, lambda: on_screen(app, "the quokka answer"))
        assert len(turns(app)) <= PAGE
        comparison = conversation.query_one(Comparison)  # one, with its three columns
        assert [v.message.id for v in comparison.views] == [  # type: ignore[union-attr]
            chat.messages[QUESTION + 1].id,
            *(m.id for m in others),
        ]
        assert conversation.selected is comparison.views[2]

        conversation.focus()
        await pilot.press("end")  # and back: the comparison leaves the window whole
        await until(pilot, lambda: on_screen(app, "About: Question 119"))
        assert not conversation.query(Comparison)
        assert [m.id for m in conversation.all_messages()] == [
            m.id for m in screen.chat.active_path()
        ]


async def test_ctrl_f_finds_a_word_in_a_column_not_followed_far_up() -> None:
    chat, others = compared_chat()
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        await find_in_chat(pilot, "okapi")
        await until(pilot, lambda: bool(screen.conversation.query(".-found")))
        found = screen.conversation.query_one(".-found")
        assert getattr(found, "message", None) is screen.chat.message(others[0].id)
        assert len(turns(app)) <= PAGE


async def test_home_while_an_answer_streams_keeps_the_answer(loopback: LoopbackServer) -> None:
    """Home made the first page a window while an answer streamed at the end: the answer's view
    was dropped (the rest of it went nowhere, and the app failed on its progress line)."""
    chat = phobos_chat(ChatStore(), [f"Question {n}" for n in range(120)])
    reply = Reply(chunks=answer_frames(["Streaming ", "words ", "arrive."]), hang_after=2)
    loopback.queue(reply)
    app = loopback_app(loopback)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        await send(pilot, "One more?")
        await until(pilot, lambda: on_screen(app, "Streaming"))
        screen.conversation.focus()
        await pilot.press("home")  # the page before, as while the window cannot be made
        await until(pilot, lambda: screen.conversation.scroll_y == 0)
        reply.resume()
        await app.workers.wait_for_complete()
        await pilot.press("end")
        await until(pilot, lambda: on_screen(app, "Streaming words arrive."))


@pytest.mark.parametrize("count", [3, 120])
async def test_home_and_end_select_the_first_and_the_last_answer(count: int) -> None:
    """QA: End scrolled to the bottom and left the first answer selected, so f then acted on
    an answer far out of view. Home and End move the selection as they scroll, in a short chat
    as in a long one shown as a window."""
    chat = phobos_chat(ChatStore(), [f"Question {n}" for n in range(count)])
    first, last = chat.messages[1].id, chat.messages[-1].id
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        conversation = screen.conversation
        await focus_conversation(pilot)

        def selected() -> str | None:
            view = conversation.selected
            return view.message.id if view is not None and view.message else None

        assert selected() == last
        await pilot.press("home")
        await until(pilot, lambda: selected() == first)
        await pilot.press("end")
        await until(pilot, lambda: selected() == last)
