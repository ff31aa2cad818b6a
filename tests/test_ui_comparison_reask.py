"""m and s on a compared answer ask its question again in its column, with the model or the
search settings picked, as r does with the same model: the comparison stays side by side (in
the saved chat too), and the answer replaced stays an alternative of the question."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from pplx_tui.ui.dialogs.confirm import ConfirmScreen
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.comparison import Comparison
from tests.support.answers import focus_conversation, pick_model, reply, saved
from tests.support.loopback import LoopbackServer
from tests.support.tui import Notifications, loopback_app, settle, until, workspace
from tests.test_ui_comparisons import AND_SONAR_PRO, compare

SONAR, PRO, REASONING = "perplexity/sonar", "perplexity/sonar-pro", "perplexity/sonar-reasoning-pro"


async def column_selected(pilot: Pilot[Any], question: str, column: int) -> Comparison:
    """``question`` compared on sonar and sonar-pro, ``column`` selected, the conversation
    focused: the comparison."""
    await compare(pilot, question, *AND_SONAR_PRO)
    comparison = workspace(pilot.app).query_one(Comparison)
    workspace(pilot.app).conversation.select(comparison.views[column])
    await focus_conversation(pilot)
    return comparison


@pytest.mark.parametrize("size", [(200, 50), (80, 24)])
async def test_m_on_a_column_asks_the_model_picked_in_that_column(
    loopback: LoopbackServer, size: tuple[int, int]
) -> None:
    """QA: m on sonar-pro's column removed the comparison from the screen and showed the new
    answer alone (4/4), while r on the same column asked it again in its place."""
    loopback.default = lambda request: reply(f"{request.json['model']} answers.")
    notes = Notifications()
    app = loopback_app(loopback)
    async with app.run_test(size=size, message_hook=notes) as pilot:
        chat_id = workspace(app).chat.id
        comparison = await column_selected(pilot, "How many moons?", 1)
        await pilot.press("m")
        await pick_model(pilot, REASONING)
        await until(pilot, lambda: len(loopback.requests) == 3)
        await settle(pilot)
        await until(pilot, lambda: not workspace(app).alternatives.comparing)
        assert loopback.requests[-1].json["model"] == REASONING
        assert workspace(app).query_one(Comparison) is comparison
        assert [v.model for v in comparison.views] == [SONAR, REASONING]
        assert [v.place for v in comparison.views] == [(1, 3), (2, 3)]
        assert comparison.current == 0  # later questions still follow the first column
        said = f"Asking {REASONING} (in place of {PRO}) again in its column; the earlier"
        assert any(text.startswith(said) for text in notes.texts())
    chat = saved(chat_id)
    question = chat.messages[0]
    answers = chat.children(question.id)
    columns = chat.compared_with(chat.path_from(question.id)[0].id)
    assert [m.model for m in columns] == [SONAR, REASONING]
    earlier = [m for m in answers if m not in columns]
    assert [(m.model, m.replaced_by) for m in earlier] == [(PRO, columns[1].id)]
    assert chat.places()[earlier[0].id] == (3, 3)  # a finished answer: still an alternative

    reopened = make_app(chat_id=chat_id)
    async with reopened.run_test(size=size) as pilot:
        await pilot.pause()
        comparison = workspace(reopened).query_one(Comparison)
        assert [v.model for v in comparison.views] == [SONAR, REASONING]


async def test_s_on_a_column_asks_it_again_there_with_the_settings_picked(
    loopback: LoopbackServer,
) -> None:
    loopback.default = lambda request: reply(
        "Hour." if "search_recency_filter" in request.json else "Any."
    )
    app = loopback_app(loopback)
    async with app.run_test(size=(150, 40)) as pilot:
        chat_id = workspace(app).chat.id
        comparison = await column_selected(pilot, "News on Phobos?", 0)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SearchSettingsScreen))
        assert "in this column" in str(app.screen.query_one(".dialog").border_title)
        await pilot.press("right", "enter", "enter")  # the second Enter asks
        await until(pilot, lambda: len(loopback.requests) == 3)
        await settle(pilot)
        await until(pilot, lambda: not workspace(app).alternatives.comparing)
        assert loopback.requests[-1].json["model"] == SONAR
        assert workspace(app).query_one(Comparison) is comparison
        assert [v.model for v in comparison.views] == [SONAR, PRO]
        assert comparison.views[0].message.content == "Hour."
    chat = saved(chat_id)
    columns = chat.compared_with(chat.path_from(chat.messages[0].id)[0].id)
    assert [m.content for m in columns] == ["Hour.", "Any."]
    assert columns[0].search is not None and columns[0].search.recency is not None


async def test_r_m_and_s_on_a_column_say_it_is_asked_again_in_this_column(
    loopback: LoopbackServer,
) -> None:
    """QA: r on a column said "The earlier answer is kept (a/A switch)", as on an answer
    alone, while it asks again in the column; m's title read "again in this column with (the
    comparison stays)", a sentence with its model left out; s's key bar said "enter save"
    where Enter asks."""
    loopback.default = lambda request: reply(f"{request.json['model']} answers.")
    app = loopback_app(loopback)
    async with app.run_test(size=(150, 40)) as pilot:
        await column_selected(pilot, "How many moons?", 1)

        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        message = app.screen.message
        assert "again in this column with perplexity/sonar-pro" in message
        assert "The comparison stays." in message
        assert "a/A" not in message
        await pilot.press("escape")

        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ModelPickerScreen))
        title = str(app.screen.query_one(".dialog").border_title)
        assert title == "Ask again in this column with another model (the comparison stays)"
        await pilot.press("escape")

        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, SearchSettingsScreen))
        keys = str(app.screen.query_one(".dialog").border_subtitle)
        assert "⏎ ask" in keys
        assert "save" not in keys
        await pilot.press("escape")
        assert len(loopback.requests) == 2


async def test_ctrl_r_on_a_complete_comparison_asks_again_in_the_column_selected(
    loopback: LoopbackServer,
) -> None:
    """QA: with sonar-pro's column selected (later questions following sonar's), ctrl+r's
    dialog named sonar ("again in this column with perplexity/sonar") and asked that column
    again, where r names and asks the column selected: a paid request to a model the user was
    not looking at. ctrl+r asks about, and asks, the column selected, as r does."""
    loopback.default = lambda request: reply(f"{request.json['model']} answers.")
    app = loopback_app(loopback)
    async with app.run_test(size=(150, 40)) as pilot:
        comparison = await column_selected(pilot, "How many moons?", 1)
        await pilot.press("ctrl+r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "again in this column with perplexity/sonar-pro" in app.screen.message
        await pilot.press("tab", "enter")
        await until(pilot, lambda: len(loopback.requests) == 3)
        await settle(pilot)
        assert loopback.requests[-1].json["model"] == PRO
        assert [v.model for v in comparison.views] == [SONAR, PRO]
