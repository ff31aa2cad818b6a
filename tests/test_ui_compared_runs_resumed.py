"""A comparison of two background runs, the app closed while both go on (QA): after the restart
only one column was followed (polled, filled in when its run ended); the other stayed stuck,
"checking", until ctrl+r. Every unfinished run of the chat is followed again, and each column
fills in when its own run ends: with the chat open at the start, or opened later."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from textual.pilot import Pilot

from pplx_tui.models import Message
from pplx_tui.ui.widgets.comparison import Comparison
from tests.support.agent_runs import AgentRunServer, RunScript
from tests.support.answers import saved
from tests.support.cli_runs import run
from tests.support.compare_picks import ask_beside
from tests.support.tui import agent_app, until, workspace

SIZE = (120, 40)
FIRST, SECOND = "Tardigrades survive (high).", "Tardigrades survive (xhigh)."
ANSWERS = {"high": FIRST, "xhigh": SECOND}


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PPLX_POLL_INTERVAL", "0.05")


def running(chat_id: str) -> list[Message]:
    return [m for m in saved(chat_id).messages if m.running]


async def compare_two_runs(agent: AgentRunServer) -> str:
    """Ask ``high`` and ``xhigh`` (both background models) side by side, wait until both runs
    are saved in the chat, and close the app; the chat's id."""
    agent.scripts += [RunScript(hold=True), RunScript(hold=True)]
    app = agent_app(agent, model="high")
    async with app.run_test(size=SIZE) as pilot:
        screen = workspace(app)
        await ask_beside(pilot, "How do tardigrades survive?", "xhigh")
        await until(pilot, lambda: len([m for m in screen.chat.messages if m.running]) == 2)
        chat_id = screen.chat.id
        await until(pilot, lambda: len(running(chat_id)) == 2)
    assert sorted(run_of(agent)) == ["high", "xhigh"]
    for model, run_id in run_of(agent).items():  # (asked at once: either may come first)
        agent.runs[run_id].script.answer = ANSWERS[model]
    return chat_id


def run_of(agent: AgentRunServer) -> dict[str, str]:
    """Each preset asked → the id of its run."""
    return {run.body["preset"]: run_id for run_id, run in agent.runs.items()}


async def both_polled(pilot: Pilot[Any], agent: AgentRunServer) -> None:
    """Both runs are polled again after the restart."""
    before = {run_id: agent.polls(run_id) for run_id in agent.runs}
    await until(pilot, lambda: all(agent.polls(r) >= n + 2 for r, n in before.items()))


def filled_in(chat_id: str) -> dict[str | None, str]:
    """Each compared answer's model → its text, once none waits on its run."""
    answers = [m for m in saved(chat_id).messages if m.comparison is not None]
    return {m.model: m.content for m in answers if not m.running}


async def test_both_runs_of_a_comparison_are_followed_after_a_restart(agent) -> None:
    chat_id = await compare_two_runs(agent)
    app = agent_app(agent, model="high", chat_id=chat_id)
    async with app.run_test(size=SIZE) as pilot:
        await both_polled(pilot, agent)  # and closed again while both go on
    assert len(running(chat_id)) == 2

    app = agent_app(agent, model="high", chat_id=chat_id)
    async with app.run_test(size=SIZE) as pilot:
        screen = workspace(app)
        await both_polled(pilot, agent)
        agent.finish()
        await until(pilot, lambda: len(filled_in(chat_id)) == 2)
        assert filled_in(chat_id) == ANSWERS
        comparison = screen.query_one(Comparison)
        texts = {v.model: v.text for v in comparison.views}
        await until(pilot, lambda: all(t in " ".join(texts.values()) for t in (FIRST, SECOND)))
        await until(pilot, lambda: not screen.answering.works_in(chat_id))
    assert not running(chat_id)
    assert saved(chat_id).active_path()[-1].model == "high"  # the column followed, as asked


async def test_each_column_fills_in_when_its_own_run_ends(agent) -> None:
    """The second run ends first: its column fills in while the other goes on."""
    chat_id = await compare_two_runs(agent)
    first_run, second_run = run_of(agent)["high"], run_of(agent)["xhigh"]

    app = agent_app(agent, model="high", chat_id=chat_id)
    async with app.run_test(size=SIZE) as pilot:
        screen = workspace(app)
        await both_polled(pilot, agent)
        agent.finish(second_run)
        await until(pilot, lambda: filled_in(chat_id) == {"xhigh": SECOND})
        comparison = screen.query_one(Comparison)
        xhigh = next(v for v in comparison.views if v.model == "xhigh")
        await until(pilot, lambda: SECOND in xhigh.text)
        polled = agent.polls(first_run)
        await until(pilot, lambda: agent.polls(first_run) >= polled + 2)
        agent.finish(first_run)
        await until(pilot, lambda: len(filled_in(chat_id)) == 2)
        high = next(v for v in comparison.views if v.model == "high")
        await until(pilot, lambda: FIRST in high.text)
    assert filled_in(chat_id) == ANSWERS


async def test_both_runs_are_followed_with_another_chat_open_and_shown_when_reopened(
    agent,
) -> None:
    chat_id = await compare_two_runs(agent)

    app = agent_app(agent, model="high")
    async with app.run_test(size=SIZE) as pilot:
        screen = workspace(app)
        assert screen.chat.id != chat_id
        await both_polled(pilot, agent)
        await screen.open_chat(chat_id)  # (from the chat list) while both go on
        comparison = screen.query_one(Comparison)
        assert sorted(v.model or "" for v in comparison.views) == ["high", "xhigh"]
        await both_polled(pilot, agent)
        agent.finish()
        await until(pilot, lambda: len(filled_in(chat_id)) == 2)
        for view in comparison.views:
            await until(pilot, lambda v=view: ANSWERS[v.model] in v.text)
        await until(pilot, lambda: not screen.answering.works_in(chat_id))
    assert filled_in(chat_id) == ANSWERS


async def test_both_runs_fill_in_while_their_chat_is_not_open(agent) -> None:
    """Ended while another chat was open: both saved filled in, the chat shows both later."""
    chat_id = await compare_two_runs(agent)

    app = agent_app(agent, model="high")
    async with app.run_test(size=SIZE) as pilot:
        screen = workspace(app)
        await both_polled(pilot, agent)
        agent.finish()
        await until(pilot, lambda: len(filled_in(chat_id)) == 2)
        await until(pilot, lambda: not screen.answering.works_in(chat_id))
        await screen.open_chat(chat_id)
        comparison = screen.query_one(Comparison)
        texts = " ".join(v.text for v in comparison.views)
        assert FIRST in texts and SECOND in texts
    assert filled_in(chat_id) == ANSWERS


async def test_escape_stops_both_runs_followed_again(agent) -> None:
    """Followed again as its comparison, Escape stops it as it did before the restart: both
    runs are cancelled at the provider and both answers are kept, stopped."""
    chat_id = await compare_two_runs(agent)

    app = agent_app(agent, model="high", chat_id=chat_id)
    async with app.run_test(size=SIZE) as pilot:
        screen = workspace(app)
        await both_polled(pilot, agent)
        await pilot.press("escape")
        await until(pilot, lambda: not screen.answering.works_in(chat_id))
    assert all(run.cancelled for run in agent.runs.values())
    assert not running(chat_id)


def test_pplx_runs_lists_both_and_waits_for_each(agent) -> None:
    """Without the app: `pplx runs` lists both runs of the comparison, and `pplx runs wait
    RUN` fills each column's answer in."""

    async def asked() -> str:
        return await compare_two_runs(agent)

    chat_id = asyncio.run(asked())
    listed = json.loads(run("runs", "--json").stdout)
    assert sorted(r["run_id"] for r in listed) == sorted(agent.runs)
    agent.finish()
    for run_id in agent.runs:
        assert run("runs", "wait", run_id).returncode == 0
    assert filled_in(chat_id) == ANSWERS
