"""Snapshots: a background run in progress, the chat list marking working chats, and the
header with the chat's and today's totals.

The progress clock is frozen (``answer_progress._source``), dates are fixed and shown in UTC;
the loopback Agent API holds the run in progress and the streamed answer mid-way.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from textual.pilot import Pilot

from pplx_tui.models import Chat, Message, Usage, utc_now
from pplx_tui.store import ChatStore
from pplx_tui.ui import answer_progress
from pplx_tui.ui.factory import make_app
from tests.support.agent_runs import AgentRunServer, RunScript
from tests.support.snapshots import SnapCompare
from tests.support.tui import agent_app, on_screen, send, until, workspace

MOMENT = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def steady_world(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """UTC dates, quick polls, and a progress clock the test moves by hand."""
    now = [1000.0]
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("PPLX_POLL_INTERVAL", "0.1")
    monkeypatch.setattr(answer_progress, "_source", lambda: now[0])
    time.tzset()
    yield now
    monkeypatch.undo()
    time.tzset()


def saved(title: str, question: str, answer: str = "", cost: float | None = None) -> Chat:
    """A chat saved at :data:`MOMENT`; an answer with ``cost`` finished today."""
    store = ChatStore()
    chat = store.new_chat()
    chat.title = title
    chat.settings.provider, chat.settings.model = "perplexity", "fast"
    chat.add(Message(role="user", content=question, created_at=MOMENT))
    if answer:
        chat.add(
            Message(
                role="assistant",
                content=answer,
                provider="perplexity",
                model="fast",
                usage=Usage(total_tokens=900, cost_usd=cost),
                created_at=MOMENT,
                finished_at=utc_now(),
            )
        )
    chat.created_at = chat.updated_at = MOMENT
    return store.save(chat, touch=False)


def test_a_background_run_in_progress_and_the_chat_list_marking_working_chats(
    snap_compare: SnapCompare, agent: AgentRunServer, steady_world: list[float]
) -> None:
    saved("Sourdough starters", "How do I feed a starter?")
    gate = threading.Event()
    agent.gates.append(gate)
    agent.scripts.append(RunScript(hold=True))

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        screen = workspace(app)
        await send(pilot, "How do tardigrades survive?")
        research = screen.chat.id
        await until(pilot, lambda: research in screen.answering.working)
        await until(pilot, lambda: agent.runs and max(r.polls for r in agent.runs.values()) >= 3)
        # A second chat streams a quick question, held mid-answer.
        await pilot.press("ctrl+n")
        await until(pilot, lambda: screen.chat.id != research)
        app.use_target(app.resolve("perplexity", "fast"))
        await send(pilot, "A quick question")
        await until(pilot, lambda: bool(screen.pending and screen.pending.builder.content))
        await screen.open_chat(research)
        await until(pilot, lambda: screen.pending is not None and screen.pending.view is not None)
        steady_world[0] += 83  # both have been working for 1m 23s
        screen.answering._tick()  # (the chat list's times too)
        # The progress line changes at most every PROGRESS_INTERVAL: 'Waiting for the answer…'
        # was drawn as the chat was opened, so the tick's line can come a moment later.
        await until(pilot, lambda: on_screen(app, "Researching (background run) · 1m 23s"))
        await pilot.pause()
        await pilot.pause()

    try:
        assert snap_compare(
            agent_app(agent, "high"), run_before=run_before, terminal_size=(150, 36)
        )
    finally:
        gate.set()


def test_the_header_shows_the_chats_total_and_todays_total(snap_compare: SnapCompare) -> None:
    chat = saved("Tardigrades", "How do they survive?", "In cryptobiosis.", cost=0.0281)
    saved("Sourdough starters", "How do I feed a starter?", "Daily, 1:1:1.", cost=0.0051)

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.app.workers.wait_for_complete()
        await until(pilot, lambda: workspace(pilot.app).header.day_cost is not None)
        await pilot.pause()

    app = make_app(chat_id=chat.id, demo=True)  # (on the demo: no toast that its key is missing)
    assert snap_compare(app, run_before=run_before, terminal_size=(120, 16))
