"""A background run stopped with Escape: the cost the provider reports on the cancelled run
is saved with the answer (the cancel's own reply carries none), read after the stop, which
does not wait for it."""

from __future__ import annotations

import json
import threading

import pytest

from pplx_tui.models import MessageStatus
from pplx_tui.store import ChatStore
from tests.support.agent_runs import AgentRunServer, RunScript
from tests.support.cli import pplx
from tests.support.loopback import RecordedRequest, Reply
from tests.support.tui import agent_app, on_screen, researching, until, workspace

CANCELLED_USAGE = {
    "input_tokens": 3000,
    "output_tokens": 100,
    "total_tokens": 3100,
    "cost": {"currency": "USD", "total_cost": 0.0123},
}


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PPLX_POLL_INTERVAL", "0.1")


def hold_reads_once_cancelled(agent: AgentRunServer) -> threading.Event:
    """Every read of a run after its cancel is held (headers sent, no body) until the event
    returned is set."""
    released = threading.Event()
    serve = agent.http.default
    assert serve is not None

    def held(request: RecordedRequest) -> Reply:
        reply = serve(request)
        cancelled = any(r.path.endswith("/cancel") for r in agent.requests)
        if request.method == "GET" and cancelled and not released.is_set():
            reply.hang_after = 0
            threading.Thread(target=lambda: released.wait(30) and reply.resume()).start()
        return reply

    agent.http.default = held
    return released


async def test_escape_saves_the_cost_the_provider_reports_on_the_cancelled_run(agent) -> None:
    """QA: `pplx usage` missed what a run stopped in the app cost, where `pplx runs wait` on a
    run cancelled elsewhere saved it: the app never read the run again after its cancel."""
    agent.scripts.append(RunScript(hold=True, cancelled_usage=CANCELLED_USAGE))
    released = hold_reads_once_cancelled(agent)
    app = agent_app(agent, model="high")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = workspace(app)
        await researching(pilot)
        chat_id = screen.chat.id

        await pilot.press("escape")
        # Stopped at once, the read after the cancel still held.
        await until(pilot, lambda: screen.pending is None)
        await until(pilot, lambda: on_screen(app, "stopped before the answer began"))
        kept = ChatStore().load(chat_id).messages[-1]
        assert kept.status == MessageStatus.INTERRUPTED and kept.usage is None

        released.set()
        await until(pilot, lambda: on_screen(app, "$0.0123"))
        await until(pilot, lambda: ChatStore().load(chat_id).messages[-1].usage is not None)
        assert screen.header.cost == pytest.approx(0.0123)
        await app.workers.wait_for_complete()

    answer = ChatStore().load(chat_id).messages[-1]
    assert answer.status == MessageStatus.INTERRUPTED and answer.run.status == "cancelled"
    assert answer.usage.cost_usd == pytest.approx(0.0123) and answer.usage.total_tokens == 3100
    usage = json.loads(pplx("usage", "--json", key=None).stdout)
    assert usage["total"]["cost_usd"] == pytest.approx(0.0123)
