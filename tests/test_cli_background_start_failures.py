"""`pplx ask --background` whose start fails: what it prints and what it keeps.

QA: with `--json` a failed start printed nothing on stdout (foreground `ask --json` prints its
object with status, error and error_kind), and a start that failed after the question went out
(a 5xx: "the run may have started all the same") kept nothing, so the question was lost where a
foreground `ask --save` keeps it with its failed answer."""

from __future__ import annotations

import json

import pytest

from pplx_tui.store import ChatStore
from tests.support.cli import assert_indented_json, saved_chat, saved_id
from tests.support.cli_faults import assert_clean_failure
from tests.support.cli_runs import QUESTION, run
from tests.support.loopback import json_reply

REFUSED = [
    (401, 3, "auth"),
    (429, 4, "limit"),
]
SERVER_FAULT = (500, 5, "server")


def _fail_start(agent, status: int) -> None:
    """Every start answers ``status`` (a 429 is asked again: it must keep saying so)."""
    agent.http.queue(*[json_reply(status, {"error": {"message": "no"}}, {"Retry-After": "0"})] * 5)


def _ask(agent, *extra: str):
    return run("ask", "--background", *extra, "--model", "high", QUESTION, agent=agent)


@pytest.mark.parametrize(("status", "code", "kind"), [*REFUSED, SERVER_FAULT])
def test_a_failed_start_prints_its_json_object(agent, status, code, kind) -> None:
    _fail_start(agent, status)

    result = _ask(agent, "--json")

    assert result.returncode == code, result.stderr
    assert_indented_json(result.stdout)
    payload = json.loads(result.stdout)
    assert (payload["status"], payload["error_kind"], payload["run_id"]) == ("error", kind, None)
    assert payload["error"] and payload["error"] in result.stderr
    assert (payload["provider"], payload["model"]) == ("perplexity", "high")


@pytest.mark.parametrize(("status", "code", "kind"), REFUSED)
def test_a_start_turned_away_saves_nothing(agent, status, code, kind) -> None:
    _fail_start(agent, status)

    result = _ask(agent, "--json")

    assert result.returncode == code
    assert "chat_id" not in json.loads(result.stdout)
    assert ChatStore().list_chats() == []


def test_a_start_that_may_have_reached_the_server_keeps_the_question(agent) -> None:
    _fail_start(agent, 500)

    result = _ask(agent)

    lines = assert_clean_failure(result, 5)
    assert result.stdout == ""  # only a started run's chat id goes there
    assert "may have started all the same" in lines[0]
    chat_id = saved_id(result.stderr)
    question, answer = saved_chat(chat_id)["messages"]
    assert question["content"] == QUESTION
    assert (answer["status"], answer["error_kind"]) == ("error", "server")
    assert answer["error"] in lines[0] and answer["run"] is None


def test_the_json_object_names_the_chat_kept(agent) -> None:
    _fail_start(agent, 500)

    result = _ask(agent, "--json")

    payload = json.loads(result.stdout)
    assert payload["chat_id"] == saved_id(result.stderr)
    assert saved_chat(payload["chat_id"])["messages"][1]["error"] == payload["error"]


def test_a_continued_chat_keeps_the_question_that_failed(agent) -> None:
    chat_id = _ask(agent).stdout.strip()
    assert run("runs", "wait", chat_id).returncode == 0
    _fail_start(agent, 502)

    result = run("ask", "--background", "--chat", chat_id, "And then?", agent=agent)

    assert result.returncode == 5 and saved_id(result.stderr) == chat_id
    asked, failed = saved_chat(chat_id)["messages"][2:]
    assert asked["content"] == "And then?" and failed["status"] == "error"
