"""Stopping `pplx runs wait` (Ctrl-C, a timeout's TERM, a hang-up), a chat deleted while its run
goes on, and a question whose run is cancelled before the provider answered."""

from __future__ import annotations

import json
import signal
import subprocess

import pytest

from pplx_tui import paths
from pplx_tui.store import ChatStore
from tests.support.agent_runs import FIRST_BATCH, KEY, SECOND_BATCH, RunScript
from tests.support.cli import (
    IGNORING_CTRL_C,
    ROOT,
    assert_indented_json,
    command,
    environment,
    saved_chat,
)
from tests.support.cli_runs import QUESTION, run, start
from tests.support.held_starts import HeldStarts
from tests.support.loopback import json_reply


def _waiting(
    agent, *extra: str, ctrl_c_ignored: bool = False
) -> tuple[str, subprocess.Popen[bytes]]:
    """A chat whose run the provider holds, and a `pplx runs wait` process waiting on it
    (``ctrl_c_ignored``: started with SIGINT ignored, as a script's ``&`` job is)."""
    agent.scripts.append(RunScript(hold=True))
    chat_id = start(agent)
    before = IGNORING_CTRL_C if ctrl_c_ignored else []
    process = subprocess.Popen(
        [*before, *command("runs", "wait", chat_id, *extra)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(PERPLEXITY_API_KEY=KEY, PPLX_POLL_INTERVAL="0.05"),
        cwd=ROOT,
    )
    return chat_id, process


@pytest.mark.parametrize("ctrl_c_ignored", [False, True], ids=["foreground", "script-job"])
@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_timeout_or_kill_stops_waiting_as_ctrl_c_does(
    agent, number: signal.Signals, ctrl_c_ignored: bool
) -> None:
    """`timeout 600 pplx runs wait ID`: the process died on the spot (exit 143, nothing said)
    where Ctrl-C says the run goes on and exits 130, as `pplx ask` does for both. So did
    `pplx runs wait ID & kill $!` in a script (its ``&`` job starts with SIGINT ignored)."""
    chat_id, process = _waiting(agent, ctrl_c_ignored=ctrl_c_ignored)
    try:
        agent.wait_for_polls(2)
        process.send_signal(number)
        stdout, stderr = process.communicate(timeout=20)
    finally:
        process.kill()

    assert (process.returncode, stdout) == (130, b"")
    assert stderr.decode() == (
        f"pplx: stopped waiting; the run goes on (pplx runs wait {chat_id})\n"
    )
    assert saved_chat(chat_id)["messages"][1]["run"]["status"] in ("queued", "in_progress")


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
def test_stopping_a_json_wait_still_prints_the_object(agent, number: signal.Signals) -> None:
    """`pplx runs wait ID --json | jq .status`, stopped by Ctrl-C or `timeout`: jq got empty
    input. The object says what is known (the run's status, its chat and id) and why it ends,
    as `pplx ask --json` does for an interrupted answer."""
    chat_id, process = _waiting(agent, "--json")
    try:
        agent.wait_for_polls(3)  # (the second, in progress, was read before the third was sent)
        process.send_signal(number)
        stdout, stderr = process.communicate(timeout=20)
    finally:
        process.kill()

    assert process.returncode == 130, stderr
    assert stderr.decode() == (
        f"pplx: stopped waiting; the run goes on (pplx runs wait {chat_id})\n"
    )
    assert_indented_json(stdout.decode())
    payload = json.loads(stdout)
    run_id = saved_chat(chat_id)["messages"][1]["run"]["id"]
    assert payload["status"] == "in_progress" and payload["answer"] == ""
    assert payload["sources"], "the sources the run had found (the app shows them too)"
    assert (payload["chat_id"], payload["run_id"]) == (chat_id, run_id)
    assert payload["error"] == "stopped waiting; the run goes on"
    assert "error_kind" not in payload


def test_a_chat_deleted_while_waiting_is_one_line_and_exit_1(agent) -> None:
    """`pplx chats delete` from another shell while `pplx runs wait` waited: it said the chat
    "could not be saved (no saved chat has the id …)", then "the partial answer is kept", and
    exited 130 as if interrupted."""
    chat_id, process = _waiting(agent)
    try:
        agent.wait_for_polls(2)
        assert run("chats", "delete", chat_id).returncode == 0
        stdout, stderr = process.communicate(timeout=20)
    finally:
        process.kill()

    assert (process.returncode, stdout) == (1, b"")
    assert stderr.decode() == (
        f"pplx: chat {chat_id} was deleted elsewhere while waiting for its run; nothing was saved\n"
    )
    assert not (paths.chats_dir() / f"{chat_id}.json").exists()


def test_deleting_a_chat_still_researching_cancels_its_run_as_the_app_does(agent) -> None:
    """Nothing could fetch the answer of a deleted chat's run: it went on, and cost, unseen."""
    agent.scripts.append(RunScript(hold=True))
    chat_id = start(agent)

    result = run("chats", "delete", chat_id)

    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        f"pplx: deleted chat {chat_id}\npplx: its background run was cancelled\n"
    )
    (started,) = agent.runs.values()
    assert started.cancelled
    assert not (paths.chats_dir() / f"{chat_id}.json").exists()


def test_deleting_a_chat_with_two_runs_researching_says_so_once(agent) -> None:
    """QA (a comparison of two deep-research presets): "its background run was cancelled",
    twice."""
    agent.scripts += [RunScript(hold=True), RunScript(hold=True)]
    chat_id, other_id = start(agent), start(agent)
    store = ChatStore()
    chat = store.load(chat_id)
    second = store.load(other_id).messages[1].model_copy(update={"id": "second-run-answer"})
    chat.add(second, chat.messages[0].id)  # an alternative answer, its run still researching
    store.save(chat)

    result = run("chats", "delete", chat_id)

    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        f"pplx: deleted chat {chat_id}\npplx: its 2 background runs were cancelled\n"
    )
    assert all(started.cancelled for started in agent.runs.values())


def test_a_run_that_cannot_be_cancelled_is_said_to_go_on(agent) -> None:
    agent.scripts.append(RunScript(hold=True))
    chat_id = start(agent)
    agent.http.queue(*[json_reply(503, {"error": {"message": "busy"}}, {"Retry-After": "0"})] * 3)

    result = run("chats", "delete", chat_id)

    assert result.returncode == 0, result.stderr
    deleted, goes_on = result.stderr.splitlines()
    assert deleted == f"pplx: deleted chat {chat_id}"
    assert goes_on.startswith("pplx: its background run goes on at Perplexity (Agent API)")
    assert "503" in goes_on


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
def test_ctrl_c_before_the_provider_answered_the_question_cancels_its_run(
    agent, number: signal.Signals
) -> None:
    """Ctrl-C (or `timeout`) while the question was on its way: the provider had started the
    run but not said so; it went on, and cost, with no chat to fetch its answer from."""
    agent.scripts.append(RunScript(hold=True))
    held = HeldStarts(agent)
    asking = ["ask", "--background", "--model", "high", QUESTION]
    target = ["--provider", "perplexity", "--base-url", agent.base_url]
    process = subprocess.Popen(
        command(*asking, *target),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(PERPLEXITY_API_KEY=KEY),
        cwd=ROOT,
    )
    try:
        assert held.arrived.wait(20)
        process.send_signal(number)
        held.release()
        stdout, stderr = process.communicate(timeout=20)
    finally:
        process.kill()

    assert (process.returncode, stdout) == (130, b"")
    assert "Traceback" not in stderr.decode()
    (started,) = agent.runs.values()
    assert started.cancelled
    assert not paths.chats_dir().exists() or not list(paths.chats_dir().glob("*.json"))


def test_a_run_lost_after_a_stopped_wait_keeps_the_sources_that_wait_saw(agent) -> None:
    """QA: `pplx runs wait` saw the run find sources and was stopped; Perplexity then forgot
    the run, and the next wait said lost with no sources: only the status had been saved."""
    chat_id, process = _waiting(agent)
    try:
        agent.wait_for_polls(4)  # (the third, with both batches, was read before the fourth)
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)
    finally:
        process.kill()
    (held,) = agent.runs.values()
    held.script.outcome = "lost"
    agent.finish()

    lost = run("runs", "wait", chat_id, "--json")
    assert lost.returncode == 5, lost.stderr
    found = [*FIRST_BATCH["results"], *SECOND_BATCH["results"]]
    assert [s["url"] for s in json.loads(lost.stdout)["sources"]] == [r["url"] for r in found]
