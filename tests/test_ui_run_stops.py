"""Stopping a background run in the app at awkward moments: the run must not go on unseen."""

from __future__ import annotations

import pytest

from pplx_tui.models import MessageStatus
from pplx_tui.store import ChatStore
from tests.support.agent_runs import AgentRunServer, RunScript
from tests.support.loopback import RecordedRequest, Reply
from tests.support.tui import agent_app, send, until, workspace


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PPLX_POLL_INTERVAL", "0.1")


def hold_the_start(agent: AgentRunServer) -> list[Reply]:
    """Make the provider take each background question (the run exists) but hold its answer
    to the POST until the reply is resumed; the held replies are listed."""
    held: list[Reply] = []
    serve = agent.http.default
    assert serve is not None

    def held_start(request: RecordedRequest) -> Reply:
        reply = serve(request)
        if request.method == "POST" and request.path == "/v1/agent":
            reply.hang_after = 0
            held.append(reply)
        return reply

    agent.http.default = held_start
    return held


async def test_escape_before_the_provider_answered_the_question_still_cancels_its_run(
    agent,
) -> None:
    """Enter, then Escape at once (a wrong question): the provider had started the run but
    not yet said so. The run went on, and cost, with nothing in any chat to see or stop it."""
    agent.scripts.append(RunScript(hold=True))
    held = hold_the_start(agent)
    app = agent_app(agent, model="high")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = workspace(app)
        await send(pilot, "How do tardigrades survive?")
        await until(pilot, lambda: bool(held))
        chat_id = screen.chat.id

        await pilot.press("escape")
        await until(pilot, lambda: screen.pending is None)
        held[0].resume()
        await until(pilot, lambda: any(r.path.endswith("/cancel") for r in agent.requests))
        await app.workers.wait_for_complete()

    (run,) = agent.runs.values()
    assert run.cancelled
    answer = ChatStore().load(chat_id).messages[-1]
    assert answer.status == MessageStatus.INTERRUPTED and not answer.running
