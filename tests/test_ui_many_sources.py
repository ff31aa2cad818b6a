"""An answer with 10,000 sources opens and scrolls like one with 10 (issue 13 item 7).

The sources panel is a virtual list: it draws only the rows on screen. Before, every source was
three widgets: 1,000 took 13.8 s to show and 10,000 did not show within two minutes. The test pins
the cause (the panel holds as many widgets for 10,000 sources as for 10) rather than a time;
``bench/bench_tui.py`` is where times are measured.
"""

from __future__ import annotations

from pplx_tui.models import Message, Source
from pplx_tui.store import ChatStore
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.sources_panel import SourcesPanel
from tests.support.tui import on_screen, until, workspace

SIZE = (150, 40)


def chat_with_sources(count: int) -> str:
    store = ChatStore()
    chat = store.new_chat()
    chat.settings.provider, chat.settings.model = "demo", "demo/sonar"
    sources = [
        Source(
            index=n,
            url=f"https://example.org/page/{n}",
            title=f"Result number {n}",
            snippet=f"Snippet of result {n}, long enough to wrap onto a second row of the panel.",
        )
        for n in range(1, count + 1)
    ]
    chat.messages += [
        Message(role="user", content="Everything?"),
        Message(role="assistant", content="See [1] and [9999].", sources=sources),
    ]
    store.save(chat)
    return chat.id


async def open_and_scroll(count: int) -> tuple[int, int]:
    """Open a chat whose answer has ``count`` sources in the running app, go to the last source
    and back to source 9 by keys: the panel's widget count after opening and after the keys."""
    chat_id = chat_with_sources(count)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = workspace(app)
        await until(pilot, lambda: bool(screen.query("#prompt")))
        # The chat list has read (and indexed) the chat: that cost is the index's, not opening's.
        await until(pilot, lambda: on_screen(app, "Everything?"), timeout=30)
        panel = screen.query_one(SourcesPanel)
        await screen.open_chat(chat_id)
        await until(pilot, lambda: len(panel.sources) == count, timeout=120)
        await pilot.pause()  # one frame drawn with them
        opened = len(panel.query("*"))
        assert on_screen(app, f"Sources ({count})") and on_screen(app, "[1] Result number 1")
        panel.list_view.focus()
        await pilot.press("end")
        await pilot.pause()
        last = panel.highlighted
        for _ in range(5):
            await pilot.press("pageup")
        await pilot.press("9")
        await pilot.pause()
        scrolled = len(panel.query("*"))
        assert last is not None and last.index == count
        assert panel.highlighted is not None and panel.highlighted.index == 9
        assert on_screen(app, "[9] Result number 9")
    return opened, scrolled


async def test_ten_thousand_sources_open_and_scroll_as_fast_as_ten() -> None:
    few_opened, few_scrolled = await open_and_scroll(10)
    many_opened, many_scrolled = await open_and_scroll(10_000)
    assert many_opened == few_opened, (few_opened, many_opened)
    assert many_scrolled == few_scrolled, (few_scrolled, many_scrolled)
