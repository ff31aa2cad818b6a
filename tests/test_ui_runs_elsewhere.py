"""Background runs another process starts or ends while the app is open (QA, 2026-12-02).

A run started by `pplx ask --background` while the app was open was not followed (its chat
said it would be filled in, the list did not mark it, the header did not count it); a run
`pplx runs wait` filled in or found lost got no mark in the list of an app already running.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from pplx_tui.models import Message
from pplx_tui.store import ChatStore
from pplx_tui.ui.screens import earlier_runs
from tests.support.agent_runs import KEY as AGENT_KEY
from tests.support.agent_runs import AgentRunServer, RunScript
from tests.support.cli import pplx_process
from tests.support.tui import agent_app, row_text, until, workspace

QUESTION = "How do tardigrades survive?"


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PPLX_POLL_INTERVAL", "0.05")


def _other_chat() -> str:
    """A saved chat without runs: its row says the app has listed the chats."""
    store = ChatStore()
    chat = store.new_chat()
    chat.add(Message(role="user", content="q0"))
    chat.add(Message(role="assistant", content="a0"))
    return store.save(chat).id


async def _started_elsewhere(agent: AgentRunServer, *chat: str) -> tuple[str, str]:
    """`pplx ask --background` in another process (``chat``: ``--chat ID``): the chat id and
    the run id."""
    started = await asyncio.to_thread(
        pplx_process,
        "ask", "--background", "--json", *chat, "--provider", "perplexity", "--base-url",
        agent.base_url, "--model", "high", QUESTION, PERPLEXITY_API_KEY=AGENT_KEY,
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    payload = json.loads(started.stdout)
    return payload["chat_id"], payload["run_id"]


async def _waited_elsewhere(chat_id: str) -> int:
    """`pplx runs wait CHAT` in another process; its exit code."""
    waited = await asyncio.to_thread(
        pplx_process,
        "runs", "wait", chat_id, PERPLEXITY_API_KEY=AGENT_KEY, PPLX_POLL_INTERVAL="0.01",
    )  # fmt: skip
    return waited.returncode


async def test_a_run_started_by_another_process_is_followed_and_marked(
    agent: AgentRunServer,
) -> None:
    agent.scripts.append(RunScript(hold=True))
    listed = _other_chat()
    app = agent_app(agent)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = workspace(app)
        await until(pilot, lambda: row_text(app, listed) != "")
        chat_id, run_id = await _started_elsewhere(agent)

        await until(pilot, lambda: chat_id in screen.answering.working)
        await until(pilot, lambda: agent.polls(run_id) >= 2)
        await until(pilot, lambda: "answering" in row_text(app, chat_id))
        assert screen.header.elsewhere == 1

        agent.finish(run_id)
        await until(pilot, lambda: "new answer" in row_text(app, chat_id))
        assert not screen.answering.working

    (answer,) = [m for m in ChatStore().load(chat_id).messages if m.role == "assistant"]
    assert not answer.running and answer.content


async def test_a_run_started_elsewhere_in_the_open_chat_is_shown_and_followed(
    agent: AgentRunServer,
) -> None:
    agent.scripts.append(RunScript(hold=True))
    chat_id = _other_chat()
    app = agent_app(agent, chat_id=chat_id)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = workspace(app)
        await until(pilot, lambda: row_text(app, chat_id) != "")
        _, run_id = await _started_elsewhere(agent, "--chat", chat_id)

        await until(pilot, lambda: chat_id in screen.answering.working)
        assert [m.content for m in screen.conversation.all_messages()][:3] == ["q0", "a0", QUESTION]
        await until(pilot, lambda: agent.polls(run_id) >= 2)
        agent.finish(run_id)
        await until(pilot, lambda: not screen.answering.working)
        assert "new answer" not in row_text(app, chat_id)  # (read: it is on screen)

    answer = ChatStore().load(chat_id).messages[-1]
    assert not answer.running and answer.content


@pytest.mark.parametrize(
    ("outcome", "mark", "code"), [("completed", "new answer", 0), ("lost", "run lost", 5)]
)
async def test_a_run_pplx_runs_wait_ended_marks_its_chat_in_the_running_app(
    agent: AgentRunServer, monkeypatch: pytest.MonkeyPatch, outcome: str, mark: str, code: int
) -> None:
    """A run this app does not follow (past the runs it follows at once) and `pplx runs wait`
    ends: the list marks its chat as it marks the ends of the runs it follows."""
    monkeypatch.setattr(earlier_runs, "MAX_RESUMED", 0)
    agent.scripts.append(RunScript(outcome=outcome, hold=True))  # type: ignore[arg-type]
    chat_id, run_id = await _started_elsewhere(agent)
    app = agent_app(agent)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = workspace(app)
        await until(pilot, lambda: row_text(app, chat_id) != "")
        assert chat_id not in screen.answering.working
        assert agent.polls(run_id) == 0

        agent.finish(run_id)
        assert await _waited_elsewhere(chat_id) == code
        await until(pilot, lambda: mark in row_text(app, chat_id))
