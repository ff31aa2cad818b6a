"""A reopened long chat: its earlier pages come as the view is scrolled up (keys or wheel),
keeping in place what was read, and every page starts with a question."""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot

from pplx_tui.models import Chat, Message
from pplx_tui.store import ChatStore
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.conversation import Conversation
from pplx_tui.ui.widgets.conversation_pages import PAGE
from tests.support.chats import phobos_chat
from tests.support.key_bursts import post_at_once
from tests.support.tui import on_screen, until
from tests.support.tui import workspace as research


def long_chat(pairs: int) -> Chat:
    """A saved chat of ``pairs`` questions, each answered in a few lines (a page then holds an
    odd number of messages at 80x24 and 150x40 unless it keeps to whole turns)."""
    store = ChatStore()
    chat = store.new_chat()
    chat.title = "Long"
    for number in range(pairs):
        chat.messages.append(Message(role="user", content=f"Question {number}?"))
        answer = f"Answer {number}: " + "a line of the answer. " * 12
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


def _pages_hold_whole_turns(conversation: Conversation) -> bool:
    """Whether the mounted messages start with a question and, when later ones are held, end
    with an answer (the next page starts with its question)."""
    turns = conversation.query_children(".-turn")
    shown = [m for t in turns if (m := getattr(t, "message", None)) is not None]
    messages = conversation.all_messages()
    later = messages[next(n for n, m in enumerate(messages) if m is shown[-1]) + 1 :]
    return shown[0].role == "user" and (not later or later[0].role == "user")


@pytest.mark.parametrize("size", [(80, 24), (150, 40)])
async def test_every_page_of_a_long_chat_starts_with_a_question(size: tuple[int, int]) -> None:
    """QA: a reopened long chat opened with an answer under "▲ 29 earlier messages", its
    question on the page not mounted. Each page starts with a question: the last, those
    above it, the first (Home) and those below it."""
    chat = long_chat(PAGE * 2)
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=size) as pilot:
        screen = research(app)
        conversation = screen.query_one(Conversation)
        await until(pilot, lambda: conversation.max_scroll_y > 0)
        assert _pages_hold_whole_turns(conversation)
        conversation.focus()
        await pilot.press("home")
        await until(pilot, lambda: conversation.query(".conversation--later"))
        for _ in range(2):  # the first page and the one below it
            assert _pages_hold_whole_turns(conversation)
            mounted = len(conversation.query(".-turn"))
            while len(conversation.query(".-turn")) == mounted:
                await pilot.press("pagedown")
        assert _pages_hold_whole_turns(conversation)
        await pilot.press("end")  # the last page again, those above it held
        opening = screen.chat.messages[0]
        await until(pilot, lambda: conversation.earlier_holds(opening))
        while conversation.earlier_holds(opening):  # (scrolling up to each: tested above)
            assert _pages_hold_whole_turns(conversation)
            await conversation.load_earlier()
            await pilot.pause()
        assert _pages_hold_whole_turns(conversation)


async def test_shift_up_at_the_first_answer_mounted_selects_the_one_on_the_earlier_page() -> None:
    """shift+up stopped at the first answer mounted of a reopened long chat (shift+down mounts
    the next page). It mounts the earlier page and selects the answer above, in view; step by
    step up to the chat's first answer."""
    chat = phobos_chat(ChatStore(), [f"Question {n}" for n in range(12)])
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = research(app)
        conversation = screen.query_one(Conversation)
        await until(pilot, lambda: conversation.selected is not None)
        answers = [m for m in screen.chat.messages if m.role == "assistant"]
        assert conversation.earlier_holds(answers[0])
        conversation.focus()
        for above in reversed(answers[:-1]):
            await pilot.press("shift+up")
            await until(pilot, lambda a=above: _selected(conversation) is a)
            await until(pilot, lambda: _top_in_view(conversation))
            for _ in range(3):  # and stays there (no later scroll takes it away)
                await pilot.pause()
            assert _top_in_view(conversation)
        assert not conversation.earlier_holds(answers[0])


def _selected(conversation: Conversation) -> Message | None:
    return conversation.selected.message if conversation.selected is not None else None


def _top_in_view(conversation: Conversation) -> bool:
    """Whether the selected answer's top is within the view."""
    assert conversation.selected is not None
    top = conversation.selected.virtual_region.y - conversation.scroll_y
    return 0 <= top < conversation.scrollable_content_region.height


def _screens_high(answers: int, paragraphs: int) -> str:
    """A saved chat of ``answers`` answers of ``paragraphs`` paragraphs each (one page of
    messages, many screens high); its id."""
    store = ChatStore()
    chat = store.new_chat()
    for number in range(answers):
        chat.messages.append(Message(role="user", content=f"Question {number}?"))
        answer = "\n\n".join(f"Paragraph {n} of answer {number}." for n in range(paragraphs))
        chat.messages.append(Message(role="assistant", content=answer, model="demo/sonar"))
    store.save(chat)
    return chat.id


async def _at_the_bottom(pilot: Pilot[Any]) -> tuple[Conversation, int]:
    """The opened chat's conversation, focused and scrolled to its end; that end."""
    conversation = research(pilot.app).query_one(Conversation)
    await until(pilot, lambda: conversation.max_scroll_y > 0)
    conversation.focus()
    await pilot.wait_for_scheduled_animations()
    bottom = conversation.max_scroll_y
    await until(pilot, lambda: conversation.scroll_y == bottom)
    return conversation, bottom


async def test_pagedown_held_down_moves_a_page_a_press() -> None:
    """QA: PageUp/PageDown pressed faster than the scroll they start (a key held down, a
    burst) moved 9 answers for 30 presses: each went a page from where the scroll had got to,
    half-way, not from where it was going. Each press is a page."""
    app = make_app(chat_id=_screens_high(answers=3, paragraphs=40))
    async with app.run_test(size=(80, 24)) as pilot:
        conversation, bottom = await _at_the_bottom(pilot)
        page = conversation.scrollable_content_region.height
        assert bottom > 4 * page
        for _ in range(3):  # handed to the app before it handles the first
            key = events.Key("pageup", None)
            key.set_sender(app)
            app.post_message(key)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await until(pilot, lambda: conversation.scroll_y == conversation.scroll_target_y)
        assert conversation.scroll_y == bottom - 3 * page


async def test_arrows_read_together_scroll_a_line_each() -> None:
    """QA in tmux: ``send-keys Up Up Up Up Up`` (one write) moved the conversation one line:
    Textual scrolls each arrow a line from its target after the next refresh, so every arrow
    of a burst went one line from the same place."""
    app = make_app(chat_id=_screens_high(answers=1, paragraphs=60))
    async with app.run_test(size=(80, 24)) as pilot:
        conversation, bottom = await _at_the_bottom(pilot)
        post_at_once(app, ["up"] * 5)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await until(pilot, lambda: conversation.scroll_y == conversation.scroll_target_y)
        assert conversation.scroll_y == bottom - 5
        post_at_once(app, ["down"] * 3)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await until(pilot, lambda: conversation.scroll_y == conversation.scroll_target_y)
        assert conversation.scroll_y == bottom - 2
