"""Opening a chat-search hit in the real app: the chat scrolls to the matching message, marks it,
and mounts only the page it is on."""

from __future__ import annotations

from textual.widget import Widget

from pplx_tui.models import Message
from pplx_tui.store import ChatStore
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.screens.research import ResearchScreen
from pplx_tui.ui.widgets.chat_list import ChatList
from pplx_tui.ui.widgets.conversation_pages import PAGE
from pplx_tui.ui.widgets.message_view import AnswerView
from tests.support.chats import phobos_chat, titled_chat
from tests.support.cli import answer_frames
from tests.support.loopback import LoopbackServer, Reply
from tests.support.tui import (
    ask,
    demo_app,
    loopback_app,
    on_screen,
    region_text,
    until,
    workspace,
)

WIDE = (150, 40)


async def test_opening_a_search_hit_scrolls_to_the_matching_message_and_marks_it() -> None:
    store = ChatStore()
    chat = store.new_chat()
    chat.title = "Long trip"
    for n in range(30):
        chat.messages.append(Message(role="user", content=f"Day {n}?"))
        words = "the zanzibar ferry leaves at nine" if n == 3 else f"a quiet day number {n}"
        chat.messages.append(
            Message(role="assistant", content=f"On day {n}, {words}.", provider="demo")
        )
    store.save(chat)
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        chat_list = screen.query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 1)
        await pilot.press("ctrl+f", *"zanzibar")
        await until(pilot, lambda: bool(chat_list.entries) and bool(chat_list.entries[0].detail))
        chat_list.options.focus()
        chat_list.options.highlighted = 0
        await pilot.press("enter")
        await until(pilot, lambda: bool(screen.conversation.query(".-found")))
        found = screen.conversation.query_one(".-found")
        assert isinstance(found, AnswerView) and found.message is screen.chat.messages[7]
        assert screen.conversation.selected is found
        await until(pilot, lambda: "zanzibar ferry" in region_text(app, screen.conversation))


def top_words(app: PplxApp, widget: Widget, count: int = 2) -> list[str]:
    """The first words ``widget`` shows (the scrollbar's cells are no words)."""
    return [w for w in region_text(app, widget).split() if w not in "▁▂▃▄▅▆▇█"][:count]


async def test_a_page_mounted_above_a_hit_keeps_the_hit_at_the_top() -> None:
    """QA Q11: a hit in the third question of a long chat landed at the first answer. Opening
    the hit, the view passed its top, so the page above was mounted, and that page's "keep the
    position" scrolled to the page's height, as if the view had been at the top: it was at the
    hit (and read before the page was laid out, the height could even be negative)."""
    store = ChatStore()
    chat = phobos_chat(store, [f"Question {n}" for n in range(12)])
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        conversation = screen.conversation
        await until(pilot, lambda: bool(conversation.query(AnswerView)))
        shown = [getattr(v, "message", None) for v in conversation.query(".-turn")]
        target = next(m for m in shown[1:] if m is not None and m.role == "user")
        first = screen.chat.messages[0]
        assert conversation.earlier_holds(first)
        words = ["You", *target.content.split()]
        await conversation.reveal(target)
        await until(pilot, lambda: top_words(app, conversation, 3) == words)
        await conversation.load_earlier()  # as when the view passed its top
        for _ in range(5):
            await pilot.pause()
        assert top_words(app, conversation, 3) == words


async def test_a_second_enter_on_a_hit_being_opened_opens_nothing_again() -> None:
    """QA Q15: opening a hit far up a long chat took seconds with nothing on screen; a second
    Enter (the first looked lost) opened the chat and mounted everything to the hit again. The
    second only scrolls to it."""
    store = ChatStore()
    chat = phobos_chat(store, [f"Question {n}" for n in range(30)])
    chat.messages[6].content += " zanzibarite"
    store.save(chat)
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        chat_list = screen.query_one(ChatList)
        opened: list[str] = []
        real_open = screen.chats.open

        async def counting_open(chat_id: str) -> None:
            opened.append(chat_id)
            await real_open(chat_id)

        screen.chats.open = counting_open  # type: ignore[method-assign]
        await until(pilot, lambda: len(chat_list.entries) == 1)
        await pilot.press("ctrl+f", *"zanzibarite")
        await until(pilot, lambda: bool(chat_list.entries) and bool(chat_list.entries[0].detail))
        chat_list.options.focus()
        chat_list.options.highlighted = 0
        chat_list.options.action_select()  # Enter, and Enter again before the chat is open
        chat_list.options.action_select()
        await until(pilot, lambda: bool(screen.conversation.query(".-found")))
        found = screen.conversation.query_one(".-found")
        assert getattr(found, "message", None) is screen.chat.messages[6]
        for _ in range(10):
            await pilot.pause()
        assert opened == [chat.id]
        assert screen.conversation.query_one(".-found") is found


async def test_a_hit_far_up_a_long_chat_mounts_its_own_page_only(loopback: LoopbackServer) -> None:
    """QA Q15: a hit in message 7 of 240 mounted every message from it to the end (13-37 s).
    Only its page is mounted; the later ones follow on scrolling down, End goes to the end,
    and a question asked goes after the chat's last message with the whole history."""

    store = ChatStore()
    chat = phobos_chat(store, [f"Question {n}" for n in range(120)])
    chat.messages[6].content = "Question 3 about zanzibarite"
    store.save(chat)
    app = loopback_app(loopback)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        conversation = screen.conversation
        messages = screen.chat.messages
        assert await conversation.reveal(messages[6])
        await until(pilot, lambda: top_words(app, conversation, 3) == ["You", "Question", "3"])
        turns = [getattr(v, "message", None) for v in conversation.query(".-turn")]
        # Its page, and (as the view may rest at the top of the window, where scrolling up
        # mounts the page before it, keeping the hit in place) the 6 messages before it.
        assert messages[6] in turns and len(turns) <= PAGE + 6
        assert turns[-1] is not messages[-1]  # not every message from the hit to the end
        assert conversation.all_messages() == messages  # nothing lost around the window

        conversation.focus()
        for _ in range(2):  # scrolling down mounts the next page below
            conversation.scroll_end(animate=False, immediate=True)
            count = len(conversation.query(".-turn"))
            await until(pilot, lambda c=count: len(conversation.query(".-turn")) > c)
        await pilot.press("end")
        await until(pilot, lambda: on_screen(app, "About: Question 119"))
        assert conversation.last_message() is messages[-1]

        assert await conversation.reveal(messages[6])  # far up again, then a question
        await until(pilot, lambda: top_words(app, conversation, 3) == ["You", "Question", "3"])
        loopback.queue(Reply(chunks=answer_frames(["The next one."])))
        await ask(pilot, "And the next?")
        turns = [getattr(v, "message", None) for v in conversation.query(".-turn")]
        assert turns[-3] is messages[-3] and turns[-2] is messages[-2]
        assert messages[-2].content == "And the next?" and len(messages) == 242
        sent = loopback.requests[-1].json["messages"]
        assert len(sent) == 241 and sent[-1]["content"] == "And the next?"


def found_message(screen: ResearchScreen) -> Message | None:
    """The message of the turn the last chat-search hit opened marks, if any."""
    found = screen.conversation.query(".-found")
    return getattr(found.first(), "message", None) if found else None


async def test_a_new_chat_after_a_hit_part_way_into_a_long_chat_shows_nothing_of_it() -> None:
    """QA: ctrl+n after opening a hit part-way into a long chat showed the empty-state text with
    that chat's first exchange under it, and it stayed above the next question asked. Removing
    the hit's turns scrolled the view to its top, which queued the mounting of the earlier page
    still held for the chat left."""
    store = ChatStore()
    titled_chat(store, "Kyoto")
    chat = phobos_chat(store, [f"Question {n}" for n in range(26)])
    chat.messages[6].content = "Question 3 about zanzibarite"
    store.save(chat)
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = workspace(app)
        chat_list = screen.query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 2)
        screen.prompt.focus()
        await pilot.press("ctrl+f", *"kyoto", "enter", "enter")
        await until(pilot, lambda: screen.chat.title == "Kyoto" and bool(found_message(screen)))
        screen.prompt.focus()
        await pilot.press("ctrl+f", "ctrl+u", *"zanzibarite", "enter", "enter")
        await until(pilot, lambda: found_message(screen) is screen.chat.messages[6])
        assert screen.chat.id == chat.id and screen.conversation.earlier_holds(
            screen.chat.messages[0]
        )
        await pilot.press("ctrl+n")
        conversation = screen.conversation
        await until(pilot, lambda: not screen.chat.messages)
        for _ in range(10):
            await pilot.pause()
        assert not conversation.query(".-turn")
        assert conversation.all_messages() == []
        await ask(pilot, "Anything new?")
        shown = [getattr(v, "message", None) for v in conversation.query(".-turn")]
        assert [m.content for m in shown if m is not None][:1] == ["Anything new?"]
