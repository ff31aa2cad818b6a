"""ctrl+r after a comparison asks its failed columns again in place: the comparison stays side
by side, in the saved chat too, and the columns that answered are left as they were."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from pplx_tui.models import MessageStatus
from pplx_tui.ui.dialogs.compare_picker import ComparePickerScreen
from pplx_tui.ui.widgets.comparison import Comparison
from tests.support.answers import focus_conversation, reply, saved
from tests.support.loopback import LoopbackServer, RecordedRequest, Reply, sse
from tests.support.tui import Notifications, loopback_app, settle, until, workspace

PRO, REASONING = "perplexity/sonar-pro", "perplexity/sonar-reasoning-pro"
PRO_REASONING_AND_DEMO = (
    *("space", "down", "space"),  # sonar (ticked, the current model) off; sonar-pro
    *("down", "down", "space"),  # sonar-reasoning-pro
    *("down", "down", "space"),  # the offline demo's sonar
    *("enter", "enter"),
)


def broken_off(request: RecordedRequest) -> Reply:
    """A stream that stops after its first words (the server went away mid-answer)."""
    del request
    part = {"id": "g", "choices": [{"index": 0, "delta": {"content": "It is "}}]}
    return Reply(chunks=sse(part))


async def compare_three(pilot: Pilot[Any]) -> None:
    app = pilot.app
    workspace(app).prompt.insert("compare three")
    await pilot.press("ctrl+t")
    await until(pilot, lambda: isinstance(app.screen, ComparePickerScreen))
    await pilot.press(*PRO_REASONING_AND_DEMO)
    await until(pilot, lambda: bool(workspace(app).query(Comparison)))
    await settle(pilot)
    await until(pilot, lambda: not workspace(app).alternatives.comparing)


@pytest.mark.parametrize("size", [(150, 30), (80, 24)])
async def test_ctrl_r_asks_every_failed_column_again_in_place(
    loopback: LoopbackServer, size: tuple[int, int]
) -> None:
    """QA: two openrouter columns broke off mid-answer beside a demo one; ctrl+r asked only
    the first of them again, as a plain alternative shown alone: the switcher and the "In
    common" line went, the other failed column stayed failed, and the saved chat reopened as
    four plain alternatives."""
    loopback.default = broken_off
    notes = Notifications()
    app = loopback_app(loopback)
    async with app.run_test(size=size, message_hook=notes) as pilot:
        chat_id = workspace(app).chat.id
        await compare_three(pilot)
        comparison = workspace(app).query_one(Comparison)
        assert [v.model for v in comparison.views] == [PRO, REASONING, "demo/sonar"]
        demo = comparison.views[2]
        assert any("2 of the 3 compared answers failed" in t for t in notes.texts())

        loopback.default = lambda request: reply(f"{request.json['model']} answers.")
        await pilot.press("ctrl+r")
        await until(pilot, lambda: len(loopback.requests) == 4)
        await settle(pilot)
        await until(pilot, lambda: not workspace(app).alternatives.comparing)
        assert sorted(r.json["model"] for r in loopback.requests[2:]) == [PRO, REASONING]
        assert workspace(app).query_one(Comparison) is comparison
        assert [v.model for v in comparison.views] == [PRO, REASONING, "demo/sonar"]
        assert comparison.views[2] is demo  # the column that answered is left as it was
        statuses = [v.message.status for v in comparison.views if v.message]
        assert statuses == [MessageStatus.COMPLETE] * 3
        assert comparison.narrow == (size[0] < 120)
        switcher = str(comparison.query_one(".comparison--switcher").render())
        # Later questions follow the column that answered when the comparison ended.
        assert switcher == (
            f"1 {PRO}  2 {REASONING}  [3 demo/sonar]\n"  # (on a row of its own)
            "Later questions follow 3 (a / A: switch)"
            if comparison.narrow
            else "Later questions follow demo/sonar (a / A: switch)"
        )
        assert str(comparison.query_one(".comparison--common").render()).startswith(
            "No source in common"
        )
        texts = [v.message.content for v in comparison.views[:2] if v.message]
        assert texts == [f"{PRO} answers.", f"{REASONING} answers."]
    chat = saved(chat_id)
    question = chat.messages[0]
    columns = chat.compared_with(chat.path_from(question.id)[0].id)
    assert [m.model for m in columns] == [PRO, REASONING, "demo/sonar"]
    assert all(m.status == MessageStatus.COMPLETE for m in columns)
    earlier = [m for m in chat.children(question.id) if m not in columns]
    assert [m.model for m in earlier] == [PRO, REASONING]  # the failed tries: alternatives

    from pplx_tui.ui.factory import make_app

    reopened = make_app(chat_id=chat_id)
    async with reopened.run_test(size=(150, 30)) as pilot:
        await pilot.pause()
        comparison = workspace(reopened).query_one(Comparison)
        assert [v.model for v in comparison.views] == [PRO, REASONING, "demo/sonar"]


async def test_a_steps_through_the_columns_not_the_tries_they_replaced(
    loopback: LoopbackServer,
) -> None:
    """QA: after ctrl+r asked two broken-off columns again in place, a / A stepped through
    five answers: the three columns, then each broken-off try alone (the comparison gone from
    the screen), labelled 4/5 and 5/5. The tries stay in the chat file, marked replaced."""
    loopback.default = broken_off
    notes = Notifications()
    app = loopback_app(loopback)
    async with app.run_test(size=(150, 30), message_hook=notes) as pilot:
        chat_id = workspace(app).chat.id
        await compare_three(pilot)
        loopback.default = lambda request: reply(f"{request.json['model']} answers.")
        await pilot.press("ctrl+r")
        await until(pilot, lambda: len(loopback.requests) == 4)
        await settle(pilot)
        await until(pilot, lambda: not workspace(app).alternatives.comparing)
        assert (
            f"Asking {PRO} and {REASONING} again in their columns; the failed tries are set"
            " aside (kept in the chat's exports)." in notes.texts()
        )
        comparison = workspace(app).query_one(Comparison)
        assert [v.place for v in comparison.views] == [(1, 3), (2, 3), (3, 3)]
        await focus_conversation(pilot)
        shown = []
        for _ in range(4):
            await pilot.press("a")
            await settle(pilot)
            comparison = workspace(app).query_one(Comparison)  # it stays, a column current
            shown.append(comparison.views[comparison.current].model)
        assert shown == [PRO, REASONING, "demo/sonar", PRO]  # from demo/sonar's, followed
    chat = saved(chat_id)
    question = chat.messages[0]
    tries = [m for m in chat.children(question.id) if m.replaced_by]
    assert [(m.model, m.status) for m in tries] == [(PRO, MessageStatus.INTERRUPTED)] * 1 + [
        (REASONING, MessageStatus.INTERRUPTED)
    ]
    columns = chat.compared_with(chat.path_from(question.id)[0].id)
    assert [t.replaced_by for t in tries] == [columns[0].id, columns[1].id]
    assert len(chat.alternatives(columns[0].id)) == 3

    from pplx_tui.ui.factory import make_app

    reopened = make_app(chat_id=chat_id)
    async with reopened.run_test(size=(150, 30)) as pilot:
        await pilot.pause()
        comparison = workspace(reopened).query_one(Comparison)
        assert [v.place for v in comparison.views] == [(1, 3), (2, 3), (3, 3)]
        assert comparison.current == 0  # where a / A left it


@pytest.mark.parametrize(("failing", "busy"), [(1, "asking 1 column again…"), (2, None)])
async def test_the_header_says_how_many_columns_are_asked_again(
    loopback: LoopbackServer, failing: int, busy: str | None
) -> None:
    """QA: after ctrl+r asked one failed column again, the header said "comparing 1
    answers…"."""
    loopback.default = lambda request: (
        broken_off(request)
        if request.json["model"] in (PRO, REASONING)[:failing]
        else reply(f"{request.json['model']} answers.")
    )
    app = loopback_app(loopback)
    async with app.run_test(size=(150, 30)) as pilot:
        await compare_three(pilot)
        held = reply("Now it answers.")
        held.hang_after = 1
        loopback.default = lambda request: held
        await pilot.press("ctrl+r")
        await until(pilot, lambda: len(loopback.requests) == 2 + failing)
        asked = workspace(app).alternatives.comparisons.comparing
        # Each column asked again has its first words (shown or not: the longest column,
        # kept in view at its end, may hold the others' above the top).
        await until(pilot, lambda: all(s.builder.content == "Now it answers." for s in asked))
        assert workspace(app).header.busy == (busy or f"asking {failing} columns again…")
        held.resume()
        await until(pilot, lambda: not workspace(app).alternatives.comparing)
        assert workspace(app).header.busy == ""
