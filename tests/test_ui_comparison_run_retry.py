"""ctrl+r on a comparison's deep-research column that was stopped (QA: fast beside high, high a
background run; Escape while high researched, then ctrl+r): the stopped try was not set aside as
a streamed column's is. The labels read ``fast · 1/3`` and ``high · 2/3``, ``pplx chats show``
listed it as "alternative 3 of 3", and ``pplx runs`` / ``pplx runs wait`` took its cancelled
run for the chat's latest."""

from __future__ import annotations

import json
from typing import Any

import pytest
from textual.pilot import Pilot

from pplx_tui.models import MessageStatus
from pplx_tui.ui.widgets.comparison import Comparison
from tests.support.agent_runs import AgentRunServer, RunScript
from tests.support.answers import saved
from tests.support.cli import pplx
from tests.support.cli_runs import run
from tests.support.compare_picks import ask_beside
from tests.support.tui import agent_app, until, workspace


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PPLX_POLL_INTERVAL", "0.05")


async def compare_with_high(pilot: Pilot[Any], agent: AgentRunServer) -> None:
    """Ask fast (the app's) and high side by side; return once high's run researches."""
    await ask_beside(pilot, "How do tardigrades survive?", "high")
    await until(pilot, lambda: any(agent.polls(run) >= 2 for run in agent.runs))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_stopped_run_column_asked_again_is_set_aside(agent, size) -> None:
    agent.scripts += [RunScript(hold=True), RunScript(polls=1)]
    app = agent_app(agent, model="fast")
    async with app.run_test(size=size) as pilot:
        screen = workspace(app)
        chat_id = screen.chat.id
        await compare_with_high(pilot, agent)
        await pilot.press("escape")
        await until(pilot, lambda: not screen.alternatives.comparing)
        [stopped_id] = agent.runs
        assert agent.runs[stopped_id].cancelled

        await pilot.press("ctrl+r")
        await until(pilot, lambda: len(agent.runs) == 2)
        await until(pilot, lambda: not screen.alternatives.comparing)
        comparison = screen.query_one(Comparison)
        assert [(v.model, v.place) for v in comparison.views] == [
            ("fast", (1, 2)),
            ("high", (2, 2)),
        ]

    _, latest_id = agent.runs
    chat = saved(chat_id)
    [stopped] = [m for m in chat.messages if m.run and m.run.id == stopped_id]
    [latest] = [m for m in chat.messages if m.run and m.run.id == latest_id]
    assert latest.status == MessageStatus.COMPLETE
    assert stopped.replaced_by == latest.id and stopped.retired
    shown = pplx("chats", "show", chat_id)
    assert shown.returncode == 0, shown.stderr
    assert "of 3" not in shown.stdout

    [listed] = json.loads(run("runs", "--json").stdout)
    assert (listed["run_id"], listed["status"]) == (latest_id, "completed")
    waited = run("runs", "wait", chat_id)
    assert waited.returncode == 0, waited.stderr
    assert waited.stdout.startswith("Tardigrades survive open space")
