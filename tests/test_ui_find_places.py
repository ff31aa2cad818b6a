"""A find's place in a long message, in the real app: each step brings the line holding the
text into view (not only the message's top) and marks the text there; n / p step place by
place in a message before going on to the next one (QA: "para 2500" of a 3,000-paragraph
answer was found, and the screen showed "para 0" to "para 6")."""

from __future__ import annotations

import pytest

from pplx_tui.models import Chat, Message, Source
from pplx_tui.store import ChatStore
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.citations import parser
from pplx_tui.ui.widgets.answer_text import AnswerText
from pplx_tui.ui.widgets.comparison import Comparison
from pplx_tui.ui.widgets.conversation_pages import PAGE
from pplx_tui.ui.widgets.found_text import Piece, occurrences
from pplx_tui.ui.widgets.markdown_text import MarkdownDocument, MarkdownText
from pplx_tui.ui.widgets.message_view import AnswerView
from tests.support.tui import demo_app, find_in_chat, frame, region_text, until, workspace

SIZE = (100, 30)
BLOCKS = "".join(map(chr, range(0x2580, 0x25A0)))
"""Unicode's block elements: the cells of borders and scrollbars, some drawn in reverse."""


def paragraphs(count: int, last: str = "") -> str:
    """An answer of ``count`` short paragraphs, ``last`` after them."""
    return "\n\n".join([*(f"para {n}" for n in range(count)), *([last] if last else [])])


def chat_of(store: ChatStore, *answers: str) -> Chat:
    """A saved chat asking "Question n?" for each of ``answers``."""
    chat = store.new_chat()
    chat.title = "Long"
    for n, answer in enumerate(answers):
        chat.messages.append(Message(role="user", content=f"Question {n}?"))
        chat.messages.append(
            Message(role="assistant", content=answer, provider="demo", model="demo/sonar")
        )
    return store.save(chat)


def marked(app: PplxApp) -> str:
    """The letters the conversation draws in reverse (a find's mark)."""
    region = workspace(app).conversation.region
    found = []
    for row in frame(app)[region.y : region.bottom]:
        x = 0
        for segment in (segment for strip in row for segment in strip if not segment.control):
            reverse = segment.style is not None and segment.style.reverse
            if reverse and region.x <= x < region.right and segment.text.strip(BLOCKS + " "):
                found.append(segment.text.strip(BLOCKS))
            x += segment.cell_length
    return "".join(found)


async def test_a_find_near_the_end_of_a_long_answer_shows_and_marks_its_line() -> None:
    chat = chat_of(ChatStore(), paragraphs(3000))
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        screen.conversation.scroll_home(animate=False, immediate=True)
        bar = await find_in_chat(pilot, "para 2500")
        await until(pilot, lambda: "para 2500" in region_text(app, screen.conversation))
        assert "para 6 " not in region_text(app, screen.conversation)
        await until(pilot, lambda: marked(app) == "para 2500")
        assert "message 1 of 1" in region_text(app, bar)

        await pilot.press("escape")  # the find ends: so does its mark
        await until(pilot, lambda: not marked(app))


async def test_n_and_p_step_through_the_places_in_a_message_then_on() -> None:
    long = paragraphs(400, "zanzibar at the end")
    chat = chat_of(ChatStore(), "zanzibar once", f"zanzibar first\n\n{long}")
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        bar = await find_in_chat(pilot, "zanzibar")
        await until(pilot, lambda: "message 2 of 2 · match 1 of 2" in region_text(app, bar))
        await until(pilot, lambda: marked(app) == "zanzibar")
        assert "zanzibar first" in region_text(app, screen.conversation)

        await pilot.press("n")
        await until(pilot, lambda: "zanzibar at the end" in region_text(app, screen.conversation))
        assert "message 2 of 2 · match 2 of 2" in region_text(app, bar)
        await until(pilot, lambda: marked(app) == "zanzibar")

        await pilot.press("n")  # on to the first message (wrapping): its one place
        await until(pilot, lambda: "zanzibar once" in region_text(app, screen.conversation))
        assert "message 1 of 2 · wrapped to the first" in region_text(app, bar)
        assert "match" not in region_text(app, bar)

        await pilot.press("p")  # back: the last place of the message before
        await until(pilot, lambda: "zanzibar at the end" in region_text(app, screen.conversation))
        assert "message 2 of 2 · match 2 of 2 · wrapped to the last" in region_text(app, bar)


async def test_a_find_in_a_long_answer_on_a_page_not_mounted_shows_its_line() -> None:
    answers = [f"Short answer {n}." for n in range(40)]
    answers[2] = paragraphs(300, "the harbour of zanzibar")
    chat = chat_of(ChatStore(), *answers)
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        conversation = screen.conversation
        assert conversation.earlier_holds(screen.chat.messages[5])
        await find_in_chat(pilot, "zanzibar")
        await until(pilot, lambda: "harbour of zanzibar" in region_text(app, conversation))
        await until(pilot, lambda: marked(app) == "zanzibar")
        assert len(conversation.query(".-turn")) <= 3 * PAGE


async def test_a_find_near_the_end_of_a_long_compared_answer_shows_its_line() -> None:
    store = ChatStore()
    chat = store.new_chat()
    question = chat.add(Message(role="user", content="Is coffee good for you?"))
    columns = (("demo/sonar", "Coffee is fine."), ("demo/sonar-pro", paragraphs(200, "caffeine")))
    for model, text in columns:
        chat.add(
            Message(role="assistant", content=text, model=model, comparison="c1"),
            after=question.id,
            choose=False,
        )
    chat.choose(chat.children(question.id)[0].id)
    store.save(chat)
    app = demo_app()
    async with app.run_test(size=(150, 40)) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        conversation = screen.conversation
        await until(pilot, lambda: bool(conversation.query(Comparison)))
        conversation.scroll_home(animate=False, immediate=True)
        await find_in_chat(pilot, "caffeine")
        column = conversation.query_one(Comparison).views[1]
        await until(pilot, lambda: "para 199" in region_text(app, column))
        await until(pilot, lambda: marked(app) == "caffeine")
        assert "para 0 " not in region_text(app, column)


async def test_the_mark_stays_under_the_reading_cursor_on_its_line() -> None:
    """A digit moves the reading cursor while finding: onto the found line, both are drawn."""
    store = ChatStore()
    chat = chat_of(store, "Ferry times are posted [1] at the pier.")
    chat.messages[-1].sources = [Source(index=1, url="https://ferry.example/", title="Ferry")]
    store.save(chat)
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        await find_in_chat(pilot, "pier")
        await until(pilot, lambda: marked(app) == "pier")
        await pilot.press("1")
        await until(pilot, lambda: any(text.cursor for text in screen.query(AnswerText)))
        await pilot.pause()
        assert marked(app) == "pier"


@pytest.mark.parametrize("unfolded", [True, False], ids=["unfolded", "folded"])
async def test_a_find_finds_the_reasoning_and_unfolds_it(unfolded: bool) -> None:
    """QA: the unfolded reasoning was never searched ("no match" with the text on the screen).
    Its places come first (it is drawn above the answer); a folded one holding the text is
    unfolded to show it."""
    store = ChatStore()
    chat = chat_of(store, "The answer names zircon once.")
    chat.messages[-1].reasoning = "First I weigh the zircon dating."
    store.save(chat)
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        view = screen.conversation.query_one(AnswerView)
        if unfolded:
            assert view.toggle_reasoning()
        bar = await find_in_chat(pilot, "zircon dating")
        await until(pilot, lambda: "message 1 of 1" in region_text(app, bar))
        assert view.reasoning_unfolded
        await until(pilot, lambda: marked(app) == "zircon dating")

        await pilot.press("escape")
        bar = await find_in_chat(pilot, "zircon")
        await until(pilot, lambda: "match 1 of 2" in region_text(app, bar))
        await until(pilot, lambda: "weigh the zircon dating" in region_text(app, view))
        await until(pilot, lambda: marked(app) == "zircon")
        answer = view.query_one(AnswerText)
        reasoning = view.query_one(".answer-view--reasoning-text", MarkdownText)
        assert reasoning.found_lines() is not None and answer.found_lines() is None
        await pilot.press("n")
        await until(pilot, lambda: "match 2 of 2" in region_text(app, bar))
        await until(pilot, lambda: marked(app) == "zircon")
        assert answer.found_lines() is not None and reasoning.found_lines() is None


def test_a_phrase_wrapped_over_two_lines_is_found_across_them() -> None:
    lines = MarkdownDocument(parser(), "- the zanzibar ferry leaves at nine\n").lines(22)
    plain = [line.plain for line in lines]
    assert plain[:2] == ["• the zanzibar ferry", "  leaves at nine"]  # (the list's indent)
    assert occurrences(plain, "FERRY LEAVES".casefold()) == [(Piece(0, 15, 20), Piece(1, 2, 8))]
    assert occurrences(plain, "nine • the") == []  # not from one paragraph into the next
