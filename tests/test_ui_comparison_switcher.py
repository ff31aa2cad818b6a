"""The switcher line of a comparison shown one column at a time: what later questions follow is
the only hint on the screen of which answer the chat carries on with, so it shows at every
width, in full or shortened (``Follows 2 · a/A``), each row within the width."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from pplx_tui.models import Chat, Message
from pplx_tui.store import ChatStore
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.dialogs.compare_picker import ComparePickerScreen
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.comparison import Comparison
from pplx_tui.ui.widgets.comparison_switcher import followed_line, switcher_rows
from pplx_tui.ui.widgets.message_view import AnswerView
from tests.support.answers import focus_conversation, reply
from tests.support.loopback import LoopbackServer
from tests.support.tui import loopback_app, screen_lines, screen_text, settle, until, workspace

MODELS = ("perplexity/sonar", "perplexity/sonar-pro", "perplexity/sonar-reasoning-pro")
SHORT = [model.split("/")[1] for model in MODELS]
LATER_2 = "Later questions follow 2 (a / A: switch)"
LATER_3 = "Later questions follow 3 (a / A: switch)"


def three_compared(current: int = 1) -> Chat:
    """A saved chat: one question asked of three models side by side, ``current`` chosen."""
    store = ChatStore()
    chat = store.new_chat()
    question = chat.add(Message(role="user", content="Moons?"))
    for model in MODELS:
        chat.add(
            Message(
                role="assistant",
                content=f"{model} answer",
                model=model,
                provider="openrouter",
                comparison="c1",
            ),
            after=question.id,
            choose=False,
        )
    chat.choose(chat.children(question.id)[current].id)
    return store.save(chat)


def switcher_rows_shown(app: PplxApp) -> list[str]:
    """The switcher's rows as the screen shows them (within its padding), spaces kept inside."""
    switcher = workspace(app).query_one(Comparison).query_one(".comparison--switcher")
    region = switcher.content_region
    lines = screen_lines(app)
    return [line[region.x : region.right].rstrip() for line in lines[region.y : region.bottom]]


async def show_sources(pilot: Pilot[Any]) -> None:
    """The sources panel shown beside the answer (ctrl+s if it is not)."""
    if not pilot.app.screen.query_one("#sources").display:
        await pilot.press("ctrl+s")
    await settle(pilot)
    assert pilot.app.screen.query_one("#sources").display


@pytest.mark.parametrize(
    ("size", "rows"),
    [
        # QA: "1 sonar  [2 sonar-pro]  3" / "sonar-reasoning-pro", the hint gone (31 cells).
        ((60, 20), ["1  [2 sonar-pro]  3", "Later questions follow 2 (a/A)"]),
        # QA: "Later questions follow 3 (a / A:", cut with no "…" (39 cells).
        ((80, 24), ["1  [2 sonar-pro]  3", "Later questions follow 2 (a/A: switch)"]),
        ((100, 30), ["1 sonar  [2 sonar-pro]  3 sonar-reasoning-pro", LATER_2]),
    ],
)
async def test_the_switcher_says_which_answer_later_questions_follow_at_every_width(
    size: tuple[int, int], rows: list[str]
) -> None:
    app = make_app(chat_id=three_compared().id)
    async with app.run_test(size=size) as pilot:
        await show_sources(pilot)
        assert workspace(app).query_one(Comparison).narrow
        assert switcher_rows_shown(app) == rows, screen_text(app)


THIRD_FOLLOWED = [
    # The sources shown beside the answer: 39 cells, then 135 side by side, 31, 59.
    ((80, 24), ["1  2  [3 sonar-reasoning-pro]", "Later questions follow 3 (a/A: switch)"]),
    ((200, 50), ["Later questions follow perplexity/sonar-reasoning-pro (a / A: switch)"]),
    ((60, 20), ["1  2  [3 sonar-reasoning-pro]", "Later questions follow 3 (a/A)"]),
    ((100, 30), ["1 sonar  2 sonar-pro  [3 sonar-reasoning-pro]", LATER_3]),
]


async def test_the_switcher_is_laid_out_again_at_each_width() -> None:
    """Resized from one width to another (side by side and back), the line is made again for
    the room the switcher has there."""
    app = make_app(chat_id=three_compared(current=2).id)
    async with app.run_test(size=(60, 20)) as pilot:
        await show_sources(pilot)
        for (width, height), rows in THIRD_FOLLOWED:
            await pilot.resize_terminal(width, height)
            await settle(pilot)
            # The resize's layout may come a frame later on a loaded machine.
            await until(
                pilot,
                lambda rows=rows: switcher_rows_shown(app) == rows,
                what=f"{rows} at {width} columns",
            )


NUMBERS = [1, 2, 3]
NAMES = [list(MODELS), SHORT]


FULL_ROW = "1 perplexity/sonar  [2 perplexity/sonar-pro]  3 perplexity/sonar-reasoning-pro"
SHORT_ROW = "1 sonar  [2 sonar-pro]  3 sonar-reasoning-pro"


@pytest.mark.parametrize(
    ("room", "rows"),
    [
        (121, [f"{FULL_ROW} · l{LATER_2[1:]}"]),
        (120, [f"{SHORT_ROW} · l{LATER_2[1:]}"]),  # the vendors go first
        (87, [FULL_ROW, LATER_2]),  # then the hint goes on a row of its own
        (77, [SHORT_ROW, LATER_2]),
        (39, ["1  [2 sonar-pro]  3", "Later questions follow 2 (a/A: switch)"]),
        (31, ["1  [2 sonar-pro]  3", "Later questions follow 2 (a/A)"]),
        (24, ["1  [2 sonar-pro]  3", "Follows 2 · a/A: switch"]),
        (16, ["1  [2 sonar…]  3", "Follows 2 · a/A"]),
        (12, ["1  [2 s…]  3", "Follows 2"]),
        (9, ["1  [2]  3", "Follows 2"]),
        (8, ["1  [2]…", "Follows…"]),
    ],
)
def test_the_switcher_shortens_the_names_then_the_hint_never_losing_it(
    room: int, rows: list[str]
) -> None:
    assert switcher_rows([1, 2, 3], [list(MODELS), SHORT], 1, room).split("\n") == rows


def test_no_switcher_row_is_wider_than_its_room_and_the_hint_stays() -> None:
    for current in range(3):
        for room in range(1, 130):
            rows = switcher_rows([4, 5, 6], [list(MODELS), SHORT], current, room).split("\n")
            assert all(len(row) <= room for row in rows), (room, rows)
            assert room < 10 or "ollow" in rows[-1], rows


@pytest.mark.parametrize(
    ("room", "line"),
    [
        (80, "Later questions follow perplexity/sonar-pro (a / A: switch)"),
        (50, "Later questions follow sonar-pro (a / A: switch)"),
        (40, "Later questions follow sonar-pro (a/A)"),
        (30, "Follows sonar-pro · a/A"),
        (12, "Follows son…"),
    ],
)
def test_side_by_side_the_followed_line_is_shortened_too(room: int, line: str) -> None:
    assert followed_line(["perplexity/sonar-pro", "sonar-pro"], room) == line


async def test_narrowed_to_one_column_the_selection_follows_the_column_shown() -> None:
    """QA: a column selected side by side (shift+down) stayed selected when the terminal
    narrowed to one column shown: n / p / digits and Enter acted on an answer out of sight.
    The column shown is selected (its sources beside it)."""
    app = make_app(chat_id=three_compared(current=0).id)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        conversation = workspace(app).conversation
        comparison = conversation.query_one(Comparison)
        conversation.select(comparison.views[2])
        await settle(pilot)
        assert not comparison.narrow

        await pilot.resize_terminal(80, 24)
        # The screen hears of the resize a timer later: on a loaded machine, after a frame or two.
        await until(pilot, lambda: comparison.narrow, what="one column at 80x24")
        assert comparison.current == 0
        assert conversation.selected is comparison.views[0]


def five_answers() -> Chat:
    """A saved chat: one question with five answers of perplexity/sonar, the last chosen."""
    store = ChatStore()
    chat = store.new_chat()
    question = chat.add(Message(role="user", content="Moons?"))
    for number in range(1, 6):
        answer = Message(
            role="assistant", content=f"answer {number}", model=MODELS[0], provider="openrouter"
        )
        chat.add(answer, after=question.id)
    return store.save(chat)


def switcher_text(comparison: Comparison) -> str:
    return str(comparison.query_one(".comparison--switcher").render())


async def test_a_comparison_numbers_its_columns_as_they_will_be_while_it_streams(
    loopback: LoopbackServer,
) -> None:
    """QA: v on a question with 5 answers, sonar and sonar-pro: while they streamed the
    switcher said "[1 sonar]  2 sonar-pro · later questions follow 1" and the labels had no
    place; once ended, "[6 sonar]  7 sonar-pro" and "6/7". The numbers are 6 and 7 from the
    start."""
    held = [reply(f"{model} answers.") for model in MODELS[:2]]
    for answer in held:
        answer.hang_after = 1
    loopback.queue(*held)
    app = loopback_app(loopback, chat_id=five_answers().id)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        conversation = workspace(app).conversation
        conversation.select(conversation.query(AnswerView).last())
        await focus_conversation(pilot)
        await pilot.press("v")
        await until(pilot, lambda: isinstance(app.screen, ComparePickerScreen))
        await pilot.press("down", "space", "enter", "enter")
        await until(pilot, lambda: len(loopback.requests) == 2)
        await until(pilot, lambda: bool(workspace(app).query(Comparison)))
        comparison = workspace(app).query_one(Comparison)
        await until(pilot, lambda: "answers." in screen_text(app))
        assert workspace(app).alternatives.comparing
        streaming = switcher_text(comparison)
        assert streaming.startswith("[6 perplexity/sonar]  7 perplexity/sonar-pro"), streaming
        assert "follow 6" in streaming
        assert [view.place for view in comparison.views] == [(6, 7), (7, 7)]
        for answer in held:
            answer.resume()
        await until(pilot, lambda: not workspace(app).alternatives.comparing)
        await settle(pilot)
        assert switcher_text(comparison) == streaming
        assert [view.place for view in comparison.views] == [(6, 7), (7, 7)]


@pytest.mark.parametrize("size", [(100, 30), (60, 20)])
async def test_a_click_on_an_answers_number_in_the_switcher_shows_that_answer(
    size: tuple[int, int],
) -> None:
    """QA: a click on "3" in "[1 sonar]  2 sonar-pro  3 sonar-reasoning-pro" showed answer 2,
    as a does: a click on a number shows that answer (elsewhere on the line it still steps)."""
    app = make_app(chat_id=three_compared(current=0).id)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        comparison = workspace(app).query_one(Comparison)
        assert comparison.narrow and comparison.current == 0
        names_row = switcher_text(comparison).split("\n")[0]
        x = names_row.index("  3") + 2
        await pilot.click(comparison.query_one(".comparison--switcher"), offset=(x + 1, 0))
        await until(pilot, lambda: workspace(app).query_one(Comparison).current == 2)
        comparison = workspace(app).query_one(Comparison)
        # (its line fitted to the width once drawn: under load the long names came first)
        await until(
            pilot,
            lambda: switcher_text(comparison).split("\n")[0].endswith("[3 sonar-reasoning-pro]"),
        )
        assert workspace(app).conversation.selected is comparison.views[2]


async def test_a_switches_from_the_column_followed_not_the_one_selected() -> None:
    """QA: with column 3 selected (shift+down) and later questions following column 1, ``a``
    stepped from column 3 and wrapped to 1, the one already followed: the first press did
    nothing to be seen. ``a`` / ``A`` switch which column later questions follow, starting from
    the one followed."""
    chat = three_compared(current=0)
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        conversation = workspace(app).conversation
        comparison = conversation.query_one(Comparison)
        assert not comparison.narrow
        await focus_conversation(pilot)
        conversation.select(comparison.views[2])
        await settle(pilot)

        def followed() -> str:
            comparison = conversation.query_one(Comparison)
            return comparison.names()[comparison.current]

        await pilot.press("a")
        await until(pilot, lambda: followed() == MODELS[1], what="column 2 followed")
        await until(pilot, lambda: f"Later questions follow {MODELS[1]} " in screen_text(app))
        assert workspace(app).chat.active_path()[-1].model == MODELS[1]
        await pilot.press("A")
        await until(pilot, lambda: followed() == MODELS[0], what="column 1 followed again")
    assert ChatStore().load(chat.id).active_path()[-1].model == MODELS[0]
