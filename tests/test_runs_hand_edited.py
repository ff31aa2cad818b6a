"""Background runs in chat files written by hand (or by another tool): times without a zone.

A time saved without its UTC offset (``2026-12-01T21:06:32``) is read as local time, as the
store's merge reads it; it stopped `pplx runs` with a traceback, and at the app's start it
stopped every run after it from being followed.
"""

from __future__ import annotations

import json

import pytest

from pplx_tui import paths
from tests.support.agent_runs import KEY, AgentRunServer
from tests.support.cli import pplx, saved_chat
from tests.support.tui import agent_app, until, workspace


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PPLX_POLL_INTERVAL", "0.1")


def waiting_run(agent: AgentRunServer, question: str) -> str:
    """A chat waiting on its background run (``pplx ask --background``); its id."""
    started = pplx(
        "ask", "--background", "--provider", "perplexity", "--base-url", agent.base_url,
        "--model", "high", question, PERPLEXITY_API_KEY=KEY,
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    return started.stdout.strip()


def without_zones(chat_id: str) -> None:
    """Save the chat's run times as a hand edit might: no UTC offset."""
    path = paths.chats_dir() / f"{chat_id}.json"
    chat = json.loads(path.read_text())
    answer = chat["messages"][1]
    answer["run"]["started_at"] = answer["run"]["started_at"][:19]
    if answer["finished_at"]:
        answer["finished_at"] = answer["finished_at"][:19]
    path.write_text(json.dumps(chat))


def test_runs_lists_runs_whose_times_have_no_zone(agent) -> None:
    finished = waiting_run(agent, "How do tardigrades survive?")
    assert pplx("runs", "wait", finished, PERPLEXITY_API_KEY=KEY).returncode == 0
    waiting = waiting_run(agent, "And water bears in orbit?")
    without_zones(finished)
    without_zones(waiting)

    listed = pplx("runs", PERPLEXITY_API_KEY=KEY)
    as_json = pplx("runs", "--json", PERPLEXITY_API_KEY=KEY)

    assert listed.returncode == 0, listed.stderr
    rows = listed.stdout.splitlines()[1:]
    assert rows[0].startswith(f"{waiting}  queued") and rows[1].startswith(f"{finished}  complet")
    records = json.loads(as_json.stdout)
    assert [record["chat_id"] for record in records] == [waiting, finished]
    assert all(record["started_at"].endswith("Z") for record in records)


@pytest.fixture
def two_waiting_runs(agent) -> tuple[str, str]:
    """Two chats waiting on their runs, the first with times saved without a zone."""
    edited = waiting_run(agent, "How do tardigrades survive?")
    other = waiting_run(agent, "And water bears in orbit?")
    without_zones(edited)
    return edited, other


async def test_the_app_follows_every_run_when_one_has_times_without_a_zone(
    agent, two_waiting_runs: tuple[str, str]
) -> None:
    edited, other = two_waiting_runs
    app = agent_app(agent)
    async with app.run_test(size=(120, 40)) as pilot:
        working = workspace(app).answering.working
        await until(pilot, lambda: {edited, other} <= set(working))
        await until(pilot, lambda: not working)

    for chat_id in (edited, other):
        answer = saved_chat(chat_id)["messages"][1]
        assert answer["status"] == "complete" and answer["run"]["status"] == "completed"


def test_a_run_a_hand_edit_gave_a_provider_without_runs_is_one_line(agent) -> None:
    chat_id = waiting_run(agent, "How do tardigrades survive?")
    path = paths.chats_dir() / f"{chat_id}.json"
    chat = json.loads(path.read_text())
    chat["messages"][1]["provider"] = "openrouter"
    path.write_text(json.dumps(chat))

    result = pplx("runs", "wait", chat_id, OPENROUTER_API_KEY="sk-or-v1-" + "0123456789" * 4)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "pplx: OpenRouter has no background runs; they need the Agent API (provider perplexity).\n"
    )
    assert agent.requests[1:] == []


def test_runs_prints_no_terminal_control_from_a_chat_file(agent) -> None:
    """A chat file is anyone's text (an import): its model and run status went to the terminal
    as they were, escape sequences (a clipboard write, a cleared screen) included."""
    chat_id = waiting_run(agent, "How do tardigrades survive?")
    path = paths.chats_dir() / f"{chat_id}.json"
    chat = json.loads(path.read_text())
    chat["messages"][1]["model"] = "high\x1b]52;c;ZXZpbA==\x07"
    chat["messages"][1]["run"]["status"] = "done\x1b[2J"
    path.write_text(json.dumps(chat))

    listed = pplx("runs", PERPLEXITY_API_KEY=KEY)

    assert listed.returncode == 0, listed.stderr
    assert "\x1b" not in listed.stdout and "\x07" not in listed.stdout
    assert chat_id in listed.stdout and "high" in listed.stdout


def test_runs_wait_prints_no_terminal_control_from_a_chat_file(agent) -> None:
    chat_id = waiting_run(agent, "How do tardigrades survive?")
    path = paths.chats_dir() / f"{chat_id}.json"
    chat = json.loads(path.read_text())
    answer = chat["messages"][1]
    answer |= {"status": "error", "error": "lost\x1b]52;c;ZXZpbA==\x07 for good"}
    answer["run"]["status"] = "lost"
    path.write_text(json.dumps(chat))

    result = pplx("runs", "wait", chat_id, PERPLEXITY_API_KEY=KEY)

    assert result.returncode == 5
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert result.stderr.startswith("pplx: lost") and result.stderr.endswith("for good\n")


def test_run_times_at_the_ends_of_the_calendar_are_read(agent) -> None:
    """A time whose offset takes it past year 1 or 9999 in UTC stopped every command that read
    the chat (`chats list`, `usage`, `runs`) with "unexpected error (OverflowError)"."""
    chat_id = waiting_run(agent, "How do tardigrades survive?")
    path = paths.chats_dir() / f"{chat_id}.json"
    chat = json.loads(path.read_text())
    answer = chat["messages"][1]
    answer["run"]["started_at"] = "0001-01-01T00:00:00+05:00"
    answer["finished_at"] = "9999-12-31T23:59:59-05:00"
    path.write_text(json.dumps(chat))

    for command in (("runs",), ("chats", "list"), ("usage",), ("chats", "show", chat_id)):
        result = pplx(*command, PERPLEXITY_API_KEY=KEY)
        assert (result.returncode, result.stderr) == (0, ""), command
    assert "tardigrades" in pplx("chats", "list").stdout
