"""Background runs across a restart of the app: what an answer had found before the app closed
is still there after it, whatever the run's end."""

from __future__ import annotations

import pytest

from pplx_tui.store import ChatStore
from tests.support.agent_runs import FIRST_BATCH, SECOND_BATCH, RunScript
from tests.support.tui import agent_app, researching, until, workspace

FOUND = [result["url"] for result in [*FIRST_BATCH["results"], *SECOND_BATCH["results"]]]


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PPLX_POLL_INTERVAL", "0.1")


async def test_a_run_lost_while_the_app_was_closed_keeps_the_sources_it_had_found(
    agent,
) -> None:
    """QA: a run showed `3 sources` when the app was closed; Perplexity forgot it meanwhile,
    and at the next start its answer said lost with no sources at all (a run lost while the
    app is open keeps them): they were never saved with the run."""
    agent.scripts.append(RunScript(hold=True))
    app = agent_app(agent, model="high")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = workspace(app)
        await researching(pilot)
        await until(pilot, lambda: len(screen.pending.builder.sources) == len(FOUND))  # type: ignore[union-attr]
        chat_id = screen.chat.id
        await pilot.press("ctrl+q")

    (run,) = agent.runs.values()
    run.script.outcome = "lost"  # Perplexity forgets it while the app is closed
    agent.finish()
    app = agent_app(agent, model="high")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: not ChatStore().load(chat_id).messages[-1].running)

    answer = ChatStore().load(chat_id).messages[-1]
    assert answer.run is not None and answer.run.status == "lost"
    assert [source.url for source in answer.sources] == FOUND
