"""A scroll and a layout in the same frame: the terminal is drawn again where the view moved.

QA (tmux, 80x24): Home, then ``5`` on an answer citing [5] with four sources. The cursor went
to the marker and the view scrolled to it, while the toast "There is no source [5]." was
mounted: the terminal kept the view at the top but for the toast; once the toast went (or
with the next, after Enter) only the rows it had covered were drawn at the new place. Textual
compares the widgets' places with those it last looked up; a look-up between the scroll and
the frame (any widget's ``refresh``) takes the scrolled places, so nothing seemed to move.
These tests read what a terminal would show (:mod:`tests.support.terminal_copy`).
"""

from __future__ import annotations

from pplx_tui.models import Chat, Message, Source
from pplx_tui.store import ChatStore
from pplx_tui.ui.factory import make_app
from tests.support.terminal_copy import terminal_copy
from tests.support.tui import frame_cells, until, workspace


def chat_citing_a_fifth_source(store: ChatStore) -> Chat:
    """A long answer citing [1] to [4], and at its end [5], which names none of its sources."""
    chat = store.new_chat()
    chat.title = "Slow start"
    filler = "\n\n".join(f"Paragraph {n} of filler text [{n % 4 + 1}]." for n in range(40))
    text = f"{filler}\n\nCompare with the bandwidth delay product [5].\n\nThat is all."
    chat.messages.append(Message(role="user", content="Explain TCP slow start"))
    chat.messages.append(
        Message(
            role="assistant",
            content=text,
            provider="demo",
            model="demo/sonar",
            sources=[
                Source(index=n, url=f"https://s{n}.example/", title=f"Source {n}")
                for n in range(1, 5)
            ],
        )
    )
    return store.save(chat)


def lines_of(cells: list[list[str]]) -> list[str]:
    return ["".join(row).replace("\xa0", " ").rstrip() for row in cells]


async def test_a_scroll_with_a_layout_in_the_same_frame_is_drawn() -> None:
    """The scroll and a layout in one frame (the toast's mount; here the hidden sources panel's
    refresh, which looks the places up as the toast's rack did): the terminal shows the
    scrolled view, all of it."""
    chat = chat_citing_a_fifth_source(ChatStore())
    app = make_app(chat_id=chat.id)
    with terminal_copy(app) as terminal:
        async with app.run_test(size=(80, 24)) as pilot:
            screen = workspace(app)
            conversation = screen.conversation
            await until(pilot, lambda: conversation.max_scroll_y > 40)
            conversation.focus()
            await pilot.press("home")
            await until(pilot, lambda: conversation.scroll_y == 0)
            await until(pilot, lambda: "Paragraph 0 of" in terminal.text())

            def scroll_and_lay_out() -> None:
                conversation.scroll_to(y=conversation.max_scroll_y, animate=False, immediate=True)
                assert not screen.sources.display  # (80x24)
                screen.sources.refresh(layout=True)

            app.call_later(scroll_and_lay_out)
            await until(pilot, lambda: conversation.scroll_y == conversation.max_scroll_y)
            await until(
                pilot,
                lambda: "That is all." in terminal.text(),
                timeout=3,
                what="the scrolled view drawn on the terminal",
            )
            await pilot.pause()
            assert terminal.lines() == lines_of(frame_cells(app))


async def test_the_number_of_a_marker_naming_no_source_goes_to_it_and_says_so() -> None:
    """As ``n`` stops on it: ``5`` puts the cursor on [5] and scrolls it into view, and the
    toast says there is no source [5] (Enter on it says so again)."""
    chat = chat_citing_a_fifth_source(ChatStore())
    app = make_app(chat_id=chat.id)
    with terminal_copy(app) as terminal:
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            conversation = workspace(app).conversation
            await until(pilot, lambda: conversation.max_scroll_y > 40)
            conversation.focus()
            await pilot.press("home")
            await until(pilot, lambda: "Paragraph 0 of" in terminal.text())
            await pilot.press("5")
            await until(pilot, lambda: "There is no source [5]." in terminal.text())
            await until(pilot, lambda: "bandwidth delay product [5]" in terminal.text())
            stop = conversation._cursor
            assert stop is not None and stop.number == 5
