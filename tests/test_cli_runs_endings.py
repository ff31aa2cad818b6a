"""How `pplx runs wait` prints a run that did not end in full, as `pplx ask` prints an answer
cut short: the note under the partial text (the one `pplx chats export` writes), and nothing
blank above an answer that has no text."""

from __future__ import annotations

import json
import re

from tests.support.agent_runs import FIRST_BATCH, KEY, RunScript
from tests.support.cli import pplx
from tests.support.cli_runs import run, start
from tests.support.loopback import LoopbackServer, Reply, sse

DRAFT = "Tardigrades survive by drying out [web:1]."
SOURCES = (
    "Sources:\n"
    "[1] Tardigrades in space — ESA — https://www.esa.int/tardigrades\n"
    "[2] Cryptobiosis — https://en.wikipedia.org/wiki/Cryptobiosis\n"
)


def _exported_note(chat_id: str) -> str:
    """The note `pplx chats export --format md` writes under the chat's answer."""
    exported = run("chats", "export", chat_id, "--format", "md").stdout
    (note,) = re.findall(r"^\*\(The answer .*\)\*$", exported, re.MULTILINE)
    return note


def test_a_run_cancelled_at_the_provider_ends_in_the_note_ask_and_the_export_write(agent) -> None:
    """QA: `pplx runs wait ID > out.txt` on a run cancelled at the server said on stderr that
    the partial answer is kept, but the file ended with the text as if it were whole."""
    agent.scripts.append(RunScript(hold=True, partial=DRAFT))
    chat_id = start(agent)
    (cancelled,) = agent.runs.values()
    cancelled.cancelled = True  # as `POST /v1/agent/{id}/cancel` from elsewhere does

    result = run("runs", "wait", chat_id)

    assert result.returncode == 130, result.stderr
    note = "*(The answer was interrupted here.)*"
    assert result.stdout == f"{DRAFT}\n\n{note}\n\n{SOURCES}"
    assert _exported_note(chat_id) == note
    assert result.stderr == "pplx: the run was cancelled; the partial answer is kept\n"
    # Printed again from the chat: the same.
    assert run("runs", "wait", chat_id).stdout == result.stdout


def test_a_run_that_failed_after_part_of_its_answer_says_where_it_broke_off(agent) -> None:
    agent.scripts.append(RunScript(outcome="failed", polls=1, partial=DRAFT))
    chat_id = start(agent)

    result = run("runs", "wait", chat_id)

    assert result.returncode == 5, result.stderr
    note = (
        "*(The answer broke off here: Perplexity (Agent API) failed the run: the research "
        "agent crashed.)*"
    )
    assert result.stdout == f"{DRAFT}\n\n{note}\n\n{SOURCES}"
    assert _exported_note(chat_id) == note


def test_a_run_that_failed_before_any_text_prints_no_blank_line_first(agent) -> None:
    """QA: a pipe got an empty line, then "Sources:": nothing stood between them."""
    agent.scripts.append(RunScript(outcome="failed", polls=1))
    chat_id = start(agent)

    piped = run("runs", "wait", chat_id)
    on_a_terminal = run("runs", "wait", chat_id, tty=("stdout",))

    assert piped.returncode == 5 and piped.stdout == SOURCES
    drawn = re.sub(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\", "", on_a_terminal.stdout)
    assert drawn.splitlines()[0] == "Sources:", drawn


def test_ask_prints_no_blank_line_above_the_sources_of_an_answer_without_text(
    loopback: LoopbackServer,
) -> None:
    """`pplx ask` printed the same empty first line when the answer failed before any text."""
    result_event = {"type": "response.reasoning.search_results", "results": FIRST_BATCH["results"]}
    failure = {"type": "error", "error": {"message": "the agent crashed", "code": 500}}
    loopback.queue(Reply(chunks=sse(result_event, failure)))

    result = pplx(
        "ask", "--provider", "perplexity", "--base-url", loopback.base_url, "How?",
        key=None, PERPLEXITY_API_KEY=KEY,
    )  # fmt: skip

    assert result.returncode == 5, result.stderr
    assert result.stdout == SOURCES


def test_a_run_that_ended_incomplete_is_an_answer_cut_short(agent) -> None:
    """QA: a run that ended ``incomplete`` (its max_output_tokens) was printed as whole, exit 0,
    and ``--json`` said "complete", while `pplx runs` listed it as incomplete."""
    agent.scripts.append(RunScript(outcome="incomplete", polls=1))
    chat_id = start(agent)

    result = run("runs", "wait", chat_id)
    as_json = json.loads(run("runs", "wait", chat_id, "--json").stdout)

    assert result.returncode == 5, result.stderr
    reason = "Perplexity (Agent API) ended the run before the answer was whole (max_output_tokens)"
    note = f"*(The answer broke off here: {reason}; the partial answer is kept.)*"
    text, _, rest = result.stdout.partition("\n\n")
    assert rest.startswith(f"{note}\n\nSources:\n"), result.stdout
    assert result.stderr == f"pplx: {reason}; the partial answer is kept.\n"
    assert _exported_note(chat_id) == note
    assert as_json["status"] == "interrupted" and as_json["answer"] == text
    assert as_json["error"].startswith(reason)


def test_a_run_cancelled_before_any_text_or_source_prints_nothing(agent) -> None:
    """QA: `pplx runs wait` on a run cancelled with nothing found printed "Sources:" alone."""
    agent.scripts.append(RunScript(hold=True, searched=False))
    chat_id = start(agent)
    (cancelled,) = agent.runs.values()
    cancelled.cancelled = True

    result = run("runs", "wait", chat_id)
    on_a_terminal = run("runs", "wait", chat_id, tty=("stdout",))

    assert result.returncode == 130, result.stderr
    assert result.stdout == "" and on_a_terminal.stdout == ""
    assert "cancelled" in result.stderr


def test_a_run_cancelled_before_any_text_prints_its_sources_and_says_no_answer_began(
    agent,
) -> None:
    """With sources but no text: the sources, as `pplx ask` stopped before the text prints.
    QA: it also said "the run was cancelled; the partial answer is kept": there was none (the
    app says "Stopped before any of the answer arrived", `pplx ask` "interrupted before the
    answer began")."""
    agent.scripts.append(RunScript(hold=True))
    chat_id = start(agent)
    (cancelled,) = agent.runs.values()
    cancelled.cancelled = True

    result = run("runs", "wait", chat_id)

    assert result.returncode == 130, result.stderr
    assert result.stdout == SOURCES
    assert result.stderr == "pplx: the run was cancelled before the answer began\n"
