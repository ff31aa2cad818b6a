"""The line above a comparison's columns compares the sources of the answers there are: a column
that ended without an answer (failed, broke off or stopped before its sources) takes no part,
and the line says how it ended, in one row cut to the width."""

from __future__ import annotations

import pytest

from pplx_tui.ui.widgets.comparison import Comparison
from tests.support.answers import reply, saved
from tests.support.loopback import LoopbackServer, RecordedRequest, Reply, json_reply
from tests.support.tui import Notifications, loopback_app, on_screen, workspace
from tests.test_ui_comparison_retry import broken_off
from tests.test_ui_comparisons import AND_SONAR_PRO, compare

NASA = "https://nasa.gov/mars"


def two_answer_one_breaks_off(request: RecordedRequest) -> Reply:
    """sonar and sonar-pro-search both cite NASA; sonar-pro breaks off before its sources."""
    model = request.json["model"]
    if model == "perplexity/sonar-pro":
        return broken_off(request)
    return reply(f"{model} says two [1][2].", NASA, f"https://{model.split('/')[-1]}.example/x")


@pytest.mark.parametrize("size", [(200, 50), (120, 40), (80, 24)])
async def test_a_column_that_broke_off_is_left_out_of_in_common(
    loopback: LoopbackServer, size: tuple[int, int]
) -> None:
    loopback.default = two_answer_one_breaks_off
    app = loopback_app(loopback)
    async with app.run_test(size=size) as pilot:
        chat_id = workspace(app).chat.id
        await compare(pilot, "How many moons?", "down", "space", *AND_SONAR_PRO)
        comparison = workspace(app).query_one(Comparison)
        line = comparison.query_one(".comparison--common")
        said = str(line.render())
        full = (
            "In common: nasa.gov/mars · broke off: perplexity/sonar-pro"
            " · only perplexity/sonar: sonar.example/x"
            " · only perplexity/sonar-pro-search: sonar-pro-search.example/x"
        )
        short = full.replace("perplexity/", "")  # too long for the room: names without vendor
        room = line.content_region.width
        # QA: at 120 columns with the sources shown, cut to "· o…": it wraps, at its " · ".
        rows = said.split("\n")
        assert " · ".join(rows) == (full if len(full) <= room else short)
        assert line.size.height == len(rows) and all(len(row) <= room for row in rows)
        assert all(on_screen(app, row) for row in rows)
    from pplx_tui.ui.factory import make_app

    reopened = make_app(chat_id=chat_id)
    async with reopened.run_test(size=size) as pilot:
        await pilot.pause()
        comparison = workspace(reopened).query_one(Comparison)
        assert str(comparison.query_one(".comparison--common").render()) == said


async def test_later_questions_follow_a_column_that_answered_not_one_that_failed(
    loopback: LoopbackServer,
) -> None:
    """QA: sonar's column failed beside sonar-pro's answer, and the switcher said "Later
    questions follow perplexity/sonar": the next question would carry no answer as context."""

    def answer(request: RecordedRequest) -> Reply:
        if request.json["model"] == "perplexity/sonar":
            return json_reply(400, {"error": {"message": "model refused"}})
        return reply("Two [1].", NASA)

    loopback.default = answer
    notes = Notifications()
    app = loopback_app(loopback)
    async with app.run_test(size=(150, 40), message_hook=notes) as pilot:
        chat_id = workspace(app).chat.id
        await compare(pilot, "How many moons?", *AND_SONAR_PRO)
        comparison = workspace(app).query_one(Comparison)
        assert comparison.current == 1
        assert workspace(app).conversation.selected is comparison.views[1]
        assert on_screen(app, "Later questions follow perplexity/sonar-pro (a / A: switch)")
        said = "1 of the 2 compared answers failed; the others are kept. Later questions follow"
        assert f"{said} perplexity/sonar-pro." in notes.texts()
    chat = saved(chat_id)
    assert chat.active_path()[-1].model == "perplexity/sonar-pro"
