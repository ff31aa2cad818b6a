"""A notice that goes is wiped off the terminal, not only out of the app's own frame.

QA: "Following 1 background run started earlier…" stayed drawn over the question box at 80x24
and 120x40 after it had gone, until a resize. The app's frame no longer had it: the terminal
was never told to draw its area again. These tests read what a terminal would show
(:mod:`tests.support.terminal_copy`).
"""

from __future__ import annotations

import pytest

from pplx_tui.ui import answer_progress
from pplx_tui.ui.screens import ready_notice
from tests.support.agent_runs import KEY, RunScript
from tests.support.cli import pplx
from tests.support.terminal_copy import terminal_copy
from tests.support.tui import agent_app, row_text, until, workspace

FOLLOWING = "Following 1 background"


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PPLX_POLL_INTERVAL", "0.1")


@pytest.fixture
def run_started_earlier(agent) -> None:
    """A background run started by ``pplx ask --background``, still at work."""
    agent.scripts.append(RunScript(hold=True))
    started = pplx(
        "ask", "--background", "--provider", "perplexity", "--base-url", agent.base_url,
        "--model", "high", "Why is the sky blue", PERPLEXITY_API_KEY=KEY,
    )  # fmt: skip
    assert started.returncode == 0, started.stderr


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_notice_of_runs_followed_at_start_is_wiped_off_when_it_goes(
    agent, run_started_earlier: None, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    """The notice and the chat list's second ticks start together, as the run is followed: the
    notice went just after a tick, a redraw of the hidden list (which had Textual look up the
    screen's layout again, unseen, without the notice's toast just removed)."""
    monkeypatch.setattr(ready_notice, "TIMEOUT", 2.0)  # (6 s in the app: whole seconds too)
    app = agent_app(agent)
    with terminal_copy(app) as terminal:
        async with app.run_test(size=size, notifications=True) as pilot:
            await until(pilot, lambda: FOLLOWING in terminal.text())
            assert workspace(app).answering.working  # (the run is followed: the list ticks)
            await until(pilot, lambda: not app._notifications)  # gone (the app's frame unread:
            # drawing it looks the layout up again, which the app does not do on its own)
            await until(
                pilot,
                lambda: "Following" not in terminal.text(),
                what="the notice's area drawn again on the terminal",
            )


async def test_the_hidden_chat_list_shows_the_time_a_run_has_worked_as_it_shows(
    agent, run_started_earlier: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hidden, the chat list does not redraw its working chats' times every second; shown, it
    says the time at once, not the one from before it hid."""
    now = [1000.0]
    monkeypatch.setattr(answer_progress, "_source", lambda: now[0])
    app = agent_app(agent)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = workspace(app)
        await until(pilot, lambda: bool(screen.answering.working))
        (chat_id,) = screen.answering.working
        await until(pilot, lambda: "s" in row_text(app, chat_id))
        assert not screen.chat_list.display
        now[0] += 125
        screen.answering._tick()  # (a tick while hidden: the workspace's timer may be late)
        await pilot.press("ctrl+b")
        assert screen.chat_list.display
        assert "2m 0" in row_text(app, chat_id)
