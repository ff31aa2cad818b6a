"""Snapshots of alternatives ("2/3"), comparisons (side by side, one column at a time) and
related questions.

Chats are saved with fixed dates and shown in UTC; the cursor does not blink. Update after a
deliberate change with ``pytest tests/test_ui_alternatives_snapshots.py --snapshot-update``
and look at the report before committing.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from pplx_tui.models import Chat, Image, Message, Source
from pplx_tui.store import ChatStore
from pplx_tui.ui.dialogs.compare_picker import ComparePickerScreen
from tests.support.snapshots import MOMENT, SnapCompare, app_on, drawn, saved_at

NASA = Source(index=1, url="https://science.nasa.gov/mars/moons/", title="Mars Moons - NASA")
ESA = Source(index=2, url="https://www.esa.int/phobos", title="Phobos - ESA")
WIKI = Source(index=2, url="https://en.wikipedia.org/wiki/Deimos", title="Deimos - Wikipedia")


pytestmark = pytest.mark.usefixtures("steady_world")


def new_chat(title: str) -> tuple[Chat, Message]:
    chat = ChatStore().new_chat()
    chat.title = title
    chat.settings.provider, chat.settings.model = "demo", "demo/sonar"
    question = chat.add(Message(role="user", content="How many moons does Mars have?"))
    return chat, question


def answer(text: str, model: str, *sources: Source, **fields: Any) -> Message:
    return Message(
        role="assistant",
        content=text,
        provider="demo",
        model=model,
        sources=list(sources),
        **fields,
    )


def test_alternatives_two_of_three(snap_compare: SnapCompare) -> None:
    chat, question = new_chat("Moons, asked three ways")
    chat.add(answer("Two: Phobos and Deimos [1].", "demo/sonar", NASA), after=question.id)
    second = chat.add(
        answer(
            "Mars has **two** moons, Phobos [1] and Deimos [2].", "demo/sonar-reasoning", NASA, ESA
        ),
        after=question.id,
    )
    chat.add(answer("Two [1].", "demo/sonar", WIKI), after=question.id)
    chat.choose(second.id)
    assert snap_compare(app_on(saved_at(chat, MOMENT)), run_before=drawn, terminal_size=(120, 30))


def test_two_column_comparison(snap_compare: SnapCompare) -> None:
    chat, question = new_chat("Moons compared")
    for text, model, sources in (
        ("Two moons: Phobos [1] and Deimos [2].", "demo/sonar", (NASA, ESA)),
        ("Phobos and Deimos [1][2], both small.", "demo/sonar-reasoning", (NASA, WIKI)),
    ):
        chat.add(answer(text, model, *sources, comparison="cmp"), after=question.id, choose=False)
    chat.choose(chat.children(question.id)[0].id)
    assert snap_compare(app_on(saved_at(chat, MOMENT)), run_before=drawn, terminal_size=(150, 36))


async def sources_shown(pilot: Pilot[Any]) -> None:
    await drawn(pilot)
    if not pilot.app.screen.query_one("#sources").display:
        await pilot.press("ctrl+s")
    await drawn(pilot)


def test_narrow_three_column_comparison_with_its_sources(snap_compare: SnapCompare) -> None:
    """QA: at 60 columns with the sources shown, the switcher's names wrapped onto a second
    row and pushed out the line saying which answer later questions follow."""
    chat, question = new_chat("Moons compared")
    for text, model in (
        ("Two moons [1].", "perplexity/sonar"),
        ("Phobos and Deimos [1].", "perplexity/sonar-pro"),
        ("Two small moons [1].", "perplexity/sonar-reasoning-pro"),
    ):
        chat.add(answer(text, model, NASA, comparison="cmp"), after=question.id, choose=False)
    chat.choose(chat.children(question.id)[1].id)
    app = app_on(saved_at(chat, MOMENT))
    assert snap_compare(app, run_before=sources_shown, terminal_size=(60, 20))


async def compare_picker_open(pilot: Pilot[Any]) -> None:
    await drawn(pilot)
    await pilot.press("ctrl+t")  # the question box empty: the selected answer's question
    await drawn(pilot)
    assert isinstance(pilot.app.screen, ComparePickerScreen)


def test_compare_picker_names_the_question_it_asks(snap_compare: SnapCompare) -> None:
    """QA: ctrl+t with the question box empty asks the selected answer's question, and the
    dialog did not say which."""
    chat, question = new_chat("Moons")
    chat.add(answer("Two moons [1].", "demo/sonar", NASA), after=question.id)
    app = app_on(saved_at(chat, MOMENT))
    assert snap_compare(app, run_before=compare_picker_open, terminal_size=(60, 20))


def test_related_questions_and_images(snap_compare: SnapCompare) -> None:
    chat, question = new_chat("Moons and what to ask next")
    chat.add(
        answer(
            "Mars has two moons, Phobos and Deimos [1].",
            "demo/sonar",
            NASA,
            related_questions=["How big is Phobos?", "Will Phobos crash into Mars?"],
            images=[
                Image(
                    image_url="https://images.nasa.gov/phobos.jpg",
                    origin_url="https://science.nasa.gov/mars/moons/phobos/",
                    title="Phobos from Mars Reconnaissance Orbiter",
                )
            ],
        ),
        after=question.id,
    )
    assert snap_compare(app_on(saved_at(chat, MOMENT)), run_before=drawn, terminal_size=(120, 36))
