"""Faults survived by the real CLI: no crash, one clear line, nothing lost.

Every test runs ``pplx`` against the loopback server (in-process through ``tests.support.cli``;
as a real process where only a process shows it: Ctrl-C, a closed pipe). Faults the network
cannot cause — a bug — are injected for the call by ``tests.support.faults``. Each checks three
things: no traceback on stderr, the clear message and exit code, and that the chat file parses
and holds everything shown before the fault. The disk and bad files are ``test_faults_cli_files``.
"""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import time

import pytest

from pplx_tui import paths
from pplx_tui.markdown_plain import plain_line
from tests.support.cli import (
    KEY,
    SOURCES,
    answer_frames,
    pplx,
    saved_chat,
    saved_id,
)
from tests.support.cli_faults import (
    PARTIAL,
    SOURCES_BLOCK,
    ask_on_a_terminal,
    ask_process,
    assert_clean_failure,
    read_until,
    seed_chat,
)
from tests.support.faults import IN_BAND_ERROR
from tests.support.loopback import LoopbackServer, Reply, json_reply, sse


@pytest.mark.parametrize(
    ("frames", "expected"),
    [
        (answer_frames(PARTIAL, finished=False), "broke mid-answer|ended before the answer"),
        ([*answer_frames(PARTIAL, finished=False), *sse(IN_BAND_ERROR)], "Provider disconnected"),
        (
            [*answer_frames(PARTIAL, finished=False), b"data: {\xff\xfe\x1b[2J garbage\n\n"],
            "ended before the answer",
        ),
    ],
    ids=["dropped", "in-band-error", "garbage-then-eof"],
)
def test_a_broken_stream_keeps_and_saves_the_partial_answer(
    loopback: LoopbackServer, frames: list[bytes], expected: str
) -> None:
    chat_id, _ = seed_chat()
    loopback.queue(Reply(chunks=frames))

    result = pplx("ask", "--chat", chat_id, "--save", "Which is larger?", server=loopback)

    lines = assert_clean_failure(result, 5)
    said = lines[0].removeprefix("pplx: ")  # lower-case after "pplx:"; the note keeps "The"
    note = f"*(The answer broke off here: {plain_line(said[:1].upper() + said[1:])})*"
    assert result.stdout == f"Mars has two moons [1]\n\n{note}" + SOURCES_BLOCK
    assert len(lines) == 2 and lines[1] == f"pplx: saved chat {chat_id}"

    assert re.search(expected, lines[0]), lines[0]
    messages = saved_chat(chat_id)["messages"]
    assert [m["content"] for m in messages] == [
        "How many moons does Mars have?",
        "Two [1].",
        "Which is larger?",
        "Mars has two moons [1]",
    ]
    assert messages[3]["status"] == "interrupted" and messages[3]["error"]
    assert [s["url"] for s in messages[3]["sources"]] == [s["url"] for s in SOURCES]


def test_json_after_a_server_error_names_its_kind_unlike_a_stop(loopback: LoopbackServer) -> None:
    """QA Q13: ``--json`` after a mid-stream server error said ``"status": "interrupted"``, as
    after Ctrl-C, with no ``error_kind``; the saved chat has it too now."""
    loopback.queue(Reply(chunks=[*answer_frames(PARTIAL, finished=False), *sse(IN_BAND_ERROR)]))

    result = pplx("ask", "--json", "--save", "q", server=loopback)

    assert result.returncode == 5
    out = json.loads(result.stdout)
    assert out["status"] == "interrupted" and out["error_kind"] == "server" and out["error"]
    answer = saved_chat(saved_id(result.stderr))["messages"][1]
    assert answer["error_kind"] == "server"


def test_a_stalled_stream_gives_up_after_the_idle_timeout(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=answer_frames([*PARTIAL, " never sent"]), hang_after=2))

    started = time.monotonic()
    result = pplx(
        "ask", "--idle-timeout", "0.4", "--save", "q", server=loopback, PPLX_WAIT_NOTICE="0.05"
    )

    assert time.monotonic() - started < 10
    lines = assert_clean_failure(result, 5)
    assert "nothing new came for 0.4 s" in lines[0]
    assert lines[0].endswith("the partial answer is kept.")
    assert "waiting for the server" not in result.stderr  # stderr is not a terminal
    assert result.stdout.startswith("Mars has two moons [1]")
    answer = saved_chat(saved_id(result.stderr))["messages"][1]
    assert answer["content"] == "Mars has two moons [1]" and answer["status"] == "interrupted"


def test_on_a_terminal_a_retry_on_its_way_is_announced(loopback: LoopbackServer) -> None:
    """QA: a 429 with Retry-After held `pplx ask` silent (up to 20 s, twice) before the answer
    or the error; on a terminal it now says why it waits. (A pipe's stderr stays quiet.)"""
    limited = json_reply(429, {"error": {"message": "Rate limit exceeded"}}, {"Retry-After": "1"})
    loopback.queue(limited, Reply(chunks=answer_frames(PARTIAL)))
    process, controller = ask_on_a_terminal("q", server=loopback)
    try:
        told = read_until(controller, b"asking again")
        stdout, _ = process.communicate(timeout=20)
    finally:
        process.kill()
        os.close(controller)

    assert process.returncode == 0
    assert b"pplx: rate limited (429); asking again in 1 s" in told
    assert stdout.decode().startswith("Mars has two moons [1]")


def test_ctrl_c_on_a_stalled_stream_keeps_the_partial_answer_and_exits_130(
    loopback: LoopbackServer,
) -> None:
    """On a terminal a silent server is announced; Ctrl-C keeps (and saves) what arrived."""
    loopback.queue(Reply(chunks=answer_frames([*PARTIAL, " never sent"]), hang_after=2))
    process, controller = ask_on_a_terminal("--save", "q", server=loopback, PPLX_WAIT_NOTICE="0.2")
    try:
        assert process.stdout is not None
        # The answer so far first: on a loaded machine the notice can come before it does.
        shown = read_until(process.stdout.fileno(), "".join(PARTIAL).encode())
        told = read_until(controller, b"Ctrl-C stops and keeps the partial answer")
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=20)
        stdout = shown + rest
        stderr = (told + read_until(controller, b"saved chat")).decode().replace("\r", "")
    finally:
        process.kill()
        os.close(controller)

    assert process.returncode == 130, stderr
    assert "pplx: waiting for the server (nothing new for 0.2 s)" in stderr
    assert "pplx: interrupted; the partial answer is kept" in stderr
    assert "Traceback" not in stderr
    assert stdout.decode().startswith("Mars has two moons [1]")
    answer = saved_chat(saved_id(stderr))["messages"][1]
    assert answer["content"] == "Mars has two moons [1]" and answer["status"] == "interrupted"


def test_a_1_mb_answer_to_a_100_kb_question_from_stdin(loopback: LoopbackServer) -> None:
    line = "A long line of the answer — ünïcode 東京 and a marker [1].\n"
    answer = line * (1_000_000 // len(line) + 1)
    parts = [answer[i : i + 8192] for i in range(0, len(answer), 8192)]
    question = "Why? " * 20_000 + "End."
    loopback.queue(Reply(chunks=answer_frames(parts)))

    result = pplx("ask", "--save", server=loopback, stdin=question)

    assert result.returncode == 0, result.stderr
    assert len(answer) > 1_000_000 and len(question) >= 100_000
    assert result.stdout == answer + SOURCES_BLOCK[1:]
    assert loopback.requests[0].json["messages"][-1]["content"] == question
    chat = saved_chat(saved_id(result.stderr))
    assert [m["content"] for m in chat["messages"]] == [question, answer.rstrip("\n") + "\n"]
    assert chat["messages"][1]["status"] == "complete"


def test_a_question_over_1_mb_is_refused_not_cut() -> None:
    result = pplx("ask", "--demo", stdin="é" * 600_000, key=None)  # 600,000 characters, 1.2 MB

    assert assert_clean_failure(result, 2) == ["pplx: the question is over 1 MB; shorten it"]


def test_a_question_with_invalid_utf8_on_stdin_is_asked_not_a_crash(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(Reply(chunks=answer_frames(PARTIAL)))

    result = pplx("ask", "-", server=loopback, stdin=b"caf\xe9 \xff moons?\n")  # Latin-1 bytes

    assert result.returncode == 0, result.stderr
    assert loopback.requests[0].json["messages"][-1]["content"] == "caf\ufffd \ufffd moons?"


def test_a_closed_output_pipe_stops_quietly_and_still_saves(loopback: LoopbackServer) -> None:
    parts = [f"Part {n} of a long answer.\n" * 200 for n in range(60)]
    loopback.queue(Reply(chunks=answer_frames(parts)))
    process = ask_process("--save", "q", server=loopback)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(100).startswith(b"Part 0")
    process.stdout.close()  # like `| head -c 100`
    stderr = process.stderr.read().decode()
    process.wait(timeout=20)

    assert process.returncode == 1, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
    answer = saved_chat(saved_id(stderr))["messages"][1]
    assert answer["content"].startswith("Part 0") and answer["status"] == "interrupted"


def test_an_unexpected_error_is_one_line_and_its_traceback_goes_to_the_log(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(Reply(chunks=answer_frames(PARTIAL)))

    result = pplx("ask", "q", server=loopback, fault="crash")

    (line,) = assert_clean_failure(result, 5)
    log = paths.log_file()
    assert line == (
        f"pplx: unexpected error (RuntimeError: boom while holding ***); the details are in {log}"
    )
    text = log.read_text()
    assert "Traceback (most recent call last)" in text and "RuntimeError: boom" in text
    assert KEY not in text and KEY[:12] not in text and KEY not in result.stderr
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("replies", "code", "expected"),
    [
        (
            [
                json_reply(
                    502,
                    "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
                    {"Retry-After": "0"},
                )
            ]
            * 3,
            5,
            "pplx: OpenRouter had a server error (502 Bad Gateway); try again in a moment.",
        ),
        (
            [json_reply(200, "<!doctype html><title>Captive portal</title>")],
            5,
            "answered with a web page instead of a stream (Captive portal); check the base URL.",
        ),
        (
            [Reply(chunks=[b"\x00\xff\x1b]52;c;ZXZpbA==\x07 not a stream at all\n"])],
            5,
            # QA: "pplx: The connection to …": lower-case after "pplx:" as the other lines
            "pplx: the connection to OpenRouter ended before the answer was finished",
        ),
        (
            [json_reply(429, {"error": {"message": "Rate limit exceeded"}}, {"Retry-After": "0"})]
            * 3,
            4,
            "rate limiting requests (429: Rate limit exceeded)",
        ),
        (
            # Not a bad key (exit 3): the request asked for what the provider has no more.
            [
                json_reply(
                    403,
                    {
                        "error": {
                            "message": "Sonar is now the Agent API. Use /v1/responses instead.",
                            "type": "chat_completions_not_available",
                        }
                    },
                )
            ],
            2,
            "pplx: Perplexity retired Sonar chat completions on 2026-09-27 (the key itself is "
            "fine); use --provider perplexity, which speaks the Agent API.",
        ),
    ],
    ids=["500-html", "200-html", "garbage", "429", "retired-sonar"],
)
def test_server_faults_are_one_line_with_the_documented_exit_code(
    loopback: LoopbackServer, replies: list[Reply], code: int, expected: str
) -> None:
    loopback.queue(*replies)

    result = pplx("ask", "--json", "q", server=loopback)

    (line,) = assert_clean_failure(result, code)
    assert expected in line and "<" not in line and "\x1b" not in line
    data = json.loads(result.stdout)
    assert data["status"] == "error" and data["answer"] == ""
    assert expected.removeprefix("pplx: ").lower() in data["error"].lower()
