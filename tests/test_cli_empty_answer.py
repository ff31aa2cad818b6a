"""Answers that finished as they should but held no text (QA: a server streamed sources, no
text and ``finish_reason: stop``; `pplx ask` printed "Sources:" and the list, exit 0, and
``--json`` said "complete" with no error)."""

from __future__ import annotations

import json

import pytest

from pplx_tui.store import ChatStore
from tests.support.agent_runs import RunScript
from tests.support.cli import USAGE, chunk, pplx
from tests.support.cli_faults import assert_clean_failure
from tests.support.cli_runs import run, start
from tests.support.loopback import LoopbackServer, Reply, sse

EMPTY = "perplexity/sonar sent an empty answer."


def empty_frames(*parts: str) -> list[bytes]:
    """Sources with each of ``parts`` as content, then a normal finish with usage."""
    return sse(*(chunk(part) for part in parts), chunk("", finish="stop", usage=USAGE), done=True)


@pytest.mark.parametrize(
    "parts",
    [(), (" ", "\n\n"), ("<think>Two moons, surely.", "</think>", "\n")],
    ids=["nothing", "whitespace", "reasoning alone"],
)
def test_an_answer_with_no_text_fails_and_is_saved_so(
    loopback: LoopbackServer, parts: tuple[str, ...]
) -> None:
    loopback.queue(Reply(chunks=empty_frames(*parts)))

    result = pplx("ask", "--save", "Moons of Mars?", server=loopback)

    lines = assert_clean_failure(result, 5)
    assert lines[0] == f"pplx: {EMPTY}", lines
    # (nothing before: an answer of spaces printed blank lines while it came; QA)
    assert result.stdout.startswith("Sources:\n[1] Mars moons — NASA"), result.stdout
    [summary] = ChatStore().list_chats()
    answer = ChatStore().load(summary.id).messages[1]
    assert answer.status == "error" and answer.error == EMPTY
    assert answer.error_kind == "server"
    assert len(answer.sources) == 2 and answer.usage is not None  # what came is kept


def test_json_says_an_empty_answer_failed(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=empty_frames()))

    result = pplx("ask", "--json", "Moons of Mars?", server=loopback)

    assert result.returncode == 5, result.stderr
    printed = json.loads(result.stdout)
    assert printed["answer"] == "" and printed["status"] == "error"
    assert printed["error"] == EMPTY and printed["error_kind"] == "server"
    assert len(printed["sources"]) == 2 and printed["usage"]["total_tokens"] == 20


def test_a_background_run_completed_with_no_text_fails(agent) -> None:
    agent.scripts.append(RunScript(answer="  \n", polls=1))
    chat_id = start(agent)

    result = run("runs", "wait", chat_id)
    as_json = json.loads(run("runs", "wait", chat_id, "--json").stdout)

    assert result.returncode == 5, result.stderr
    assert result.stderr == "pplx: high sent an empty answer.\n"
    assert result.stdout.lstrip().startswith("Sources:\n[1] Tardigrades"), result.stdout
    assert as_json["status"] == "error" and as_json["error"] == "high sent an empty answer."
    answer = ChatStore().load(chat_id).messages[1]
    assert answer.status == "error" and answer.sources and answer.usage is not None
