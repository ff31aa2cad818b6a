"""Where the reading cursor goes and what it says, in the real app: in a compared column, on a
marker clicked, on a marker that names no source, on a link wrapped over two rows; not into the
reasoning, whose markers are text."""

from __future__ import annotations

import re
from typing import Any

import pytest
from textual.color import Color

from pplx_tui.models import Chat, Message, Source
from pplx_tui.store import ChatStore
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.answer_text import AnswerText
from pplx_tui.ui.widgets.comparison import Comparison
from pplx_tui.ui.widgets.markdown_text import MarkdownText
from pplx_tui.ui.widgets.message_view import AnswerView
from tests.support.contrast import cells
from tests.support.tui import Notifications, frame, region_text, screen_lines, until, workspace

_MARKER = re.compile(r"\[\d+\]")


def lit_markers(app: Any) -> list[tuple[int, int, str]]:
    """The ``[n]`` markers drawn on another background than the cell before them (the reading
    cursor's), as (row, column, text) on the screen."""
    found = []
    for row, strips in enumerate(frame(app)):
        column, before = 0, None
        for strip in strips:
            for segment in strip:
                if segment.control:
                    continue
                style = segment.style
                background = style.bgcolor if style is not None else None
                if _MARKER.fullmatch(segment.text) and before is not None and background != before:
                    found.append((row, column, segment.text))
                column += segment.cell_length
                before = background
    return found


def sources(*numbers: int) -> list[Source]:
    return [
        Source(index=n, url=f"https://s{n}.example/", title=f"Source {n}", snippet=f"Snippet {n}.")
        for n in numbers
    ]


def compared_chat() -> Chat:
    """A first answer, then a comparison of two columns whose markers stand far down."""
    store = ChatStore()
    chat = store.new_chat()
    chat.title = "Compared"
    chat.add(Message(role="user", content="First?"))
    earlier = "\n\n".join(f"Earlier paragraph {n}." for n in range(12))
    chat.add(Message(role="assistant", content=earlier, model="demo/sonar", sources=sources(1)))
    question = chat.add(Message(role="user", content="Moons?"))
    filler = "\n\n".join(f"Filler paragraph {n}." for n in range(25))
    for name in ("Alpha", "Beta"):
        text = f"{filler}\n\n{name} cites [1] here.\n\n{name} cites [2] there.\n"
        chat.add(
            Message(
                role="assistant",
                content=text,
                model=f"demo/{name.lower()}",
                comparison="c1",
                sources=sources(1, 2),
            ),
            after=question.id,
            choose=False,
        )
    chat.choose(chat.children(question.id)[0].id)
    return store.save(chat)


def in_view(app: Any, view: AnswerView, text: str) -> bool:
    """Whether ``text`` shows in ``view``'s part of the screen, inside the conversation's."""
    conversation = workspace(app).conversation
    return text in region_text(app, view) and text in region_text(app, conversation)


def lit_in(app: Any, view: AnswerView) -> list[str]:
    """The markers the reading cursor marks in ``view``'s part of the screen."""
    shown = workspace(app).conversation.region.intersection(view.region)
    return [text for row, column, text in lit_markers(app) if shown.contains(column, row)]


@pytest.mark.parametrize("size", [(150, 40), (80, 24)])
async def test_n_and_digits_on_a_compared_column_scroll_to_its_markers_and_mark_them(
    size: tuple[int, int],
) -> None:
    """QA: on a side-by-side answer, n scrolled to the chat's first answer (80x24) or a
    full-width answer far above (200x50), and no marker was seen marked."""
    chat = compared_chat()
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=size) as pilot:
        conversation = workspace(app).conversation
        await until(pilot, lambda: bool(conversation.query(Comparison)))
        comparison = conversation.query_one(Comparison)
        column = comparison.views[0 if comparison.narrow else 1]
        name = "Alpha" if comparison.narrow else "Beta"
        conversation.focus()
        conversation.select(column)
        conversation.scroll_home(animate=False, immediate=True)
        await pilot.pause()
        await pilot.press("n")
        await until(pilot, lambda: in_view(app, column, f"{name} cites [1] here."))
        await until(pilot, lambda: lit_in(app, column) == ["[1]"])
        conversation.scroll_home(animate=False, immediate=True)
        await pilot.pause()
        await pilot.press("2")
        await until(pilot, lambda: in_view(app, column, f"{name} cites [2] there."))
        await until(pilot, lambda: lit_in(app, column) == ["[2]"])


def cited_chat(text: str, *numbers: int) -> Chat:
    store = ChatStore()
    chat = store.new_chat()
    chat.title = "Cited"
    chat.add(Message(role="user", content="Moons?"))
    chat.add(Message(role="assistant", content=text, model="demo/sonar", sources=sources(*numbers)))
    return store.save(chat)


async def test_a_click_on_a_marker_moves_the_reading_cursor_to_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """QA: a click on [5] highlighted source 5 in the panel, but Enter opened source 2, the
    marker the cursor was on before."""
    chat = cited_chat("Phobos [2] is larger.\n\nDeimos [5] is smaller, as [2] said.", 2, 5)
    app = make_app(chat_id=chat.id)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    async with app.run_test(size=(150, 40)) as pilot:
        screen = workspace(app)
        conversation = screen.conversation
        await until(pilot, lambda: conversation.selected is not None)
        conversation.focus()
        await pilot.press("n")  # the cursor on the first [2]
        await until(pilot, lambda: any(t.cursor for t in screen.query(AnswerText)))
        segment = next(t for t in screen.query(AnswerText) if "Deimos" in t.source)
        lines = [line.plain for line in segment.document.lines(segment.size.width)]
        row = next(n for n, line in enumerate(lines) if "Deimos" in line)
        for marker, number in (("[5]", 5), ("[2]", 2)):  # the second [2]: that one, not the first
            column = lines[row].index(marker) + 1
            assert await pilot.click(segment, offset=(column, row))
            await until(pilot, lambda: segment.cursor is not None)
            cursor = segment.cursor
            assert cursor is not None and (cursor.line, cursor.href) == (row, f"#source-{number}")
            panel = screen.sources.highlighted
            assert panel is not None and panel.index == number
            await pilot.press("enter")
            assert opened[-1] == f"https://s{number}.example/"


async def test_enter_on_a_marker_naming_no_source_says_so_as_its_digit_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """QA: on [2] of an answer with one source, Enter said "This has no web link to open or
    copy." where the digit 2 said "There is no source [2]."."""
    chat = cited_chat("Phobos [1] is larger; Deimos [2] is smaller.", 1)
    notes = Notifications()
    app = make_app(chat_id=chat.id)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    monkeypatch.setattr(app, "copy_to_clipboard", opened.append)
    async with app.run_test(size=(150, 40), message_hook=notes) as pilot:
        conversation = workspace(app).conversation
        await until(pilot, lambda: conversation.selected is not None)
        conversation.focus()
        await pilot.press("2")
        await until(pilot, lambda: "There is no source [2]." in notes.texts())
        notes.clear()
        await pilot.press("n", "n", "enter", "c")
        await until(pilot, lambda: len(notes.texts()) >= 3)
        assert notes.texts() == ["There is no source [2]."] * 3
        assert opened == []


def colours(app: Any, row_text: str, part: str) -> set[Color]:
    """The text colours ``part`` is drawn in on the screen's row holding ``row_text``."""
    for row in cells(app):
        text = "".join(cell.char for cell in row)
        if row_text in text:
            start = text.index(row_text) + row_text.index(part)
            return {cell.colour for cell in row[start : start + len(part)]}
    raise AssertionError(f"{row_text!r} is not on the screen")


def backgrounds(app: Any, part: str) -> set[Color]:
    """The backgrounds of the cells drawing ``part`` on the screen (its first row holding it)."""
    for row in cells(app):
        text = "".join(cell.char for cell in row)
        if part in text:
            start = text.index(part)
            return {cell.background for cell in row[start : start + len(part)]}
    raise AssertionError(f"{part!r} is not on the screen")


async def test_a_marker_in_the_reasoning_is_its_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """QA: [2] in the unfolded reasoning was drawn as the answer's markers are, yet n / p
    passed it by, and a click on it then c copied nothing. The reasoning cites nothing (the
    answer does: the count of cited sources, the export and ``pplx ask --reasoning`` read it
    so): its [2] is drawn as the words around it, and a click on it leaves the cursor where it
    was."""
    store = ChatStore()
    chat = store.new_chat()
    chat.add(Message(role="user", content="Moons?"))
    chat.add(
        Message(
            role="assistant",
            content="Phobos [1] is larger.",
            reasoning="Source [2] says so.",
            model="demo/sonar-reasoning",
            sources=sources(1, 2),
        )
    )
    store.save(chat)
    app = make_app(chat_id=chat.id)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = workspace(app)
        conversation = screen.conversation
        await until(pilot, lambda: conversation.selected is not None)
        conversation.focus()
        await pilot.press("n", "t")
        answer = next(t for t in screen.query(AnswerText) if "Phobos" in t.source)
        reasoning = screen.query_one(".answer-view--reasoning-text", MarkdownText)
        await until(pilot, lambda: reasoning.size.width > 0 and answer.cursor is not None)
        await pilot.pause()
        assert colours(app, "Source [2] says", "[2]") == colours(app, "Source [2] says", "says")
        assert colours(app, "Phobos [1] is", "[1]") != colours(app, "Phobos [1] is", "is")

        line = reasoning.document.lines(reasoning.size.width)[0].plain
        assert await pilot.click(reasoning, offset=(line.index("[2]") + 1, 0))
        await pilot.press("c")
        assert answer.cursor is not None and answer.cursor.href == "#source-1"
        assert copied == ["https://s1.example/"]
        highlighted = screen.sources.highlighted
        assert highlighted is not None and highlighted.index == 1


async def test_a_link_wrapped_over_two_rows_is_marked_on_both() -> None:
    """QA: with the reading cursor on a bare URL wrapped over two rows, only its first row was
    drawn marked."""
    url = "https://example.com/a/very/long/path/that/wraps/over/two/rows/of/the/answer/indeed"
    chat = cited_chat(f"Phobos [1] is larger; see {url} for more.", 1)
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=(80, 24)) as pilot:
        conversation = workspace(app).conversation
        await until(pilot, lambda: conversation.selected is not None)
        conversation.focus()
        head, tail = url[:19], url[-6:]
        await until(pilot, lambda: head in region_text(app, conversation))
        assert tail in region_text(app, conversation)
        assert not any(head in line and tail in line for line in screen_lines(app))  # wrapped
        ground = backgrounds(app, "for more")
        await pilot.press("n", "n")  # [1], then the URL
        await until(pilot, lambda: backgrounds(app, head) != ground)
        assert backgrounds(app, tail) == backgrounds(app, head)
        assert len(backgrounds(app, head)) == 1
