"""What the next question carries of an earlier answer that failed (QA-11), as the server
receives it: an answer that failed before any text leaves its question out of the context
(the next question stands alone after the last answered exchange); an answer that broke off
with some text keeps its question and that text. Both dialects, through `pplx ask --chat`."""

from __future__ import annotations

from typing import Any

import pytest

from pplx_tui.store import ChatStore
from tests.support.agent_runs import KEY as AGENT_KEY
from tests.support.agent_runs import streamed_answer
from tests.support.cli import answer_frames, pplx
from tests.support.faults import moons_chat
from tests.support.loopback import LoopbackServer, Reply, json_reply

FIRST = ["How many moons does Mars have?", "Two [1]."]
REFUSED = json_reply(401, {"error": {"message": "Invalid API key provided", "code": 401}})


def ask(dialect: str, server: LoopbackServer, chat_id: str, question: str):
    """``pplx ask --chat CHAT_ID --save QUESTION`` in ``dialect``, aimed at ``server``."""
    if dialect == "chat":
        return pplx("ask", "--chat", chat_id, "--save", question, server=server)
    return pplx(
        "ask", "--chat", chat_id, "--save", question,
        "--provider", "perplexity", "--model", "fast", "--base-url", server.base_url,
        PERPLEXITY_API_KEY=AGENT_KEY,
    )  # fmt: skip


def sent_turns(body: dict[str, Any]) -> list[str]:
    """The contents of the conversation turns a request carried, system prompt aside."""
    turns = body["messages"] if "messages" in body else body["input"]
    return [turn["content"] for turn in turns if turn["role"] != "system"]


def partial_frames(dialect: str) -> list[bytes]:
    if dialect == "chat":
        return answer_frames(["Phobos is ", "larger"], finished=False)
    return streamed_answer("Phobos is larger")[:-1]  # no response.completed: it broke off


def answered(dialect: str) -> list[bytes]:
    return answer_frames(["Phobos and Deimos."]) if dialect == "chat" else streamed_answer()


@pytest.mark.parametrize("dialect", ["chat", "agent"])
def test_a_question_whose_answer_failed_before_any_text_is_not_sent_again(
    loopback: LoopbackServer, dialect: str
) -> None:
    chat_id = ChatStore().save(moons_chat()).id
    loopback.default = lambda _request: REFUSED
    failed = ask(dialect, loopback, chat_id, "Which is larger?")
    assert failed.returncode != 0 and "pplx: saved chat" in failed.stderr, failed.stderr
    loopback.default = None
    loopback.queue(Reply(chunks=answered(dialect)))

    result = ask(dialect, loopback, chat_id, "Name them.")

    assert result.returncode == 0, result.stderr
    assert sent_turns(loopback.requests[-1].json) == [*FIRST, "Name them."]


@pytest.mark.parametrize("dialect", ["chat", "agent"])
def test_an_answer_that_broke_off_with_text_keeps_its_exchange(
    loopback: LoopbackServer, dialect: str
) -> None:
    chat_id = ChatStore().save(moons_chat()).id
    loopback.queue(Reply(chunks=partial_frames(dialect)), Reply(chunks=answered(dialect)))
    broken = ask(dialect, loopback, chat_id, "Which is larger?")
    assert broken.returncode != 0 and "pplx: saved chat" in broken.stderr, broken.stderr

    result = ask(dialect, loopback, chat_id, "Name them.")

    assert result.returncode == 0, result.stderr
    assert sent_turns(loopback.requests[-1].json) == [
        *FIRST,
        "Which is larger?",
        "Phobos is larger",
        "Name them.",
    ]
