"""A working answer's lines at 80 columns and wide: the chat list's `⟳ answering · 6m 58s` and
the progress line under the answer fit the room they have, not cut where they need not be nor
wrapped mid-value."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from textual.pilot import Pilot

from pplx_tui.ui import answer_progress
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.screens import run_follower
from pplx_tui.ui.widgets.progress_line import ProgressLine
from tests.support.agent_runs import AgentRunServer, RunScript
from tests.support.tui import agent_app, screen_lines, send, until, workspace

SECOND_QUERY = "tardigrade radiation tolerance Dsup protein"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Quick polls, and a progress clock the test moves by hand."""
    now = [1000.0]
    monkeypatch.setenv("PPLX_POLL_INTERVAL", "0.05")
    monkeypatch.setattr(answer_progress, "_source", lambda: now[0])
    yield now


async def researching(pilot: Pilot[Any], agent: AgentRunServer, clock: list[float]) -> None:
    """A background run that has searched twice, working for 6m 58s, the chat list shown."""
    app = pilot.app
    screen = workspace(app)
    await send(pilot, "How do tardigrades survive?")
    # The fourth poll is sent once the third (both searches) was read.
    await until(pilot, lambda: agent.runs and max(r.polls for r in agent.runs.values()) >= 4)
    if not screen.chat_list.display:
        await pilot.press("ctrl+b")
    clock[0] += 418
    screen.answering._tick()  # (the chat list's time too)
    await until(pilot, lambda: "6m 58s" in str(progress_line(app).render()))


def progress_line(app: PplxApp) -> ProgressLine:
    return workspace(app).query_one(ProgressLine)


def list_rows(app: PplxApp) -> list[str]:
    region = workspace(app).chat_list.region
    return [line[region.x : region.right] for line in screen_lines(app)[region.y : region.bottom]]


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
async def test_the_open_chats_answering_time_is_not_wrapped(
    agent: AgentRunServer, clock: list[float], size: tuple[int, int]
) -> None:
    """`⟳ answering · 6m` over `58s`: the `▸` chat's line, two cells in, did not fit the list."""
    agent.scripts.append(RunScript(hold=True))
    app = agent_app(agent, "high")
    async with app.run_test(size=size) as pilot:
        await researching(pilot, agent, clock)
        await pilot.pause()

        rows = [" ".join(row.strip(" ▊▎│").split()) for row in list_rows(app)]
        # The widest form that fits ("⟳ answering · 6m 58s" once the list lost its focus
        # frame), never one wrapped.
        assert any(row.startswith("⟳ answering") and row.endswith("6m 58s") for row in rows), rows
        assert "58s" not in rows


@pytest.mark.parametrize("size", [(160, 40), (200, 40)], ids=["160x40", "200x40"])
async def test_the_progress_line_fits_its_queries_to_the_room_it_has(
    agent: AgentRunServer, clock: list[float], size: tuple[int, int]
) -> None:
    """At 200 columns the second query was cut at 40 characters and the line wrapped all the
    same (` · 3 sources` on a line of its own): the queries are cut to what fits one line."""
    agent.scripts.append(RunScript(hold=True))
    app = agent_app(agent, "high")
    async with app.run_test(size=size) as pilot:
        await researching(pilot, agent, clock)
        line = progress_line(app)
        await until(pilot, lambda: line.size.height == 1)

        text = str(line.render())
        assert text.startswith("Researching (background run) · 6m 58s · 2 searches: “tardigrade")
        assert text.endswith("…” · 3 sources") and len(text) <= line.size.width


async def test_the_progress_line_shows_whole_queries_where_they_fit(
    agent: AgentRunServer, clock: list[float]
) -> None:
    agent.scripts.append(RunScript(hold=True))
    app = agent_app(agent, "high")
    async with app.run_test(size=(260, 40)) as pilot:
        await researching(pilot, agent, clock)
        line = progress_line(app)

        await until(pilot, lambda: f"“{SECOND_QUERY}” · 3 sources" in str(line.render()))
        assert line.size.height == 1


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
async def test_a_progress_line_too_long_for_one_line_breaks_between_its_parts(
    agent: AgentRunServer, clock: list[float], size: tuple[int, int]
) -> None:
    """Beside the chat list it broke anywhere (`… · 6m 58s · 2` over `searches: “…`): the
    searches take a line of their own, fitted to it, under the rest."""
    agent.scripts.append(RunScript(hold=True))
    app = agent_app(agent, "high")
    async with app.run_test(size=size) as pilot:
        await researching(pilot, agent, clock)
        line = progress_line(app)

        await until(pilot, lambda: line.size.height == 2)
        first, second = str(line.render()).split("\n")
        assert first == "Researching (background run) · 6m 58s · 3 sources"
        assert second.startswith("2 searches: “tardigrade") and second.endswith("…”")
        assert len(second) <= line.size.width


def test_a_narrow_progress_line_with_no_searches_does_not_count_them() -> None:
    """QA: a narrow column's line without queries broke onto a line of its own reading
    ``0 searches`` (under ``Queued (background run)`` / ``1s``)."""
    line = answer_progress.Progress("Queued (background run)", started=0.0, sources=3)
    fitted = line.line(now=1.0).fit(16).splitlines()
    assert fitted == ["Queued (background run)", "1s · 3 sources"]


@pytest.mark.parametrize("server", ["portal", "unavailable"])
async def test_an_outage_leaves_the_answers_time_on_its_first_line(
    agent: AgentRunServer, clock: list[float], server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: at 80 columns "Perplexity (Agent API) could not be reached for 37s; still trying"
    took the first line alone, the time the answer has taken on the next."""
    monkeypatch.setattr(run_follower, "UNREACHABLE_NOTICE", 30.0)
    agent.scripts.append(RunScript(hold=True))
    app = agent_app(agent, "high")
    async with app.run_test(size=(80, 24)) as pilot:
        await send(pilot, "How do tardigrades survive?")
        await until(pilot, lambda: agent.runs and max(r.polls for r in agent.runs.values()) >= 4)
        clock[0] += 28
        setattr(agent, server, True)
        followed = workspace(app).pending
        assert isinstance(followed, run_follower.RunFollower)
        await until(pilot, lambda: followed.unreachable_since is not None)
        clock[0] += 37
        workspace(app).answering._tick()
        line = progress_line(app)
        await until(pilot, lambda: "still trying" in str(line.render()))

        first = str(line.render()).split("\n")[0]
        assert "for 37s; still trying · 1m 05s" in first, str(line.render())


async def test_the_chat_list_counts_the_answer_s_time_as_the_answer_does(
    agent: AgentRunServer, clock: list[float]
) -> None:
    """QA: the chat list said `⟳ answering · 12s` beside the answer's `Answering · 11s`: the
    list read the clock whenever it drew its rows, the answer at its own tick. Both count to
    the workspace's last tick."""
    gate = threading.Event()
    agent.gates.append(gate)
    app = agent_app(agent)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = workspace(app)
        await send(pilot, "first question")
        await until(pilot, lambda: bool(screen.pending and screen.pending.builder.content))
        if not screen.chat_list.display:
            await pilot.press("ctrl+b")
        assert screen.answering._ticker is not None
        screen.answering._ticker.pause()  # the test moves the time by hand
        clock[0] += 11.6
        screen.answering._tick()
        await until(pilot, lambda: "Answering · 11s" in str(progress_line(app).render()))
        await until(
            pilot, lambda: "answering · 11s" in " ".join(list_rows(app)), what=str(list_rows(app))
        )

        clock[0] += 0.6  # a second on since the question, not yet ticked
        for shown in (False, True):  # the list hidden and shown: its rows drawn again
            await pilot.press("ctrl+b")
            await until(pilot, lambda shown=shown: screen.chat_list.display == shown)
        await pilot.pause()
        times = re.findall(r"answering · (\d+s)", " ".join(list_rows(app)))
        assert times == ["11s"], list_rows(app)
        assert "Answering · 11s" in str(progress_line(app).render())

        screen.answering._tick()  # the next tick: both say 12s
        await until(pilot, lambda: "Answering · 12s" in str(progress_line(app).render()))
        await until(pilot, lambda: "answering · 12s" in " ".join(list_rows(app)))
    gate.set()
