"""The compare picker names the question it will ask, from the question box or (the box empty,
or ``v`` on an answer) the selected answer's, cut to the dialog's width; on the offline demo
too, where no spend line names it before the models are asked."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import SelectionList

from pplx_tui.ui.dialogs.compare_picker import ComparePickerScreen, question_row
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.key_bar import KeyBar
from tests.support.answers import focus_conversation
from tests.support.tui import (
    ask,
    demo_app,
    region_text,
    screen_lines,
    screen_text,
    until,
    use_key,
    workspace,
)

MARS = "How many moons does Mars have?"


async def open_picker(pilot: Pilot[Any], *keys: str) -> ComparePickerScreen:
    await pilot.press(*keys)
    await until(pilot, lambda: isinstance(pilot.app.screen, ComparePickerScreen))
    await pilot.pause()
    picker = pilot.app.screen
    assert isinstance(picker, ComparePickerScreen)
    return picker


def question_rows(pilot: Pilot[Any], picker: ComparePickerScreen) -> list[str]:
    """The question's row(s) as the screen shows them, within the dialog's padding."""
    region = picker.query_one(".compare-picker--question").content_region
    lines = screen_lines(pilot.app)
    return [line[region.x : region.right].rstrip() for line in lines[region.y : region.bottom]]


def help_text(pilot: Pilot[Any], picker: ComparePickerScreen) -> str:
    return region_text(pilot.app, picker.query_one(".compare-picker--help"))


SELECTED = "Enter asks them the selected answer's question at once"


@pytest.mark.parametrize(
    ("size", "row"),
    [
        ((200, 50), f"Question: “{MARS}”"),
        ((80, 24), f"Question: “{MARS}”"),
        ((60, 20), f"Question: “{MARS}”"),
    ],
)
async def test_ctrl_t_on_an_empty_box_names_the_selected_answers_question(
    size: tuple[int, int], row: str
) -> None:
    """QA: ctrl+t with an empty box asks the selected answer's question, and the dialog said
    only "Enter asks them the question at once" (on the demo nothing else named it)."""
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await ask(pilot, MARS)
        assert not workspace(app).prompt.text
        picker = await open_picker(pilot, "ctrl+t")
        assert question_rows(pilot, picker) == [row], screen_text(app)
        assert SELECTED in help_text(pilot, picker)


async def test_v_on_an_answer_names_its_question() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, MARS)
        await focus_conversation(pilot)
        picker = await open_picker(pilot, "v")
        assert question_rows(pilot, picker) == [f"Question: “{MARS}”"]
        assert SELECTED in help_text(pilot, picker)


async def test_ctrl_t_names_the_question_in_the_box_cut_to_the_dialog() -> None:
    long = "Which moons of Mars, Jupiter and Saturn could hold liquid water under their ice?"
    app = demo_app()
    async with app.run_test(size=(60, 20)) as pilot:
        workspace(app).prompt.insert(long)
        picker = await open_picker(pilot, "ctrl+t")
        rows = question_rows(pilot, picker)
        assert rows == ["Question: “Which moons of Mars, Jupiter and Satu…”"]
        room = picker.query_one(".compare-picker--question").content_region.width
        assert len(rows[0]) == room
        assert "Enter asks them this question at once" in help_text(pilot, picker)


@pytest.mark.parametrize(
    ("room", "row"),
    [
        (0, f"Question: “{MARS}”"),
        (42, f"Question: “{MARS}”"),
        (41, "Question: “How many moons does Mars hav…”"),
        (14, "Question: “H…”"),
        (13, "Question: “H…"),
    ],
)
def test_the_question_is_cut_inside_its_quotes(room: int, row: str) -> None:
    assert question_row(MARS, room) == row


async def test_each_row_has_one_checkbox_and_space_or_a_click_ticks_it() -> None:
    """QA: each row showed SelectionList's own ``▐X▌`` box and then the ``☑``/``☐`` that says
    in text whether it is ticked: two checkboxes a row. Only the glyph is left."""
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        workspace(app).prompt.insert(MARS)
        picker = await open_picker(pilot, "ctrl+t")
        models = picker.query_one(SelectionList)

        def rows() -> list[str]:
            region = models.content_region
            lines = screen_lines(app)[region.y : region.bottom]
            return [row for line in lines if (row := line[region.x : region.right].strip())]

        assert rows() == [
            "☑ Demo Sonar (offline)  demo/sonar · demo",
            "☐ Demo Sonar Reasoning (offline)  demo/sonar-reasoning · demo",
        ]
        await pilot.press("down", "space")
        await until(pilot, lambda: rows()[1].startswith("☑ Demo Sonar Reasoning"))
        inside = models.content_region.offset - models.region.offset
        await pilot.click(SelectionList, offset=(inside.x + 4, inside.y))  # on the first row's name
        await until(pilot, lambda: rows()[0].startswith("☐ Demo Sonar (offline)"))


async def test_the_key_bar_names_space_to_tick_at_80_columns() -> None:
    """The help says "(space)", the key bar named only Enter, 2 and Escape."""
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        workspace(app).prompt.insert(MARS)
        picker = await open_picker(pilot, "ctrl+t")
        bar = region_text(app, picker.query_one(KeyBar))
        for key in ("space Tick", "⏎ Ask", "2 Same model twice", "esc Cancel"):
            assert key in bar, bar


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_with_two_models_the_dialog_is_as_tall_as_its_rows(size: tuple[int, int]) -> None:
    """QA: on the demo (two models) the dialog took 80% of the screen, most of it an empty
    list. It is as tall as its rows; its Ask button stays right under the models."""
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        workspace(app).prompt.insert(MARS)
        picker = await open_picker(pilot, "ctrl+t")
        rows = screen_lines(app)
        models = picker.query_one(SelectionList).region
        assert models.height == 4  # two rows and the list's top and bottom edges
        under = "\n".join(rows[models.bottom : models.bottom + 3])
        assert "Ask" in under and "Cancel" in under
        dialog = picker.query_one(".compare-picker--dialog").region
        assert dialog.height < size[1] * 0.8


async def test_with_many_models_at_80x24_the_list_scrolls_under_the_question() -> None:
    """Fourteen models do not fit at 80x24: the dialog keeps the question, the help and the
    buttons, and the list scrolls between them."""
    use_key("OPENROUTER_API_KEY", "sk-or-test")
    use_key("PERPLEXITY_API_KEY", "pplx-test")
    use_key("GROQ_API_KEY", "gsk-test")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        workspace(app).prompt.insert(MARS)
        picker = await open_picker(pilot, "ctrl+t")
        models = picker.query_one(SelectionList)
        assert models.max_scroll_y > 0
        assert question_rows(pilot, picker) == [f"Question: “{MARS}”"]
        assert "Cancel" in screen_text(app) and "Ask" in screen_text(app)
