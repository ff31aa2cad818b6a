"""A reasoning model's thinking, folded above its answer, unfolds from the keyboard: ``t`` on
the selected answer (QA: space, Enter and Right there are the reading keys', and nothing in
the key bar, the palette or the cheat sheet said how). The fold's title names the key, the
key bar offers it only on an answer that has reasoning, and ``[keymap]`` remaps it."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Collapsible

from pplx_tui.config import Settings
from pplx_tui.ui.dialogs.keys import KeysScreen
from pplx_tui.ui.widgets.key_bar import KeyBar
from pplx_tui.ui.widgets.markdown_text import MarkdownText
from pplx_tui.ui.widgets.message_view import AnswerView
from tests.support.answers import focus_conversation
from tests.support.tui import (
    Notifications,
    ask,
    demo_app,
    palette_text,
    region_text,
    until,
    workspace,
)

WIDE = (150, 40)
REASONING = "demo/sonar-reasoning"


def fold_of(view: AnswerView) -> Collapsible:
    return view.query_one(".answer-view--reasoning", Collapsible)


def title_of(view: AnswerView) -> str:
    return str(fold_of(view).query_one("CollapsibleTitle").render())


def key_bar(pilot: Pilot[Any]) -> str:
    return region_text(pilot.app, workspace(pilot.app).query_one(KeyBar))  # type: ignore[arg-type]


async def test_t_on_the_selected_answer_unfolds_and_folds_its_reasoning() -> None:
    app = demo_app(model=REASONING)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        await focus_conversation(pilot)
        view = workspace(app).conversation.query(AnswerView).last()
        fold = fold_of(view)
        assert fold.collapsed and "▶ Reasoning (t)" in region_text(app, view)
        await until(pilot, lambda: "t Reasoning" in key_bar(pilot))

        await pilot.press("t")
        shown = view.query_one(".answer-view--reasoning-text", MarkdownText)
        await until(pilot, lambda: not fold.collapsed and bool(shown.source))
        assert workspace(app).conversation.has_focus  # the reading keys still work
        await until(pilot, lambda: "t Hide reasoning" in key_bar(pilot))
        assert title_of(view) == "▼ Reasoning (t)"  # (the answer may be scrolled away now)

        await pilot.press("t")
        await until(pilot, lambda: fold.collapsed)
        # Clicked once the fold has scrolled itself into view (Collapsible does, after the
        # refresh, animated): on a loaded machine the click met the title moving away.
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        title = fold.query_one("CollapsibleTitle")
        await until(pilot, lambda: "▶ Reasoning (t)" in region_text(app, title))
        await pilot.click(title)  # the mouse still works
        await until(pilot, lambda: not fold.collapsed)


async def test_at_80_columns_the_key_bar_offers_t_on_a_reasoning_answer() -> None:
    """QA: at 80 columns the key bar had no room for ``t Reasoning`` on a selected reasoning
    answer (the answer's other keys came first, ``c Copy URL`` among them, which does nothing
    until a citation is marked): ``t`` is the one way to the folded reasoning, so it stays
    before the answer's other keys go; ^k and the palette key stay too."""
    app = demo_app(model=REASONING)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        await focus_conversation(pilot)
        await until(pilot, lambda: "t Reasoning" in key_bar(pilot))
        bar = key_bar(pilot)
        assert all(key in bar for key in ("n Next cite", "^k API key", "^p Palette")), bar


async def test_an_answer_without_reasoning_offers_no_t_and_says_why() -> None:
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        await focus_conversation(pilot)
        await until(pilot, lambda: "Copy answer" in key_bar(pilot))
        assert "Reasoning" not in key_bar(pilot)
        await pilot.press("t")
        await until(pilot, lambda: any("no reasoning" in text for text in notes.texts()))
        assert not workspace(app).conversation.query(".answer-view--reasoning")


async def test_the_palette_and_the_key_sheet_name_the_reasoning_key() -> None:
    app = demo_app(model=REASONING)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        await focus_conversation(pilot)
        listed = await palette_text(pilot, "reasoning", "a reasoning model's thinking")
        assert "Show or hide reasoning" in listed and "thinking) (t)" in listed
        view = workspace(app).conversation.query(AnswerView).last()
        await until(pilot, lambda: app.screen is workspace(app))

        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, KeysScreen))
        sheet = app.screen
        assert isinstance(sheet, KeysScreen)
        rows = dict(next(rows for place, rows in sheet.sections if "Conversation" in place))
        assert "reasoning" in rows["t"]
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is workspace(app))
        assert fold_of(view).collapsed  # looking the key up unfolded nothing


async def test_a_remapped_reasoning_key_unfolds_and_is_named_on_the_fold() -> None:
    settings = Settings(keymap={"conversation.reasoning": "z"})
    app = demo_app(model=REASONING, settings=settings)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        await focus_conversation(pilot)
        view = workspace(app).conversation.query(AnswerView).last()
        assert "▶ Reasoning (z)" in region_text(app, view)
        await until(pilot, lambda: "z Reasoning" in key_bar(pilot))
        await pilot.press("z")
        await until(pilot, lambda: not fold_of(view).collapsed)


async def test_tab_goes_from_the_conversation_to_the_sources_past_every_reasoning_title() -> None:
    """QA: Tab stopped on each reasoning answer's "▶ Reasoning (t)" (focus not seen there, the
    key bar the answer's); Enter then unfolded an answer the user was not reading. Tab goes
    question box, conversation, sources (README); the title still unfolds on a click."""
    app = demo_app(model=REASONING)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        await ask(pilot, "Which is larger?")
        screen = workspace(app)
        await until(pilot, lambda: len(screen.query(".answer-view--reasoning")) == 2)
        await focus_conversation(pilot)
        stops = []
        for _ in range(3):
            await pilot.press("tab")
            await pilot.pause()
            stops.append(type(app.focused).__name__)
        assert "CollapsibleTitle" not in stops, stops
        assert stops[0] == "SourceList", stops  # the sources panel's list
