"""A compared column that later questions follow, asked again in its place (ctrl+r, r, m, s):
the later questions stay with the earlier answer, which stays an alternative (a / A show it
with them, the exports list them), the app says so first, and the screen shows only what
later questions will follow."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from pplx_tui.ui.dialogs.confirm import ConfirmScreen
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.comparison import Comparison
from tests.support.answers import focus_conversation, pick_model, reply, saved, sent_turns
from tests.support.cli import pplx
from tests.support.loopback import LoopbackServer, RecordedRequest, Reply, sse
from tests.support.tui import (
    Notifications,
    ask,
    loopback_app,
    on_screen,
    send,
    settle,
    until,
    workspace,
)
from tests.test_ui_comparisons import AND_SONAR_PRO, compare

SONAR, PRO, REASONING = "perplexity/sonar", "perplexity/sonar-pro", "perplexity/sonar-reasoning-pro"
SONAR_PRO_AND_REASONING = ("down", "space", "down", "down", "space", "enter", "enter")
"""Keys in the compare picker: sonar (ticked), sonar-pro and sonar-reasoning-pro; Enter asks."""


def pro_fails_mid_answer(request: RecordedRequest) -> Reply:
    """sonar-pro sends its first words, then an ``error`` event (HTTP 200); the others answer."""
    model = request.json["model"]
    if model != PRO:
        return reply(f"{model} answers.")
    part = {"id": "g", "choices": [{"index": 0, "delta": {"content": "Half an "}}]}
    return Reply(chunks=[*sse(part), *sse({"error": {"message": "upstream went away"}})])


async def done(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await until(pilot, lambda: not workspace(pilot.app).alternatives.comparing)


async def follow_column(pilot: Pilot[Any], column: int) -> Comparison:
    """Press ``a`` on the comparison until later questions follow ``column``."""
    screen = workspace(pilot.app)
    screen.conversation.select(screen.query_one(Comparison).views[column])
    await focus_conversation(pilot)
    for _ in range(3):
        if screen.query_one(Comparison).current == column:
            break
        await pilot.press("a")
        await settle(pilot)
    comparison = screen.query_one(Comparison)  # (drawn again)
    assert comparison.current == column
    return comparison


async def test_r_on_a_failed_column_keeps_the_question_asked_after_it(
    loopback: LoopbackServer,
) -> None:
    """QA: sonar-pro's column broke off mid-answer, later questions followed it and "After
    compare" was asked; asked again in its column (ctrl+r, r), the try was set aside, and with
    it the question after it: a / A stepped through the three columns only, and pplx chats show
    did not list it. Now the try stays an alternative, with the question after it."""
    loopback.default = pro_fails_mid_answer
    notes = Notifications()
    app = loopback_app(loopback)
    async with app.run_test(size=(120, 40), message_hook=notes) as pilot:
        chat_id = workspace(app).chat.id
        await compare(pilot, "compare three", *SONAR_PRO_AND_REASONING)
        comparison = await follow_column(pilot, 1)
        assert on_screen(app, f"Later questions follow {PRO} (a / A: switch)")
        loopback.default = lambda request: reply("Follow-up answer.")
        await ask(pilot, "After compare")
        assert len(loopback.requests) == 4
        assert ("assistant", "Half an ") in sent_turns(loopback.requests[-1])

        loopback.default = lambda request: reply(f"{request.json['model']} again.")
        workspace(app).conversation.select(comparison.views[1])
        await focus_conversation(pilot)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert app.screen.message.endswith(
            "The comparison stays. The later question stays with the earlier answer (a/A switch)."
        )
        await pilot.press("tab", "enter")
        await until(pilot, lambda: len(loopback.requests) == 5)
        await done(pilot)
        assert loopback.requests[-1].json["model"] == PRO
        assert (
            f"Asking {PRO} again in its column; the failed try stays an alternative (a / A);"
            " the later question stays with it." in notes.texts()
        )
        assert workspace(app).query_one(Comparison) is comparison
        assert not on_screen(app, "After compare")  # it follows the failed try, not the column
        assert [v.place for v in comparison.views] == [(1, 4), (2, 4), (3, 4)]

        await focus_conversation(pilot)
        for _ in range(2):  # from sonar-pro's column: reasoning's, then the failed try
            await pilot.press("a")
            await settle(pilot)
        assert not workspace(app).query(Comparison)
        assert on_screen(app, f"{PRO} · openrouter · 4/4")
        # (the turns after the alternative shown are mounted after it: seen absent once)
        await until(pilot, lambda: on_screen(app, "After compare"))
        assert on_screen(app, "Follow-up answer.")

    chat = saved(chat_id)
    question = chat.messages[0]
    [earlier] = [m for m in chat.children(question.id) if m.comparison is None]
    assert (earlier.model, earlier.content, earlier.retired) == (PRO, "Half an ", False)
    assert chat.places()[earlier.id] == (4, 4)
    shown = pplx("chats", "show", chat_id)
    assert shown.returncode == 0, shown.stderr
    assert "After compare" in shown.stdout and "Follow-up answer." in shown.stdout

    reopened = make_app(chat_id=chat_id)
    async with reopened.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert on_screen(reopened, "After compare")  # where a / A left it


async def test_m_on_a_followed_column_says_the_later_question_stays_and_takes_it_off(
    loopback: LoopbackServer,
) -> None:
    """QA: m on the column "later Q" followed left that turn under the comparison, though the
    next question was sent without it; its picker did not say where the later question goes,
    as m on an answer alone does."""
    loopback.default = lambda request: reply(f"{request.json['model']} answers.")
    app = loopback_app(loopback)
    async with app.run_test(size=(120, 40)) as pilot:
        chat_id = workspace(app).chat.id
        await compare(pilot, "How many moons?", *AND_SONAR_PRO)
        await ask(pilot, "later Q")
        comparison = await follow_column(pilot, 0)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ModelPickerScreen))
        assert on_screen(app, "The later question stays with the earlier answer (a / A switch).")
        await pick_model(pilot, REASONING)
        await until(pilot, lambda: len(loopback.requests) == 4)
        await done(pilot)
        assert [v.model for v in comparison.views] == [REASONING, PRO]
        assert not on_screen(app, "later Q")

        await send(pilot, "next Q")
        await until(pilot, lambda: len(loopback.requests) == 5)
        turns = sent_turns(loopback.requests[-1])
        assert turns[-2:] == [("assistant", f"{REASONING} answers."), ("user", "next Q")]
    chat = saved(chat_id)
    later = next(m for m in chat.messages if m.content == "later Q")
    assert chat.message(chat.parent_key(later)).model == SONAR
