"""What a click with the mouse does (QA drove the app with the mouse: clicks that did nothing,
or did it only the second time)."""

from __future__ import annotations

from pplx_tui.store import ChatStore
from pplx_tui.ui.widgets.chat_list import ChatList
from tests.support.tui import demo_app, until
from tests.support.tui import workspace as research

WIDE = (200, 50)


async def test_one_click_on_a_chat_opens_it_and_focusing_the_list_moves_no_row() -> None:
    """QA: the first click focused the list, whose focus frame added a row above the chats: the
    rows moved down under the pointer and nothing opened (or the chat above did)."""
    store = ChatStore()
    for title in ("How does TCP slow start work", "Who discovered Phobos", "What is CRISPR"):
        chat = store.new_chat()
        chat.title = title
        store.save(chat)
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = research(app)
        chat_list = screen.query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 3)
        assert not chat_list.has_focus_within  # (the question box has the focus)
        options = chat_list.options
        rows_at = options.content_region
        tcp = chat_list.entries[2]
        assert tcp.title == "How does TCP slow start work"
        assert await pilot.click(options, offset=(3, 4))  # its title: two lines a chat
        await until(pilot, lambda: screen.chat.id == tcp.id, what="the chat clicked opened")
        options.focus()
        await pilot.pause()
        assert options.content_region == rows_at
