"""Finding text in the open chat (ctrl+f in the conversation), in the real app: the find bar
counts the messages holding the text and the places in the one shown, says which are shown,
says when n / p wrap around, and Escape in the conversation ends the find."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from pplx_tui.models import Chat, Message
from pplx_tui.store import ChatStore
from pplx_tui.ui.screens.research import ResearchScreen
from pplx_tui.ui.widgets.conversation_pages import PAGE
from pplx_tui.ui.widgets.find_bar import FindBar
from pplx_tui.ui.widgets.prompt import PromptInput
from tests.support.cli import answer_frames
from tests.support.loopback import LoopbackServer, Reply
from tests.support.tui import demo_app, find_in_chat, loopback_app, region_text, until, workspace

WIDE = (150, 40)


def trip_chat(store: ChatStore, days: int = 12, ferry_on: tuple[int, ...] = (2, 9)) -> Chat:
    """``days`` questions and answers; the answers of ``ferry_on`` days say "ferry" (twice)."""
    chat = store.new_chat()
    chat.title = "Trip"
    for n in range(days):
        chat.messages.append(Message(role="user", content=f"Day {n}?"))
        words = "take the ferry, the ferry" if n in ferry_on else f"a quiet day number {n}"
        chat.messages.append(Message(role="assistant", content=f"Day {n}: {words}."))
    store.save(chat)
    return chat


def found(screen: ResearchScreen) -> Message | None:
    """The message of the turn marked found, if any."""
    marked = screen.conversation.query(".-found")
    return getattr(marked.first(), "message", None) if marked else None


async def finding(pilot: Pilot[object], chat: Chat, text: str) -> FindBar:
    """The find bar once ``chat`` is open and ctrl+f looks for ``text`` in it."""
    await workspace(pilot.app).open_chat(chat.id)  # type: ignore[arg-type]
    return await find_in_chat(pilot, text)


def bar_text(bar: FindBar) -> str:
    """What the find bar shows, its border included (the count is on it)."""
    return " ".join(region_text(bar.app, bar).split())  # type: ignore[arg-type]


async def test_the_find_bar_counts_the_messages_and_says_which_is_shown() -> None:
    """QA: with 2,848 messages holding "galaxy" the find bar said nothing of how many there
    were or which one was shown (a toast did, for 4 seconds)."""
    chat = trip_chat(ChatStore())
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        bar = await finding(pilot, chat, "ferry")
        await until(pilot, lambda: "message 2 of 2 · match 1 of 2" in bar_text(bar))
        await pilot.press("p")  # the answer before: its last "ferry"
        await until(pilot, lambda: "message 1 of 2 · match 2 of 2" in bar_text(bar))
        assert "wrapped" not in bar_text(bar)

        bar.focus()
        await pilot.press("ctrl+u", *"zanzibar", "enter")
        await until(pilot, lambda: "no match" in bar_text(bar))
        assert "message" not in bar_text(bar)


async def test_n_and_p_say_when_they_wrap_around() -> None:
    """QA: n from the last message holding the text went on at the first one (and p from
    the first at the last) without a word."""
    chat = trip_chat(ChatStore(), ferry_on=(2, 5, 9))
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        bar = await finding(pilot, chat, "ferry")
        await until(pilot, lambda: "message 3 of 3 · match 1 of 2" in bar_text(bar))
        await pilot.press("n", "n")  # from the last place of the last: the first
        await until(pilot, lambda: "message 1 of 3 · match 1 of 2" in bar_text(bar))
        assert "wrapped to the first" in bar_text(bar)
        await pilot.press("n", "n")
        await until(pilot, lambda: "message 2 of 3 · match 1 of 2" in bar_text(bar))
        assert "wrapped" not in bar_text(bar)
        await pilot.press("p", "p", "p")  # from the first place of the first: the last
        await until(pilot, lambda: "message 3 of 3 · match 2 of 2" in bar_text(bar))
        assert "wrapped to the last" in bar_text(bar)


async def test_counting_in_a_long_chat_mounts_no_more_pages() -> None:
    """The count is of the chat's text: a find in 2,000 messages mounts the hit's page only."""
    chat = trip_chat(ChatStore(), days=1000, ferry_on=tuple(range(0, 1000, 2)))
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        bar = await finding(pilot, chat, "ferry")
        await until(pilot, lambda: "message 500 of 500" in bar_text(bar))
        await pilot.press("n", "n")  # (its second "ferry", then the first message's)
        await until(pilot, lambda: "message 1 of 500" in bar_text(bar))
        assert len(screen.conversation.query(".-turn")) <= 3 * PAGE


async def test_escape_in_the_conversation_ends_the_find_then_goes_to_the_question_box() -> None:
    """QA: Escape Escape after a find left the find bar with "galaxy" on screen while two
    questions were asked: Enter in the find box moves to the conversation (for n / p), where
    Escape went to the question box and left the find going."""
    chat = trip_chat(ChatStore())
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        bar = await finding(pilot, chat, "ferry")
        await until(pilot, lambda: found(screen) is screen.chat.messages[19])
        await pilot.press("n", "n")  # (its second "ferry", then the first message's)
        await until(pilot, lambda: found(screen) is screen.chat.messages[5])
        assert screen.conversation.has_focus
        await pilot.press("escape")
        await until(pilot, lambda: not bar.display)
        assert not bar.finding and screen.conversation.has_focus
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.focused, PromptInput))
        assert not bar.display


async def test_escape_in_the_conversation_while_an_answer_streams_ends_the_find_first(
    loopback: LoopbackServer,
) -> None:
    """The find is closed first, as the innermost thing open; the next Escape stops the answer."""
    store = ChatStore()
    chat = trip_chat(store)
    reply = Reply(chunks=answer_frames(["A ferry ", "at nine."]), hang_after=1)
    loopback.queue(reply)
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        screen.prompt.insert("And the ferry?")
        await pilot.press("enter")
        await until(pilot, lambda: screen.pending is not None)
        bar = await find_in_chat(pilot, "ferry")
        await until(pilot, lambda: found(screen) is not None)
        await pilot.press("escape")
        await until(pilot, lambda: not bar.display)
        assert screen.pending is not None and screen.conversation.has_focus
        await pilot.press("escape")
        await until(pilot, lambda: screen.pending is None)
        reply.resume()


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_a_narrow_find_bar_keeps_the_count_and_the_wrap_whole(size: tuple[int, int]) -> None:
    """QA at 60x20: after n wrapped, the find bar's border read "message 1 of 3 · wrapped to
    t…" (at 80 columns "… · n / p step, E…"): cut mid-word, where the count and the wrap fit
    whole once the keys (also in the key bar) give way, and "message " before them."""
    chat = trip_chat(ChatStore(), ferry_on=(2, 5, 9))
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        bar = await finding(pilot, chat, "ferry")
        await until(pilot, lambda: "3 of 3" in bar_text(bar))
        assert "…" not in bar_text(bar)
        await pilot.press("n", "n")  # from the last place of the last: the first
        await until(pilot, lambda: "1 of 3" in bar_text(bar))
        assert "wrapped to the first" in bar_text(bar)
        assert "…" not in bar_text(bar)

        await pilot.resize_terminal(150, 40)  # room again: all of it
        wide = "message 1 of 3 · match 1 of 2 · wrapped to the first · n / p"
        await until(pilot, lambda: wide in bar_text(bar))
