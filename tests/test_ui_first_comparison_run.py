"""A comparison with a background run among its columns while the chats folder changes (QA,
2026-12-02: the first question of a new store, asked of fast and high side by side): the chat
list saw the folder change, took the compared run for one another process had started and
followed it a second time, drawing the conversation again under the columns still streaming;
the next column to end closed the app (rc 5, NoMatches '.answer-view--label') and the others
were saved interrupted."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from textual.pilot import Pilot

from pplx_tui.models import Message
from pplx_tui.store import ChatStore
from pplx_tui.ui.widgets.comparison import Comparison
from pplx_tui.values import MessageStatus
from tests.support.agent_runs import AgentRunServer, RunScript
from tests.support.answers import saved
from tests.support.compare_picks import ask_beside
from tests.support.tui import agent_app, until, workspace


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PPLX_POLL_INTERVAL", "0.05")


def _saved_elsewhere() -> None:
    """Another pplx saves a chat of its own: the chats folder changes."""
    store = ChatStore()
    chat = store.new_chat()
    chat.add(Message(role="user", content="from elsewhere"))
    store.save(chat)


async def _compare(pilot: Pilot[Any], model: str) -> str:
    """Ask the first question of ``model`` (a background run) beside the app's, and wait until
    its run is in the chat file; the chat's id."""
    screen = workspace(pilot.app)  # type: ignore[arg-type]
    await ask_beside(pilot, "fresh compare", model)
    chat_id = screen.chat.id
    await until(pilot, lambda: any(m.run for m in saved(chat_id).messages), what="run noted")
    return chat_id


async def test_a_comparison_keeps_its_columns_when_the_chats_folder_changes(
    agent: AgentRunServer,
) -> None:
    gate = threading.Event()
    agent.gates.append(gate)  # the streamed column holds mid-answer
    agent.scripts.append(RunScript(hold=True))
    app = agent_app(agent, model="fast")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = workspace(app)
        chat_id = await _compare(pilot, "high")
        comparison = screen.query_one(Comparison)
        _saved_elsewhere()
        # What the chat list has the workspace do when it sees the folder change (at QA, it
        # took the app's own first save for another process's).
        await screen.runs.look_again()
        await pilot.pause()
        assert comparison.is_attached
        assert not screen.answering.working  # the comparison follows its run, nothing else
        gate.set()
        fast, high = comparison.views
        await until(pilot, lambda: fast.message is not None and not fast.message.running)
        agent.finish()
        await until(pilot, lambda: not screen.alternatives.comparing)
        assert "Tardigrades survive" in high.text
    answers = [m for m in saved(chat_id).messages if m.role == "assistant"]
    assert [(m.model, m.status) for m in answers] == [
        ("fast", MessageStatus.COMPLETE),
        ("high", MessageStatus.COMPLETE),
    ]
    assert len(agent.runs) == 1


async def test_a_column_no_longer_shown_still_ends_and_is_saved(agent: AgentRunServer) -> None:
    """Whatever takes a streaming column off the screen, its end does not close the app: the
    answers are saved as they ended."""
    gate = threading.Event()
    agent.gates.append(gate)
    app = agent_app(agent, model="fast")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = workspace(app)
        chat_id = await _compare(pilot, "high")
        await screen.query_one(Comparison).remove()
        gate.set()
        agent.finish()
        await until(pilot, lambda: not screen.alternatives.comparing)
    answers = [m for m in saved(chat_id).messages if m.role == "assistant"]
    assert [(m.model, m.status) for m in answers] == [
        ("fast", MessageStatus.COMPLETE),
        ("high", MessageStatus.COMPLETE),
    ]
