"""What `pplx ask` says became of a partial answer: kept only when it is saved (``--save``,
``--chat``); without, it was only printed, and the lines say so (QA: a broken stream and the
"waiting for the server" notice said "the partial answer is kept" though nothing was saved)."""

from __future__ import annotations

import os
import signal

from pplx_tui.store import ChatStore
from tests.support.cli import answer_frames, pplx
from tests.support.cli_faults import (
    PARTIAL,
    ask_on_a_terminal,
    assert_clean_failure,
    read_until,
    seed_chat,
)
from tests.support.loopback import LoopbackServer, Reply

NOT_SAVED = "the partial answer is not saved (add --save to keep it)."


def test_a_broken_stream_not_saved_is_not_said_to_be_kept(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=answer_frames(PARTIAL, finished=False)))

    result = pplx("ask", "q", server=loopback)

    [line] = assert_clean_failure(result, 5)
    assert line.endswith(f"before the answer was finished; {NOT_SAVED}"), line
    assert result.stdout.startswith("Mars has two moons [1]")
    assert ChatStore().list_chats() == []


def test_the_json_error_of_an_answer_not_saved_says_so_too(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=answer_frames(PARTIAL, finished=False)))

    result = pplx("ask", "--json", "q", server=loopback)

    assert result.returncode == 5
    assert '"error": "The connection' in result.stdout and NOT_SAVED in result.stdout


def test_a_continued_chat_asked_not_to_save_gets_no_hint(loopback: LoopbackServer) -> None:
    chat_id, _ = seed_chat()
    loopback.queue(Reply(chunks=answer_frames(PARTIAL, finished=False)))

    result = pplx("ask", "--chat", chat_id, "--no-save", "q", server=loopback)

    [line] = assert_clean_failure(result, 5)
    assert line.endswith("; the partial answer is not saved."), line


def test_a_broken_stream_saved_is_kept(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=answer_frames(PARTIAL, finished=False)))

    result = pplx("ask", "--save", "q", server=loopback)

    lines = assert_clean_failure(result, 5)
    assert lines[0].endswith("; the partial answer is kept."), lines
    assert lines[1].startswith("pplx: saved chat ")
    [summary] = ChatStore().list_chats()
    assert ChatStore().load(summary.id).messages[1].error.endswith("the partial answer is kept.")


def test_the_silence_notice_does_not_promise_to_keep_an_answer_not_saved(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(Reply(chunks=answer_frames([*PARTIAL, " never sent"]), hang_after=2))
    process, controller = ask_on_a_terminal("q", server=loopback, PPLX_WAIT_NOTICE="0.2")
    try:
        told = read_until(controller, b"(nothing new for 0.2 s)")
        if b"\n" not in told.partition(b"(nothing new")[2]:  # the rest of its line
            told += read_until(controller, b"\n")
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
    finally:
        process.kill()
        os.close(controller)

    said = told.decode().replace("\r", "")
    assert "Ctrl-C stops; the partial answer is not saved (add --save to keep it)\n" in said
    assert "keeps" not in said
