"""What the user reads stays in view when the text wraps to a new width (a resized terminal, a
side panel shown or hidden), and a snippet opened at the end of an answer shows whole.

Each paragraph's words are its own ("p35w07"), so a row on the screen says which paragraph and
which words of it it shows.
"""

from __future__ import annotations

from typing import Any

from pplx_tui.models import Chat, Message, Source
from pplx_tui.store import ChatStore
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.answer_text import AnswerText
from tests.support.tui import find_in_chat, region_text, screen_lines, until, workspace

SNIPPET_END = "the end of the snippet"


def long_chat(paragraphs: int = 60, words: int = 24) -> Chat:
    """An answer of ``paragraphs`` paragraphs, each ending with a marker glued to its last word."""
    text = "\n\n".join(
        f"Paragraph {n}: "
        + " ".join(f"p{n}w{k:02}" for k in range(1, words + 1))
        + f"[{n % 3 + 1}]"
        for n in range(1, paragraphs + 1)
    )
    return saved_chat(text)


def saved_chat(text: str) -> Chat:
    store = ChatStore()
    chat = store.new_chat()
    chat.title = "Long"
    chat.add(Message(role="user", content="Long?"))
    sources = [
        Source(
            index=n,
            url=f"https://s{n}.example/",
            title=f"Source {n}",
            snippet=f"Snippet {n}: " + "some words of the page " * 8 + SNIPPET_END,
        )
        for n in (1, 2, 3)
    ]
    chat.add(Message(role="assistant", content=text, model="demo/sonar", sources=sources))
    return store.save(chat)


def conversation_rows(app: Any) -> list[str]:
    """The rows the conversation shows, its borders and margins stripped."""
    region = workspace(app).conversation.content_region
    rows = screen_lines(app)[region.y : region.bottom]
    return [row[region.x : region.right].strip(" ▊▎│") for row in rows]


def cursor_row(app: Any) -> str | None:
    """The screen row the reading cursor is drawn on (``None``: not in the conversation's view),
    checked to hold the marker where the cursor says it is."""
    conversation = workspace(app).conversation
    segment = next(s for s in conversation.query(AnswerText) if s.cursor is not None)
    cursor = segment.cursor
    assert cursor is not None
    y = segment.region.y + cursor.line
    if not conversation.content_region.y <= y < conversation.content_region.bottom:
        return None
    row = screen_lines(app)[y]
    x = segment.region.x
    assert row[x + cursor.start : x + cursor.end] == "[2]"
    return row


async def test_the_reading_cursor_stays_on_screen_as_the_terminal_is_resized() -> None:
    """QA: the cursor on paragraph 40's marker at 200x60; at 80x24 the screen showed paragraphs
    22-26 and no marked marker, at 60x20 19-21; back at 200x60, paragraph 28 was at the top."""
    app = make_app(chat_id=long_chat().id)
    async with app.run_test(size=(200, 60)) as pilot:
        conversation = workspace(app).conversation
        await until(pilot, lambda: conversation.selected is not None)
        conversation.focus()
        await pilot.press("home", *["n"] * 40)
        await until(pilot, lambda: "p40w24[2]" in (cursor_row(app) or ""))
        shown = conversation_rows(app)
        for size in ((80, 24), (60, 20), (200, 60)):
            await pilot.resize_terminal(*size)
            await until(pilot, lambda: "p40w24[2]" in (cursor_row(app) or ""), what=f"at {size}")
        await until(pilot, lambda: conversation_rows(app) == shown)


async def test_the_top_line_stays_at_the_top_as_the_sources_panel_hides_and_shows() -> None:
    """QA: at 120x40 with paragraph 35 at the top, ctrl+s (the sources hidden) showed paragraph
    41 at the top, and each hide and show moved the view further."""
    app = make_app(chat_id=long_chat().id)
    async with app.run_test(size=(120, 40)) as pilot:
        conversation = workspace(app).conversation
        await until(pilot, lambda: conversation.selected is not None)
        conversation.focus()
        await pilot.press("end", "pageup", "pageup", "pageup")
        await pilot.pause()
        shown = conversation_rows(app)
        first = next(word for word in shown[0].split() if word.startswith("p"))  # (p35w01)
        for _ in range(2):
            await pilot.press("ctrl+s")
            await until(pilot, lambda: conversation.size.width == 120 - 2)
            await pilot.pause()
            assert first in conversation_rows(app)[0].split()
            assert conversation_rows(app)[0] != shown[0]  # (wrapped at another width)
            await pilot.press("ctrl+s")
            await until(pilot, lambda: conversation_rows(app) == shown)


async def test_a_find_s_match_stays_on_screen_as_the_terminal_is_resized() -> None:
    app = make_app(chat_id=long_chat().id)
    async with app.run_test(size=(200, 60)) as pilot:
        conversation = workspace(app).conversation
        await until(pilot, lambda: conversation.selected is not None)
        await find_in_chat(pilot, "p40w20")
        await until(pilot, lambda: "p40w20" in region_text(app, conversation))
        for size in ((80, 24), (60, 20), (200, 60)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await until(pilot, lambda: "p40w20" in region_text(app, conversation), what=f"{size}")


async def test_a_snippet_opened_on_the_last_line_of_a_short_chat_shows_whole() -> None:
    """QA: at 100x40, space on the last line's [3] showed the snippet's first row only, the
    rest hidden under the question box until scrolled by hand."""
    paragraphs = "\n\n".join(f"Paragraph {n} of a short answer [1]." for n in range(1, 8))
    app = make_app(chat_id=saved_chat(f"{paragraphs}\n\nPlain [3] after.\n").id)
    async with app.run_test(size=(100, 40)) as pilot:
        conversation = workspace(app).conversation
        await until(pilot, lambda: conversation.selected is not None)
        conversation.focus()
        await pilot.press("end", "3", "space")
        await until(pilot, lambda: "Snippet 3:" in region_text(app, conversation))
        await until(pilot, lambda: SNIPPET_END in region_text(app, conversation))
        assert "Plain [3] after." in region_text(app, conversation)
