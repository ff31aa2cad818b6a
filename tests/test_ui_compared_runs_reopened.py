"""A comparison with a background run among its columns, reopened after a restart while the run
goes on (QA, Agent API with 60 s runs): it reopens as it was, columns in the order asked, and
stays usable until the run ends; its columns' times tick every second, as an answer's alone."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from pplx_tui.models import Message
from pplx_tui.store import ChatStore
from pplx_tui.ui.widgets.comparison import Comparison
from pplx_tui.ui.widgets.message_view import AnswerView
from pplx_tui.ui.widgets.progress_line import ProgressLine
from tests.support.agent_runs import RunScript
from tests.support.answers import focus_conversation, saved
from tests.support.cli import pplx
from tests.support.compare_picks import ask_beside
from tests.support.tui import Notifications, agent_app, on_screen, until, workspace

WIDE = (120, 40)
NARROW = (80, 30)


async def compare(pilot: Pilot[Any], *models: str) -> str:
    """Tick ``models`` (Agent API presets) beside the app's, ask them side by side and wait
    until the background run among them has started and the streamed columns have ended;
    the chat's id."""
    screen = workspace(pilot.app)  # type: ignore[arg-type]
    await ask_beside(pilot, "How do tardigrades survive?", *models)
    streamed = len(models)  # every column but the run's
    await until(
        pilot,
        lambda: (
            [m.running for m in answers_of(screen.chat.messages)].count(False) == streamed
            and any(m.running for m in screen.chat.messages)
        ),
    )
    return screen.chat.id


def answers_of(messages: list[Message]) -> list[Message]:
    return [m for m in messages if m.role == "assistant"]


def progress_of(view: AnswerView) -> str:
    return str(view.query_one(ProgressLine).render())


@pytest.mark.parametrize("size", [WIDE, NARROW])
async def test_switching_columns_while_the_run_goes_on_is_refused_not_a_crash(agent, size) -> None:
    """QA: reopened while its `high` column still ran, Tab then ``a`` closed the app (rc 5,
    NoMatches: the run was followed into a column no longer shown). ``a`` is refused, as it is
    while the comparison runs in the session that asked it."""
    agent.scripts.append(RunScript(hold=True))
    first = agent_app(agent, model="high")
    async with first.run_test(size=size) as pilot:
        chat_id = await compare(pilot, "fast")

    second, notes = agent_app(agent, model="high", chat_id=chat_id), Notifications()
    async with second.run_test(size=size, message_hook=notes) as pilot:
        screen = workspace(second)
        await until(pilot, lambda: bool(screen.answering.working))
        comparison = screen.query_one(Comparison)
        high = next(v for v in comparison.views if v.model == "high")
        await until(pilot, lambda: "Researching (background run)" in progress_of(high))
        await focus_conversation(pilot)
        await pilot.press("a")
        await until(pilot, lambda: "Wait for the comparison to end" in " ".join(notes.texts()))
        [run_id] = list(agent.runs)
        polled = agent.polls(run_id)
        await until(pilot, lambda: agent.polls(run_id) >= polled + 2)  # ticks and polls shown
        agent.finish()
        await until(pilot, lambda: not screen.answering.working)
        await until(pilot, lambda: "Tardigrades survive" in high.text)
        await pilot.press("a")  # the run has ended: the columns switch
        await until(pilot, lambda: saved(chat_id).active_path()[-1].model == "high")


async def test_a_reopened_comparison_following_its_running_column_shows_its_columns(
    agent,
) -> None:
    """QA: reopened while the run of the column later questions follow still went on, the
    comparison came back as that answer alone (no "In common", no switcher, no "1/2"), and
    stayed so when the run ended."""
    agent.scripts.append(RunScript(hold=True))
    first = agent_app(agent, model="high")
    async with first.run_test(size=WIDE) as pilot:
        chat_id = await compare(pilot, "fast")
    store = ChatStore()
    chat = store.load(chat_id)
    [running] = [m for m in chat.messages if m.running]
    chat.choose(running.id)  # (as a switch to it before the fix left it)
    store.save(chat)

    second = agent_app(agent, model="high", chat_id=chat_id)
    async with second.run_test(size=NARROW) as pilot:
        screen = workspace(second)
        await until(pilot, lambda: on_screen(second, "Researching (background run)"))
        comparison = screen.query_one(Comparison)
        assert [v.model for v in comparison.views] == ["fast", "high"]
        assert len(screen.query(AnswerView)) == 2  # the columns, no answer under them
        assert on_screen(second, "[2 high]")
        agent.finish()
        await until(pilot, lambda: not screen.answering.working)
        high = comparison.views[1]
        await until(pilot, lambda: "Tardigrades survive" in high.text)
        assert len(screen.query(AnswerView)) == 2


async def test_columns_keep_the_order_they_were_asked_in_after_a_restart(agent) -> None:
    """QA: during the session ``[1 low] 2 high 3 perplexity/sonar``, after a restart
    ``1 high [2 low] 3 perplexity/sonar``, and ``chats show`` named high first: the run's answer
    joined the chat when the run started, before the streamed ones ended. Also "No source in
    common" while the run went on, where the live view had said what they shared."""
    agent.scripts.append(RunScript(hold=True))
    first = agent_app(agent, model="low")
    async with first.run_test(size=WIDE) as pilot:
        chat_id = await compare(pilot, "high", "perplexity/sonar")
        comparison = workspace(first).query_one(Comparison)
        asked = [v.model for v in comparison.views]
        assert asked == ["low", "high", "perplexity/sonar"]
        # Numbered as they will be, not as far as they have ended ("1/2" while high ran).
        assert [v.place for v in comparison.views] == [(1, 3), (2, 3), (3, 3)]
        await until(pilot, lambda: on_screen(first, "In common: esa.int/tardigrades"))
    assert [m.model for m in answers_of(saved(chat_id).messages)] == asked

    second = agent_app(agent, model="low")
    async with second.run_test(size=NARROW) as pilot:
        screen = workspace(second)
        await until(pilot, lambda: bool(screen.answering.working))
        followed = screen.answering.of(chat_id)
        await until(pilot, lambda: bool(followed and followed.builder.sources))
        await screen.open_chat(chat_id)  # (from the chat list) after its run was polled
        comparison = screen.query_one(Comparison)
        assert [v.model for v in comparison.views] == asked
        assert comparison.current == 0
        await until(pilot, lambda: on_screen(second, "[1 low]  2 high  3 sonar"))
        await until(pilot, lambda: on_screen(second, "In common: esa.int/tardigrades"))
        agent.finish()
        await until(pilot, lambda: not screen.answering.working)
        assert comparison.current == 0
    assert saved(chat_id).active_path()[-1].model == "low"
    shown = pplx("chats", "show", chat_id).stdout
    assert "compared side by side: low · high · perplexity/sonar (answers 1, 2 and 3" in shown


async def test_a_compared_runs_time_ticks_every_second(agent, monkeypatch) -> None:
    """QA: a comparison column's time jumped at each poll (20 s, 20 s, 30 s) where an answer
    asked alone says it each second."""
    monkeypatch.setenv("PPLX_POLL_INTERVAL", "60")
    agent.scripts.append(RunScript(hold=True))
    app = agent_app(agent, model="high")
    async with app.run_test(size=WIDE) as pilot:
        await compare(pilot, "fast")
        comparison = workspace(app).query_one(Comparison)
        high = next(v for v in comparison.views if v.model == "high")
        for elapsed in ("· 2s", "· 3s"):
            await until(pilot, lambda: elapsed in progress_of(high), timeout=4)  # noqa: B023
