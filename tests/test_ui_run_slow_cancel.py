"""Escape on a background run while Perplexity is slow to confirm the cancel: the app stays
usable meanwhile, and the answer ends stopped once it confirms."""

from __future__ import annotations

import asyncio

import pytest

from pplx_tui.models import MessageStatus
from pplx_tui.store import ChatStore
from tests.support.agent_runs import RunScript
from tests.support.held_starts import HeldStarts
from tests.support.tui import agent_app, researching, until, workspace


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PPLX_POLL_INTERVAL", "0.1")


async def test_keys_work_while_perplexity_is_slow_to_confirm_a_cancel(agent) -> None:
    """QA: Escape on a deep-research run, Perplexity slow to confirm (up to 20 s): the line said
    `Cancelling` and every key did nothing meanwhile — typing, ctrl+b, even ctrl+q — then all
    of them landed at once when the cancel was confirmed."""
    agent.scripts.append(RunScript(hold=True))
    cancels = HeldStarts(agent, holds=lambda request: request.path.endswith("/cancel"))
    app = agent_app(agent, model="high")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = workspace(app)
        await researching(pilot)
        chat_id = screen.chat.id
        await pilot.press("escape")
        await until(pilot, cancels.arrived.is_set)

        await asyncio.wait_for(pilot.press("o", "k"), 3)
        await until(pilot, lambda: screen.prompt.text == "ok", timeout=3)
        assert screen.answering.working  # still cancelling: not yet stopped
        await pilot.press("escape")  # a second Escape asks no second cancel
        cancels.release()
        await until(pilot, lambda: not screen.answering.working)

    assert len(cancels.replies) == 1
    answer = ChatStore().load(chat_id).messages[-1]
    assert answer.status == MessageStatus.INTERRUPTED and answer.run is not None
    assert answer.run.status == "cancelled" and not answer.running
