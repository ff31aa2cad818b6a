"""`pplx ask --background`, `pplx runs` and `pplx runs wait` against the loopback Agent API."""

from __future__ import annotations

import json
import os
import re

import pytest

from pplx_tui import paths
from pplx_tui.models import MessageStatus
from pplx_tui.store import ChatStore
from tests.support.agent_runs import KEY, LOGIN_PAGE, RunScript
from tests.support.cli import KEY as KEY_OPENROUTER
from tests.support.cli import (
    assert_indented_json,
    pplx,
    saved_chat,
)
from tests.support.cli_runs import QUESTION, run, start
from tests.support.loopback import LoopbackServer, Reply


def test_a_background_run_with_piped_text_is_titled_by_the_question(agent) -> None:
    read, write = os.pipe()
    os.write(write, b"Notes\nMore\n")
    os.close(write)
    with open(read, encoding="utf-8") as piped:
        result = run("ask", "--background", "--model", "high", QUESTION, agent=agent, stdin=piped)

    assert result.returncode == 0, result.stderr
    chat = saved_chat(result.stdout.strip())
    assert chat["title"] == QUESTION
    assert chat["messages"][0]["content"] == f"Notes\nMore\n\n{QUESTION}"


def test_ask_background_saves_the_run_at_once_and_prints_only_the_chat_id(agent) -> None:
    result = run("ask", "--background", "--model", "high", QUESTION, agent=agent)

    assert result.returncode == 0, result.stderr
    chat_id = result.stdout.strip()
    assert result.stdout == chat_id + "\n" and " " not in chat_id
    # It returned at once: one POST, nothing polled.
    assert [(r.method, r.path) for r in agent.requests] == [("POST", "/v1/agent")]
    body = agent.requests[0].json
    assert body["background"] is True and body["preset"] == "high"
    question, answer = saved_chat(chat_id)["messages"]
    assert question["content"] == QUESTION
    assert answer["status"] == "interrupted" and answer["content"] == ""
    assert answer["run"]["id"] == next(iter(agent.runs)) and answer["run"]["status"] == "queued"
    assert answer["run"]["base_url"] == agent.base_url
    assert answer["provider"] == "perplexity" and answer["model"] == "high"


def test_ask_background_with_no_save_is_refused_not_saved_all_the_same(agent) -> None:
    """A background run's answer is fetched later, from its chat: --no-save cannot be honoured
    (the chat was saved anyway, the option ignored)."""
    result = run("ask", "--background", "--no-save", "--model", "high", QUESTION, agent=agent)

    assert (result.returncode, result.stdout) == (2, "")
    assert "--background saves the chat" in result.stderr and "--no-save" in result.stderr
    assert agent.requests == []


def test_ask_background_with_no_save_is_a_usage_error_before_the_missing_key() -> None:
    """QA: with no key, `--background --no-save` exited 3 (no key) before the usage check:
    what was typed wrong comes first (exit 2), as for any other usage error."""
    result = pplx(
        "ask", "--background", "--no-save", "--provider", "perplexity", QUESTION, key=None
    )

    assert (result.returncode, result.stdout) == (2, "")
    assert "--background saves the chat" in result.stderr and "API key" not in result.stderr


def test_ask_background_with_json_prints_one_json_object(agent) -> None:
    """`pplx ask --background --json Q | jq -r .chat_id`: the bare id is not JSON."""
    result = run("ask", "--background", "--json", "--model", "high", QUESTION, agent=agent)

    assert result.returncode == 0, result.stderr
    assert_indented_json(result.stdout)
    payload = json.loads(result.stdout)
    assert payload == {
        "chat_id": payload["chat_id"],
        "run_id": next(iter(agent.runs)),
        "status": "queued",
    }
    assert saved_chat(payload["chat_id"])["messages"][1]["run"]["id"] == payload["run_id"]


@pytest.mark.parametrize("key", [KEY_OPENROUTER, None], ids=["with its key", "without a key"])
def test_ask_background_needs_the_agent_api(key: str | None) -> None:
    """QA: without an OpenRouter key it said "no API key for openrouter" (exit 3): a key would
    not have helped."""
    result = pplx("ask", "--background", "--provider", "openrouter", QUESTION, key=key)

    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "--background needs the Agent API" in result.stderr


def test_runs_lists_the_waiting_run_with_its_chat_id(agent) -> None:
    chat_id = start(agent)

    listed = run("runs")
    as_json = run("runs", "--json")

    assert listed.returncode == 0, listed.stderr
    header, line = listed.stdout.splitlines()
    assert header.split() == ["CHAT", "STATUS", "DURATION", "MODEL", "TITLE"]
    assert line.startswith(chat_id) and "tardigrades" in line
    # The status as --json says it (QA: "waiting" there, "queued" / "in_progress" in the
    # JSON), and the time a run still going has taken so far said as such.
    assert line.split()[1] == "queued" and re.search(r"  \d+s so far  ", line)
    (record,) = json.loads(as_json.stdout)
    assert record["chat_id"] == chat_id and record["status"] == "queued"
    assert record["finished"] is False and record["run_id"].startswith("resp_")


LONG_QUESTION = (
    "How do tardigrades survive the vacuum and radiation of open space for ten days and more?"
)


@pytest.mark.parametrize("status", ["queued", "in_progress"])
@pytest.mark.parametrize("columns", [60, 80])
def test_runs_on_a_terminal_fits_each_line(agent, columns: int, status: str) -> None:
    """QA: at 60 and 80 columns a long title wrapped mid-word; `pplx chats list` cuts it with
    "…" to the terminal's width. In a pipe the line stays as it was. A run in progress keeps
    to the width too (its duration "so far" is said where there is room)."""
    chat_id = start(agent, LONG_QUESTION)
    chat = saved_chat(chat_id)
    chat["messages"][-1]["run"]["status"] = status
    (paths.chats_dir() / f"{chat_id}.json").write_text(json.dumps(chat))

    listed = run("runs", tty=("stdout",), COLUMNS=str(columns))
    piped = run("runs", COLUMNS=str(columns))

    assert listed.returncode == 0, listed.stderr
    header, line = listed.stdout.splitlines()
    assert max(len(header), len(line)) <= columns
    assert line.startswith(chat_id) and line.endswith("…") and "How do tard" in line
    assert piped.stdout.splitlines()[1].endswith("radiation of open…")  # (60 characters, as ever)


def test_an_ended_runs_duration_is_the_time_it_took_not_until_its_end_was_seen(agent) -> None:
    """QA: DURATION was the time from the start until a poll saw the end (0s for a run that
    took minutes, when it was waited for at once; hours, when the app was closed meanwhile).
    The provider's own times say: created 1791572965, completed 1791573275."""
    agent.scripts.append(RunScript(polls=1))
    chat_id = start(agent)
    assert run("runs", "wait", chat_id).returncode == 0

    _, line = run("runs").stdout.splitlines()
    assert line.split()[:3] == [chat_id, "completed", "5m10s"]


def test_no_runs_is_said_on_stderr_as_no_chats_is() -> None:
    """`pplx runs` with none printed its hint on stdout, where `pplx chats list` prints
    nothing (`pplx runs | wc -l` counted the hint as a run)."""
    listed = run("runs")

    assert (listed.returncode, listed.stdout) == (0, "")
    assert listed.stderr == (
        "pplx: no background runs; start one with: "
        'pplx ask --background --provider perplexity --model high "QUESTION"\n'
    )


def test_runs_wait_fills_the_chat_in_and_prints_the_answer_as_ask_would(agent) -> None:
    agent.scripts.append(RunScript(polls=3))
    chat_id = start(agent)

    result = run("runs", "wait", chat_id)

    assert result.returncode == 0, result.stderr
    answer_text, sources = result.stdout.split("\n\nSources:\n")
    assert answer_text.startswith("Tardigrades survive open space")
    assert (
        sources.splitlines()[0]
        == "[1] Tardigrades in space — ESA — https://www.esa.int/tardigrades"
    )
    assert len(sources.splitlines()) == 4
    answer = saved_chat(chat_id)["messages"][1]
    assert answer["status"] == "complete" and answer["content"].startswith("Tardigrades")
    assert answer["usage"]["cost_usd"] == pytest.approx(0.0281)
    assert answer["run"]["status"] == "completed" and answer["finished_at"]
    # Polled through queued and in progress to the end, then listed as finished.
    assert agent.polls(answer["run"]["id"]) == 5
    (record,) = json.loads(run("runs", "--json").stdout)
    assert record["status"] == "completed" and record["finished"] is True


def test_runs_wait_json_is_the_ask_json_object(agent) -> None:
    chat_id = start(agent)

    result = run("runs", "wait", chat_id, "--json")

    payload = json.loads(result.stdout)
    assert result.returncode == 0, result.stderr
    assert_indented_json(result.stdout)
    assert_indented_json(run("runs", "--json").stdout)
    assert payload["provider"] == "perplexity" and payload["model"] == "high"
    assert payload["status"] == "complete" and len(payload["sources"]) == 4
    assert payload["usage"]["cost_usd"] == pytest.approx(0.0281)


def test_runs_json_before_wait_is_the_same_as_after_it(agent) -> None:
    """`pplx runs --json wait ID`: the --json of `runs` counts (wait's own default hid it)."""
    chat_id = start(agent)

    result = run("runs", "--json", "wait", chat_id)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "complete"


def test_a_lost_run_is_one_line_on_stderr_and_exit_5(agent) -> None:
    agent.scripts.append(RunScript(outcome="lost", polls=1))
    chat_id = start(agent)

    result = run("runs", "wait", chat_id)

    assert result.returncode == 5 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "no longer knows this background run" in result.stderr
    answer = saved_chat(chat_id)["messages"][1]
    assert answer["status"] == "error" and answer["run"]["status"] == "lost"
    # Waiting again does not poll: the chat knows the run is gone.
    again = run("runs", "wait", chat_id)
    assert again.returncode == 5 and again.stderr.count("\n") == 1


def test_a_lost_run_with_json_is_still_the_ask_json_object(agent) -> None:
    """`pplx runs wait ID --json | jq .status`: a lost run printed nothing on stdout, where a
    failed one (and `pplx ask --json` after any failure) prints the object with its error."""
    agent.scripts.append(RunScript(outcome="lost", polls=1))
    chat_id = start(agent)

    for result in (run("runs", "wait", chat_id, "--json"), run("runs", "wait", chat_id, "--json")):
        assert result.returncode == 5 and result.stderr.count("\n") == 1
        payload = json.loads(result.stdout)
        assert (payload["status"], payload["error_kind"], payload["answer"]) == (
            "error",
            "server",
            "",
        )
        assert "no longer knows this background run" in payload["error"]


def test_a_lost_run_keeps_the_sources_it_had_found(agent) -> None:
    """QA: after the 404, `pplx runs wait --json` said "sources": [] and the chat had none,
    where a failed, cancelled or unreachable run keeps what it had found."""
    agent.scripts.append(RunScript(outcome="lost", polls=1))  # 2 sources, then 404
    chat_id = start(agent)

    result = run("runs", "wait", chat_id, "--json")

    assert result.returncode == 5, result.stderr
    assert len(json.loads(result.stdout)["sources"]) == 2
    answer = ChatStore().load(chat_id).messages[1]
    assert answer.run.status == "lost" and len(answer.sources) == 2


def test_a_failed_run_says_why_and_exits_5(agent) -> None:
    agent.scripts.append(RunScript(outcome="failed", polls=1))
    chat_id = start(agent)

    result = run("runs", "wait", chat_id)

    assert result.returncode == 5
    assert "failed the run: the research agent crashed" in result.stderr
    answer = ChatStore().load(chat_id).messages[1]
    assert answer.status == MessageStatus.ERROR and not answer.running
    assert len(answer.sources) == 2  # what the run had found is kept


def test_waiting_for_a_finished_run_prints_it_without_asking_the_server(agent) -> None:
    chat_id = start(agent)
    assert run("runs", "wait", chat_id).returncode == 0
    requests = len(agent.requests)

    again = run("runs", "wait", chat_id)

    assert again.returncode == 0 and again.stdout.startswith("Tardigrades")
    assert len(agent.requests) == requests


def test_waiting_on_a_chat_without_a_run_is_a_usage_error(agent) -> None:
    store = ChatStore()
    chat = store.new_chat()
    store.save(chat)

    missing = run("runs", "wait", chat.id)
    unknown = run("runs", "wait", "no-such-chat")

    assert missing.returncode == 2 and "has no background run" in missing.stderr
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1


def test_a_background_follow_up_continues_the_chat(agent) -> None:
    chat_id = start(agent)
    assert run("runs", "wait", chat_id).returncode == 0

    follow_up = start(agent, "--chat", chat_id)

    assert follow_up == chat_id
    assert [m["role"] for m in saved_chat(chat_id)["messages"]] == [
        "user",
        "assistant",
        "user",
        "assistant",
    ]
    sent = agent.requests[-1].json["input"]
    assert [turn["role"] for turn in sent] == ["user", "assistant", "user"]


@pytest.mark.parametrize("background", [True, False], ids=["background", "streamed"])
def test_a_follow_up_in_a_chat_still_researching_is_refused_as_in_the_app(
    agent, background: bool
) -> None:
    """The question would follow an answer that is not there yet: it was asked without it, and
    the run's answer landed before it once filled in. The app keeps such a question back."""
    chat_id = start(agent)
    asked = len(agent.requests)

    result = run(
        "ask", *(["--background"] * background), "--chat", chat_id, "And then?", agent=agent
    )

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"pplx: chat {chat_id} is still researching in the background: wait for it "
        f"(pplx runs wait {chat_id}), or ask in a new chat\n"
    )
    assert len(agent.requests) == asked
    assert len(saved_chat(chat_id)["messages"]) == 2


def test_a_chat_still_researching_is_shown_and_exported_as_such_not_as_interrupted(agent) -> None:
    chat_id = start(agent)

    shown = run("chats", "show", chat_id).stdout
    exported = run("chats", "export", chat_id, "--format", "md").stdout

    for markdown in (shown, exported):
        assert "interrupted" not in markdown
        assert "*(Still researching in the background: pplx runs wait fills it in.)*" in markdown


def test_runs_wait_on_a_terminal_draws_the_answer_like_ask(agent) -> None:
    chat_id = start(agent)

    result = pplx(
        "runs", "wait", chat_id, PERPLEXITY_API_KEY=KEY, PPLX_POLL_INTERVAL="0.01", tty=("stdout",)
    )

    assert result.returncode == 0, result.stderr
    assert "Tardigrades survive open space" in result.stdout and "Sources" in result.stdout


def test_runs_wait_on_a_terminal_says_once_that_it_waits_out_an_outage(agent) -> None:
    """`pplx runs wait` waited out a Wi-Fi drop without a word: the terminal showed only
    "waiting for …" until it ended or gave up. It says once that it cannot reach the provider
    and still tries, and that the run goes on once it can again."""
    chat_id = start(agent)
    login = Reply(200, [LOGIN_PAGE], {"Content-Type": "text/html"})
    agent.http.queue(login, login, login)

    result = pplx(
        "runs", "wait", chat_id, PERPLEXITY_API_KEY=KEY, PPLX_POLL_INTERVAL="0.01", tty=("stderr",)
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr.count("still trying…") == 1, result.stderr
    assert "JSON; still trying…" in result.stderr, result.stderr
    assert "Tardigrades survive open space" in result.stdout


def test_the_outage_line_gives_no_advice_the_wait_follows_itself() -> None:
    """QA: "… could not be reached; check your connection and retry. Still trying…": the
    retry it advised was what it did."""
    import httpx

    from pplx_tui.cli.runs_command import outage_line
    from pplx_tui.client.http_errors import network_error
    from pplx_tui.providers import build_catalog

    perplexity = build_catalog().provider("perplexity")
    error = network_error(httpx.ConnectError("refused"), perplexity, "http://127.0.0.1:9")

    assert outage_line(error) == (
        "Perplexity (Agent API) (127.0.0.1:9) could not be reached; still trying…"
    )


def test_an_imported_chat_never_sends_the_key_where_its_file_says(
    agent, loopback: LoopbackServer, tmp_path
) -> None:
    """A file to import is anyone's text: a waiting run in it naming a stranger's server as
    its base URL had `pplx runs wait` (and the app's start) send the key there. The run is
    polled where the provider is configured, as any question would be."""
    from pplx_tui import paths

    chat_id = start(agent)
    exported = json.loads(run("chats", "export", chat_id, "--format", "json").stdout)
    ChatStore().delete(chat_id)
    exported["messages"][1]["run"]["base_url"] = loopback.base_url  # the stranger
    (tmp_path / "shared.json").write_text(json.dumps(exported))
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text(f'[providers.perplexity]\nbase_url = "{agent.base_url}"\n')
    assert run("chats", "import", str(tmp_path / "shared.json")).returncode == 0

    result = run("runs", "wait", chat_id)

    assert loopback.requests == []
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Tardigrades")
    assert saved_chat(chat_id)["messages"][1]["run"]["base_url"] is None


def test_a_run_the_app_could_not_check_is_filled_in_without_that_failure(agent) -> None:
    """The app saves why it could not check a run (a refused key: error_kind "auth"); once
    `pplx runs wait` filled the answer in, --json still called it an auth failure."""
    chat_id = start(agent)
    path = paths.chats_dir() / f"{chat_id}.json"
    chat = json.loads(path.read_text())
    chat["messages"][1] |= {"error": "Perplexity rejected the API key (401).", "error_kind": "auth"}
    path.write_text(json.dumps(chat))

    result = run("runs", "wait", chat_id, "--json")

    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["status"] == "complete" and "error" not in payload
    assert "error_kind" not in payload
    assert saved_chat(chat_id)["messages"][1]["error_kind"] is None


def test_runs_wait_takes_the_run_id_pplx_runs_json_shows(agent) -> None:
    """`pplx runs --json | jq -r '.[0].run_id' | xargs pplx runs wait` said "no saved chat has
    the id resp_…" (exit 2): the run id is found in the chat that holds it."""
    chat_id = start(agent)
    (record,) = json.loads(run("runs", "--json").stdout)

    result = run("runs", "wait", record["run_id"], "--json")

    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["status"] == "complete" and payload["answer"].startswith("Tardigrades")
    assert saved_chat(chat_id)["messages"][1]["status"] == "complete"
    unknown = run("runs", "wait", "resp_nosuchrun")
    assert unknown.returncode == 2
    assert unknown.stderr == (
        "pplx: no saved chat or background run has the id resp_nosuchrun (see `pplx runs`)\n"
    )


def test_runs_wait_json_names_the_chat_and_run_the_answer_was_saved_to(agent) -> None:
    """As `pplx ask --json` has `chat_id` when it saved the answer."""
    chat_id = start(agent)

    for _ in range(2):  # waited for, then printed from the chat
        payload = json.loads(run("runs", "wait", chat_id, "--json").stdout)
        assert payload["chat_id"] == chat_id
        assert payload["run_id"] == saved_chat(chat_id)["messages"][1]["run"]["id"]


def test_a_chat_is_listed_once_with_its_latest_run(agent) -> None:
    """A chat whose run was lost and whose next one failed was listed twice, with the same chat
    id: the list shows each chat's latest run (the one `pplx runs wait CHAT` prints)."""
    agent.scripts += [RunScript(outcome="lost", polls=1), RunScript(outcome="failed", polls=1)]
    chat_id = start(agent)
    assert run("runs", "wait", chat_id).returncode == 5
    assert start(agent, "--chat", chat_id) == chat_id
    assert run("runs", "wait", chat_id).returncode == 5
    latest = saved_chat(chat_id)["messages"][3]["run"]["id"]

    listed = run("runs").stdout.splitlines()
    (record,) = json.loads(run("runs", "--json").stdout)

    assert len(listed) == 2 and listed[1].startswith(chat_id) and " failed " in listed[1]
    assert (record["chat_id"], record["run_id"], record["status"]) == (chat_id, latest, "failed")
    # The earlier run is still there to ask about by its id.
    lost = run("runs", "wait", saved_chat(chat_id)["messages"][1]["run"]["id"])
    assert lost.returncode == 5 and "no longer knows this background run" in lost.stderr


def test_runs_json_times_end_in_z_as_the_chat_files_do(agent) -> None:
    """QA: --json outputs wrote times two ways (+00:00 and Z); each is Z now."""
    start(agent)
    run("runs", "wait", start(agent))

    records = json.loads(run("runs", "--json").stdout)

    assert [r["started_at"][-1] for r in records] == ["Z", "Z"]
    assert [r["finished_at"][-1] for r in records if r["finished_at"]] == ["Z"]
