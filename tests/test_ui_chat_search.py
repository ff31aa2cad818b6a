"""After a chat search (ctrl+f) a hit is opened: what stays of the search, and how it ends.

Chosen (QA): opening a hit keeps the search (its words in the box, its hits in the list, the
opened one marked), so the next hit is one key away (ctrl+f shows them again). On a terminal too
narrow for the chat list, where ctrl+f showed it for the search, the list hides again once a hit
is open (or the search ends): the conversation gets back its width. The search ends, and every
chat is listed again, on Escape (in the box or in the list) and when a new chat is started (a
list still filtered did not show it).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from typing import Any

import pytest
from textual import events
from textual.binding import Binding
from textual.pilot import Pilot

from pplx_tui.models import Message
from pplx_tui.store import ChatStore
from pplx_tui.store.index_db import DB_NAME
from pplx_tui.store.index_repair import NOTICE
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.key_sheet import key_sections
from pplx_tui.ui.widgets.chat_list import ChatList
from tests.support.chats import titled_chat
from tests.support.tui import (
    demo_app,
    on_screen,
    region_text,
    screen_lines,
    type_text,
    until,
    workspace,
)
from tests.test_readme import README

NARROW = (80, 24)
WIDE = (150, 40)


async def search_for(pilot: Pilot[Any], words: str) -> ChatList:
    """ctrl+f, ``words`` typed: the chat list, showing the one chat that holds them."""
    chat_list = workspace(pilot.app).query_one(ChatList)
    await pilot.press("ctrl+f")
    await type_text(pilot, words)
    await until(pilot, lambda: len(chat_list.entries) == 1)
    return chat_list


async def open_hit(pilot: Pilot[Any], words: str) -> ChatList:
    """ctrl+f, ``words`` typed, Enter (in the search box): the first hit is open."""
    screen = workspace(pilot.app)
    chat_list = screen.query_one(ChatList)
    await until(pilot, lambda: len(chat_list.entries) == 3)
    await search_for(pilot, words)
    await pilot.press("enter")
    await until(pilot, lambda: screen.chat.title == "Kyoto")
    return chat_list


def lisbon_open_kyoto_named(padding: str = "") -> PplxApp:
    """Chats "Kyoto" and "Lisbon" (whose answer names Kyoto once, after ``padding``), the app
    opening on Lisbon: a search for kyoto lists Kyoto best, then the open chat."""
    store = ChatStore()
    titled_chat(store, "Kyoto")
    lisbon = titled_chat(store, "Lisbon")
    lisbon.messages[1].content = f"Lisbon it is [1].{padding} Not Kyoto."
    store.save(lisbon)
    return make_app(demo=True, chat_id=lisbon.id)


async def search_kyoto(pilot: Pilot[Any]) -> ChatList:
    """Both chats listed, then ctrl+f and kyoto typed: the chat list."""
    chat_list = workspace(pilot.app).query_one(ChatList)
    await until(pilot, lambda: len(chat_list.entries) == 2)
    await pilot.press("ctrl+f")
    await type_text(pilot, "kyoto")
    return chat_list


def three_chats() -> None:
    store = ChatStore()
    for title in ("Kyoto", "Lisbon", "Oslo"):
        titled_chat(store, title)


async def test_a_hit_opened_on_a_narrow_terminal_gives_the_conversation_its_width_back() -> None:
    three_chats()
    app = demo_app()
    async with app.run_test(size=NARROW) as pilot:
        screen = workspace(app)
        chat_list = await open_hit(pilot, "kyoto")
        await until(pilot, lambda: not chat_list.display)
        assert screen.prompt.has_focus
        await until(pilot, lambda: screen.conversation.region.width > 70)  # once laid out
        # The search is kept: ctrl+f shows its hits again, the opened one marked.
        await pilot.press("ctrl+f")
        await until(pilot, lambda: chat_list.display)
        assert chat_list.query_text == "kyoto"
        assert [entry.title for entry in chat_list.entries] == ["Kyoto"]


async def test_a_hit_opened_where_the_chat_list_fits_keeps_the_list_and_its_hits() -> None:
    three_chats()
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        chat_list = await open_hit(pilot, "kyoto")
        await pilot.pause()
        assert chat_list.display
        assert chat_list.query_text == "kyoto"
        assert [entry.title for entry in chat_list.entries] == ["Kyoto"]


async def test_escape_in_the_list_of_hits_ends_the_search() -> None:
    three_chats()
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        chat_list = await open_hit(pilot, "kyoto")
        chat_list.options.focus()
        await until(pilot, lambda: chat_list.options.has_focus)
        await pilot.press("escape")
        await until(pilot, lambda: len(chat_list.entries) == 3)
        assert chat_list.query_text == ""
        assert screen.prompt.has_focus


async def test_escape_in_the_question_box_keeps_the_search_as_readme_and_key_sheet_say() -> None:
    """QA: README said "Escape or ctrl+n ends it", but Escape in the question box (where it
    stops an answer, among other jobs) keeps the search: both say where Escape ends it."""
    row = README.read_text(encoding="utf-8").split("| `ctrl+n` / `ctrl+b` / `ctrl+f` |")[1]
    row = " ".join(row.split("\n", 1)[0].split())
    assert "Escape in the search box or the list of hits, or `ctrl+n`, ends it" in row, row
    assert "not Escape in the question box" in row, row
    three_chats()
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        chat_list = await open_hit(pilot, "kyoto")
        screen.prompt.focus()
        await pilot.press("escape")
        await pilot.pause()
        assert chat_list.query_text == "kyoto"
        sheet = dict(key_sections(screen))
        escape = app.get_key_display(Binding("escape", ""))
        rows = dict(sheet["Chat list"])
        assert "search box or the list" in rows[escape], rows
        anywhere = dict(sheet["Anywhere"])
        search = next(what for what in anywhere.values() if what.startswith("Search the saved"))
        assert "Escape in the search box or the chat list" in search, search


async def test_a_new_chat_ends_the_search() -> None:
    three_chats()
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        chat_list = await open_hit(pilot, "kyoto")
        await pilot.press("ctrl+n")
        await until(pilot, lambda: len(chat_list.entries) == 3)
        assert chat_list.query_text == ""


async def test_escape_hides_a_list_shown_only_for_the_search() -> None:
    three_chats()
    app = demo_app()
    async with app.run_test(size=NARROW) as pilot:
        screen = workspace(app)
        chat_list = await search_for(pilot, "kyoto")
        await pilot.press("escape")
        await until(pilot, lambda: not chat_list.display)
        assert chat_list.query_text == ""
        assert screen.prompt.has_focus
        # Shown by ctrl+b, the list stays when a search in it ends.
        await pilot.press("ctrl+b", "slash")
        await type_text(pilot, "kyoto")
        await until(pilot, lambda: len(chat_list.entries) == 1)
        await pilot.press("escape")
        await until(pilot, lambda: len(chat_list.entries) == 3)
        assert chat_list.display


async def test_a_list_hidden_with_ctrl_b_hides_again_after_a_hit_where_it_would_fit() -> None:
    three_chats()
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        chat_list = screen.query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 3)
        await pilot.press("ctrl+b")  # hidden by hand, on a terminal wide enough for it
        await until(pilot, lambda: not chat_list.display)
        await open_hit(pilot, "kyoto")
        await until(pilot, lambda: not chat_list.display)
        assert screen.prompt.has_focus


@pytest.mark.parametrize("keys", [("enter",), ("down", "enter")])
async def test_enter_opens_the_best_hit_not_the_open_chat(keys: tuple[str, ...]) -> None:
    """QA: ctrl+f, words, Enter (to the hits), Enter opened the chat already open, a weaker hit
    lower in the list: the cursor rested on it, as it does in the list of every chat. Enter in
    the box, or Down (into the hits) and Enter, opens the best."""
    app = lisbon_open_kyoto_named(" Trams and hills. " * 40)
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        chat_list = await search_kyoto(pilot)
        await until(pilot, lambda: [e.title for e in chat_list.entries] == ["Kyoto", "Lisbon"])
        await pilot.press(*keys)
        await until(pilot, lambda: screen.chat.title == "Kyoto")


@pytest.mark.parametrize("keys", ["enter", "down and enter", "two enters at once"])
async def test_enter_before_the_hits_are_read_still_opens_the_best_hit(
    monkeypatch: pytest.MonkeyPatch, keys: str
) -> None:
    """QA (seen once by hand): words typed and Enter at once, before the search had answered:
    the focus went to the list of every chat, its cursor on the open chat, and stayed there
    when the hits came, so the next Enter opened the chat already open: nothing happened.
    Enter typed before the hits came (in the box, or in the list after Down) opens the best
    hit once they come; two at once open it once."""
    app = lisbon_open_kyoto_named()
    answered = threading.Event()
    search = ChatStore.search

    def slow_search(self: ChatStore, *args: Any, **kwargs: Any) -> Any:
        answered.wait(timeout=30)
        return search(self, *args, **kwargs)

    monkeypatch.setattr(ChatStore, "search", slow_search)
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        chat_list = await search_kyoto(pilot)
        if keys == "two enters at once":
            for _ in range(2):
                app.post_message(events.Key("enter", "\r"))
        elif keys == "down and enter":
            await pilot.press("down")
            await until(pilot, lambda: chat_list.options.has_focus)
            await pilot.press("enter")
        else:
            await pilot.press("enter")
        await pilot.pause()
        assert screen.chat.title == "Lisbon"
        answered.set()
        await until(pilot, lambda: screen.chat.title == "Kyoto")
        assert [e.title for e in chat_list.entries] == ["Kyoto", "Lisbon"]


async def test_a_hit_in_the_question_that_titles_the_chat_is_listed_once() -> None:
    """QA: a chat found by the words of its first question (its title) showed the title, its
    date and the same words again as the snippet: read as the chat listed twice. The words
    are marked in the title instead; a hit elsewhere still shows its snippet."""
    store = ChatStore()
    chat = store.new_chat()
    chat.title = "How do solar panels work"
    chat.messages.append(Message(role="user", content="How do solar panels work"))
    chat.messages.append(Message(role="assistant", content="Photons free electrons in silicon."))
    store.save(chat)
    app = make_app(demo=True)
    async with app.run_test(size=WIDE) as pilot:
        chat_list = workspace(app).query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 1)
        await search_for(pilot, "solar")
        assert region_text(app, chat_list).count("How do solar panels work") == 1
        await pilot.press("escape")
        await search_for(pilot, "silicon")
        await until(pilot, lambda: "Photons free electrons" in region_text(app, chat_list))
        assert region_text(app, chat_list).count("How do solar panels work") == 1


async def test_an_empty_list_says_why_it_is_empty() -> None:
    """QA: a new user's chat list was a blank column under "Chats (0)", and a search that found
    nothing a blank one under "Found in 0 chats"."""
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        chat_list = workspace(app).query_one(ChatList)
        await until(pilot, lambda: on_screen(app, "No chats yet"))
        assert "each question starts one" in region_text(app, chat_list)
    titled_chat(ChatStore(), "Kyoto")
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        chat_list = workspace(app).query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 1)
        await pilot.press("ctrl+f")
        await type_text(pilot, "zanzibar")
        await until(pilot, lambda: not chat_list.entries)
        await until(pilot, lambda: "No chat holds" in region_text(app, chat_list))
        assert "Found in 0 chats" in region_text(app, chat_list)
        # in the rows' gutter, as their titles are (QA: at the panel's edge)
        rows = chat_list.options.region
        note = next(line for line in screen_lines(app) if "No chat holds" in line)
        assert note[rows.x : rows.x + 4] == "  No", note


async def test_a_new_chat_hides_a_list_shown_only_for_the_search() -> None:
    three_chats()
    app = demo_app()
    async with app.run_test(size=NARROW) as pilot:
        screen = workspace(app)
        chat_list = await search_for(pilot, "kyoto")
        await pilot.press("ctrl+n")
        await until(pilot, lambda: not chat_list.display)
        assert chat_list.query_text == ""
        assert screen.prompt.has_focus


async def test_a_search_over_a_damaged_index_finds_the_chat_and_says_the_index_was_rebuilt() -> (
    None
):
    """The chats' rows and their search documents apart (damaged by hand): ctrl+f found
    nothing, and said nothing."""
    three_chats()
    store = ChatStore()
    assert len(store.search("kyoto")) == 1
    with contextlib.closing(sqlite3.connect(store.root / ".index" / DB_NAME)) as db:
        db.execute("UPDATE chats SET rowid = rowid + 1000")
        db.commit()
    app = demo_app()
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        chat_list = await search_for(pilot, "kyoto")
        assert [entry.title for entry in chat_list.entries] == ["Kyoto"]
        await until(pilot, lambda: app._notifications)
        assert [n.message for n in app._notifications] == [NOTICE]


async def test_a_chat_renamed_elsewhere_is_found_by_its_new_title() -> None:
    """QA: a chat renamed (F2, or `pplx chats rename` in another terminal) was not found by
    the words of its new title: titles were not searched."""
    three_chats()
    oslo = next(s for s in ChatStore().list_chats() if s.title == "Oslo")
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        chat_list = screen.query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 3)
        ChatStore().rename(oslo.id, "Jazz harmony: modal interchange")

        await search_for(pilot, "harmony")

        [entry] = chat_list.entries
        assert (entry.id, entry.title) == (oslo.id, "Jazz harmony: modal interchange")
        assert region_text(app, chat_list).count("Jazz harmony") == 1  # no snippet repeating it
        await pilot.press("enter")
        await until(pilot, lambda: screen.chat.title == "Jazz harmony: modal interchange")


async def test_enter_opens_the_chat_holding_the_whole_word_typed() -> None:
    """QA: ctrl+f, ``Uniqueword43``, Enter opened ``Uniqueword439``: the box looks for the
    last word as a prefix, and the chat holding the word itself was listed last, under newer
    ones holding longer words. It is the best hit, as ``pplx chats search`` finds it."""
    store = ChatStore()
    titled_chat(store, "Uniqueword43")
    for n in range(3):
        titled_chat(store, f"Uniqueword43{n}")
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        chat_list = screen.query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 4)
        await pilot.press("ctrl+f")
        await type_text(pilot, "Uniqueword43")
        await until(pilot, lambda: chat_list._listed_query == "Uniqueword43")
        assert chat_list.entries[0].title == "Uniqueword43"
        await pilot.press("enter")
        await until(pilot, lambda: screen.chat.title == "Uniqueword43")


async def test_a_search_where_the_list_showed_for_the_width_leaves_it_to_the_width() -> None:
    """QA: a search at 160 columns (the list shown for the width) ended with Escape; at 60
    columns the list was still shown, taking 23 of them."""
    app = lisbon_open_kyoto_named()
    async with app.run_test(size=(160, 48)) as pilot:
        chat_list = await search_kyoto(pilot)
        await until(pilot, lambda: len(chat_list.entries) == 2)
        await pilot.press("escape")
        await pilot.resize_terminal(60, 20)
        await until(pilot, lambda: not chat_list.display)
        await pilot.resize_terminal(160, 48)
        await until(pilot, lambda: chat_list.display)
