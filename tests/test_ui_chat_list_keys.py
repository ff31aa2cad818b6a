"""Keys in the chat list and its search box: where the cursor goes after a delete, and what
Down and Enter do in the search box."""

from __future__ import annotations

import pytest
from textual import events
from textual.pilot import Pilot

from pplx_tui.store import ChatStore
from pplx_tui.ui.dialogs.confirm import ConfirmScreen
from pplx_tui.ui.widgets.chat_list import ChatList
from tests.support.chats import titled_chat
from tests.support.tui import demo_app, type_text, until, workspace
from tests.test_ui_key_bursts import burst

WIDE = (150, 40)
TITLES = ["Accra", "Bergen", "Cusco", "Dakar", "Essen", "Fez"]


def _save_titles(suffix: str = "") -> None:
    """A chat for each of :data:`TITLES` (with ``suffix``), saved in that order."""
    store = ChatStore()
    for title in TITLES:
        titled_chat(store, title + suffix)


@pytest.mark.parametrize(("ups", "then"), [(3, "Cusco"), (0, "Bergen")])
async def test_a_delete_keeps_the_cursor_where_it_was(ups: int, then: str) -> None:
    """QA: ctrl+b, End, Up Up Up, Delete, confirm: the cursor jumped to the first chat. It goes
    to the chat below the one deleted (Dakar's place: Cusco, saved before it), or to the one
    above when the last was deleted (Accra's: Bergen)."""
    _save_titles()  # newest last: listed Fez first, Accra last
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        chat_list = workspace(app).query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == len(TITLES))
        chat_list.options.focus()
        await pilot.press("end", *["up"] * ups)
        gone = chat_list.entries[chat_list.options.highlighted or 0].title
        assert gone == ("Dakar" if ups else "Accra")
        await pilot.press("delete")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("tab", "enter")  # the Delete button
        await until(pilot, lambda: len(chat_list.entries) == len(TITLES) - 1)
        await until(pilot, lambda: chat_list.options.has_focus)
        highlighted = chat_list.options.highlighted
        assert highlighted is not None and chat_list.entries[highlighted].title == then


async def searched_for_dakar(pilot: Pilot[object]) -> ChatList:
    """The chat list once ctrl+f and "dakar" have left Dakar its one hit."""
    chat_list = workspace(pilot.app).query_one(ChatList)
    await until(pilot, lambda: len(chat_list.entries) == len(TITLES))
    await pilot.press("ctrl+f")
    await type_text(pilot, "dakar")
    await until(pilot, lambda: [e.title for e in chat_list.entries] == ["Dakar"])
    return chat_list


async def test_enter_in_the_search_box_opens_the_first_hit() -> None:
    """QA: with 'Found in 1 chat', Enter in the search box only moved to the list (a second
    Enter opened the hit). Enter opens the highlighted (best) hit."""
    _save_titles()
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await searched_for_dakar(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: screen.chat.title == "Dakar")
        assert screen.prompt.has_focus


async def test_down_in_the_search_box_moves_to_the_first_hit() -> None:
    """QA: Down in the search box did nothing; it moves into the list, on the first hit."""
    _save_titles()
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        chat_list = await searched_for_dakar(pilot)
        await pilot.press("down")
        await until(pilot, lambda: chat_list.options.has_focus)
        assert chat_list.options.highlighted == 0
        await pilot.press("enter")
        await until(pilot, lambda: screen.chat.title == "Dakar")


async def test_downs_typed_at_once_in_the_search_box_each_move_a_hit() -> None:
    """QA: Down Down Down sent at once from the search box left the cursor on the first hit
    (the focus moved to the hits after the other Downs had reached the box again), so
    Down Down Enter opened the wrong chat. The first Down goes to the hits, each next one moves
    one hit, however fast."""
    _save_titles(" harbour")
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        chat_list = screen.query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == len(TITLES))
        await pilot.press("ctrl+f")
        await type_text(pilot, "harbour")
        await until(pilot, lambda: chat_list._listed_query == "harbour")
        await burst(pilot, "down", "down", "down")  # as a terminal hands them on, at once
        await until(pilot, lambda: chat_list.options.has_focus)
        assert chat_list.options.highlighted == 2
        third = chat_list.entries[2].title
        await pilot.press("up", "down", "enter")
        await until(pilot, lambda: screen.chat.title == third)


async def test_keys_typed_at_once_after_enter_in_the_empty_search_box_reach_the_list() -> None:
    """Enter in an empty search box goes to the list of every chat; the keys sent with it
    (Enter Down Down Enter from a fast typist or tmux) move its cursor and open that chat, as
    they do typed one by one (they found the box still focused, and were lost)."""
    _save_titles()
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        chat_list = screen.query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == len(TITLES))
        await pilot.press("ctrl+f")
        await until(pilot, lambda: chat_list.query_one("#chat-search").has_focus)
        await burst(pilot, "enter", "down", "down")
        await until(pilot, lambda: chat_list.options.has_focus)
        assert chat_list.options.highlighted == 2
        third = chat_list.entries[2].title
        await pilot.press("enter")
        await until(pilot, lambda: screen.chat.title == third)


@pytest.mark.parametrize(
    ("size", "key"), [((80, 24), "home"), ((150, 40), "home"), ((150, 40), "end")]
)
async def test_home_and_end_bring_their_chat_into_view_after_the_wheel(
    size: tuple[int, int], key: str
) -> None:
    """QA: Home in the chat list, the wheel down, Home again: the list stayed scrolled, the
    first chat out of view while the key bar offered to delete it. Home (and End) show the
    chat they go to even when the cursor is on it already."""
    store = ChatStore()
    for number in range(40):
        titled_chat(store, f"Chat {number}")
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        chat_list = workspace(app).query_one(ChatList)
        if not chat_list.display:
            await pilot.press("ctrl+b")
        await until(pilot, lambda: len(chat_list.entries) == 40)
        options = chat_list.options
        options.focus()
        await pilot.press(key)
        at = options.scroll_y
        wheel = events.MouseScrollDown if key == "home" else events.MouseScrollUp
        while abs(options.scroll_y - at) < options.size.height:  # a page away from it
            options.post_message(wheel(options, 2, 2, 0, 0, 0, False, False, False, 2, 2))
            await pilot.pause()
        await pilot.press(key)
        await pilot.pause()  # (the key handled: a list read again later scrolls it too)
        assert options.scroll_y == at
        assert options.highlighted == (0 if key == "home" else 39)
