"""Answers the provider ended before they were whole, and replies that hold no answer (QA: an
answer cut at the length limit was printed, saved and exported as whole, exit 0, where a
background run cut so said it; a proxy's 200 ``{"hello": 1}`` was an empty answer, exit 0)."""

from __future__ import annotations

import json

import pytest

from pplx_tui.store import ChatStore
from tests.support import recorded, recorded_agent
from tests.support.cli import USAGE, chunk, pplx
from tests.support.cli_faults import PARTIAL, assert_clean_failure
from tests.support.loopback import LoopbackServer, Reply, sse

PPLX_KEY = "pplx-" + "k" * 40

LENGTH_CUT = "OpenRouter ended the answer before it was whole: it reached its length limit"


def cut_frames(finish: str) -> list[bytes]:
    return sse(*(chunk(part) for part in PARTIAL), chunk("", finish=finish, usage=USAGE), done=True)


def agent_ask(loopback: LoopbackServer, *args: str):
    return pplx(
        "ask", "--provider", "perplexity", "--model", "fast", "--base-url", loopback.base_url,
        *args, "Cafés?", key=None, PERPLEXITY_API_KEY=PPLX_KEY,
    )  # fmt: skip


def test_an_answer_cut_at_the_length_limit_is_printed_and_saved_as_broken_off(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(Reply(chunks=cut_frames("length")))

    result = pplx("ask", "--save", "--max-tokens", "16", "q", server=loopback)

    lines = assert_clean_failure(result, 5)
    assert lines[0] == f"pplx: {LENGTH_CUT}; the partial answer is kept.", lines
    assert result.stdout.startswith("Mars has two moons [1]")
    [summary] = ChatStore().list_chats()
    answer = ChatStore().load(summary.id).messages[1]
    assert answer.status == "interrupted" and answer.content == "Mars has two moons [1]"
    assert answer.error.startswith(LENGTH_CUT)
    assert answer.usage is not None  # what came after the cut is kept too


def test_json_says_an_answer_cut_by_a_content_filter_is_interrupted(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(Reply(chunks=cut_frames("content_filter")))

    result = pplx("ask", "--json", "q", server=loopback)

    assert result.returncode == 5, result.stderr
    printed = json.loads(result.stdout)
    assert printed["status"] == "interrupted" and printed["answer"] == "Mars has two moons [1]"
    assert "ended the answer before it was whole: a content filter stopped it" in printed["error"]


def test_an_answer_that_finished_is_still_whole(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=cut_frames("stop")))

    result = pplx("ask", "--json", "q", server=loopback)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "complete"


def test_an_agent_api_answer_ended_incomplete_is_broken_off(loopback: LoopbackServer) -> None:
    events = recorded_agent.agent_events(terminal=recorded_agent.INCOMPLETE)
    loopback.queue(Reply(chunks=recorded.frames(events)))

    result = agent_ask(loopback, "--json")

    assert result.returncode == 5, result.stderr
    printed = json.loads(result.stdout)
    assert printed["status"] == "interrupted" and printed["answer"]
    assert printed["error"].startswith(
        "Perplexity (Agent API) ended the answer before it was whole: it reached its length limit"
    )


@pytest.mark.parametrize("body", [{"hello": 1}, {"choices": []}, {"object": "list", "data": []}])
def test_a_json_reply_holding_no_answer_is_an_error_not_an_empty_answer(
    loopback: LoopbackServer, body: dict[str, object]
) -> None:
    loopback.queue(
        Reply(chunks=[json.dumps(body).encode()], headers={"Content-Type": "application/json"})
    )

    result = pplx("ask", "q", server=loopback)

    [line] = assert_clean_failure(result, 5)
    assert line == "pplx: OpenRouter sent a reply that is not an answer.", line
    assert result.stdout == ""


def test_an_agent_api_json_reply_holding_no_answer_is_an_error(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=[b'{"hello": 1}'], headers={"Content-Type": "application/json"}))

    result = agent_ask(loopback)

    [line] = assert_clean_failure(result, 5)
    assert line == "pplx: Perplexity (Agent API) sent a reply that is not an answer.", line
