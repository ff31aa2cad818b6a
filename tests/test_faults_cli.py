"""Faults survived by the real CLI: no crash, one clear line, nothing lost.

Every test runs ``pplx`` against the loopback server (in-process through ``tests.support.cli``;
as a real process where only a process shows it: Ctrl-C, a closed pipe). Faults the network
cannot cause — a full disk, a read-only file system, a bug — are injected for the call by
``tests.support.faults``. Each checks three things: no traceback on stderr, the clear message
and exit code, and that the chat file parses and holds everything shown before the fault.
"""

from __future__ import annotations

import errno
import json
import os
import pty
import re
import select
import signal
import stat
import subprocess
import time

import pytest

from pplx_tui import paths
from pplx_tui.cli import main
from pplx_tui.store import ChatStore
from tests.support.cli import (
    KEY,
    ROOT,
    SOURCES,
    answer_frames,
    command,
    environment,
    pplx,
    saved_chat,
    saved_id,
)
from tests.support.faults import IN_BAND_ERROR, moons_chat
from tests.support.loopback import LoopbackServer, Reply, json_reply, sse

PARTIAL = ["Mars has ", "two moons [1]"]
SOURCES_BLOCK = (
    "\n\nSources:\n"
    f"[1] {SOURCES[0]['title']} — {SOURCES[0]['url']}\n"
    f"[2] {SOURCES[1]['title']} — {SOURCES[1]['url']}\n"
)


def assert_clean_failure(result: subprocess.CompletedProcess[str], code: int) -> list[str]:
    """The exit code, no traceback, and stderr's lines (each starting ``pplx:``)."""
    assert result.returncode == code, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("pplx: ") for line in lines), result.stderr
    return lines


def seed_chat() -> tuple[str, bytes]:
    """A saved chat to continue, and its file's bytes."""
    chat = ChatStore().save(moons_chat())
    return chat.id, (paths.chats_dir() / f"{chat.id}.json").read_bytes()


# -- the stream breaks -------------------------------------------------------------------------


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
    assert result.stdout == "Mars has two moons [1]" + SOURCES_BLOCK
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


def _read_until(fd: int, needle: bytes, timeout: float = 20) -> bytes:
    data, deadline = b"", time.monotonic() + timeout
    while needle not in data:
        ready, _, _ = select.select([fd], [], [], max(0, deadline - time.monotonic()))
        if not ready:
            raise AssertionError(f"{needle!r} never came; got {data!r}")
        try:
            more = os.read(fd, 4096)
        except OSError:  # EIO: the other side closed
            more = b""
        if not more:
            break
        data += more
    return data


def test_on_a_terminal_a_retry_on_its_way_is_announced(loopback: LoopbackServer) -> None:
    """QA: a 429 with Retry-After held `pplx ask` silent (up to 20 s, twice) before the answer
    or the error; on a terminal it now says why it waits. (A pipe's stderr stays quiet.)"""
    limited = json_reply(429, {"error": {"message": "Rate limit exceeded"}}, {"Retry-After": "1"})
    loopback.queue(limited, Reply(chunks=answer_frames(PARTIAL)))
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        command("ask", "q", server=loopback),
        stdout=subprocess.PIPE,
        stderr=terminal,
        env=environment(),
        cwd=ROOT,
    )
    os.close(terminal)
    try:
        told = _read_until(controller, b"asking again")
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
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        command("ask", "--save", "q", server=loopback),
        stdout=subprocess.PIPE,
        stderr=terminal,
        env=environment(PPLX_WAIT_NOTICE="0.2"),
        cwd=ROOT,
    )
    os.close(terminal)
    try:
        assert process.stdout is not None
        # The answer so far first: on a loaded machine the notice can come before it does.
        shown = _read_until(process.stdout.fileno(), "".join(PARTIAL).encode())
        told = _read_until(controller, b"Ctrl-C stops and keeps the partial answer")
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=20)
        stdout = shown + rest
        stderr = (told + _read_until(controller, b"saved chat")).decode().replace("\r", "")
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


# -- the disk refuses ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("enospc-fsync", "No space left on device"),
        ("enospc-replace", "No space left on device"),
        ("erofs", "Read-only file system"),
    ],
)
def test_a_save_that_fails_is_one_line_and_leaves_the_chat_as_it_was(
    loopback: LoopbackServer, fault: str, reason: str
) -> None:
    chat_id, before = seed_chat()
    loopback.queue(Reply(chunks=answer_frames(PARTIAL)))

    result = pplx("ask", "--chat", chat_id, "--save", "Which?", server=loopback, fault=fault)

    (line,) = assert_clean_failure(result, 1)
    assert line.startswith(f"pplx: the chat could not be saved ({reason} in ")
    assert line.endswith("; the saved chat is unchanged")
    assert result.stdout == "Mars has two moons [1]" + SOURCES_BLOCK  # the answer was shown
    assert (paths.chats_dir() / f"{chat_id}.json").read_bytes() == before
    assert not [p for p in paths.chats_dir().iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders anyway")
def test_a_read_only_chats_folder_is_one_line(loopback: LoopbackServer) -> None:
    chat_id, before = seed_chat()
    loopback.queue(Reply(chunks=answer_frames(PARTIAL)))
    folder = paths.chats_dir()
    folder.chmod(0o500)
    try:
        result = pplx("ask", "--chat", chat_id, "--save", "Which?", server=loopback)
    finally:
        folder.chmod(0o700)

    (line,) = assert_clean_failure(result, 1)
    assert "Permission denied" in line and "the saved chat is unchanged" in line
    assert (folder / f"{chat_id}.json").read_bytes() == before


@pytest.mark.parametrize("call", ["replace", "fsync"])
def test_disk_full_in_process_keeps_the_previous_file(
    loopback: LoopbackServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    call: str,
) -> None:
    """The same fault in-process: ``os.replace`` fails, or the data never reaches the disk."""
    chat_id, before = seed_chat()
    loopback.queue(Reply(chunks=answer_frames(PARTIAL)))
    monkeypatch.setenv("OPENROUTER_API_KEY", KEY)

    def no_space(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    args = ["--provider", "openrouter", "--base-url", loopback.base_url + "/api/v1"]
    with monkeypatch.context() as patch:  # undone right after, before the checks read files
        patch.setattr(os, call, no_space)
        code = main(["ask", *args, "--chat", chat_id, "--save", "Which?"])

    out, err = capsys.readouterr()
    assert code == 1 and out == "Mars has two moons [1]" + SOURCES_BLOCK
    assert err.startswith("pplx: the chat could not be saved (No space left on device in ")
    assert len(err.splitlines()) == 1
    assert (paths.chats_dir() / f"{chat_id}.json").read_bytes() == before
    assert [m.content for m in ChatStore().load(chat_id).messages] == [
        "How many moons does Mars have?",
        "Two [1].",
    ]


# -- bad files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('theme = "pplx-dark"\n[search\nrecency = "week"\n', "config.toml: "),
        (
            'theme = "pplx-dark"\n\n[search]\nrecency = "fortnight"\n',
            "(line 4): field `search.recency`",
        ),
    ],
    ids=["toml-syntax", "bad-field"],
)
@pytest.mark.parametrize("args", [("ask", "--demo", "q"), ("models",)], ids=["ask", "models"])
def test_a_malformed_config_is_one_line_naming_the_file(
    text: str, expected: str, args: tuple[str, ...]
) -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True)
    config.write_text(text)
    config.chmod(0o600)

    result = pplx(*args, key=None)

    # (The TUI starts with the default settings instead: see test_faults_ui.)
    (line,) = assert_clean_failure(result, 2)
    assert str(config) in line and expected in line
    assert result.stdout == ""


def test_a_config_readable_by_others_is_warned_about_once(loopback: LoopbackServer) -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True)
    config.write_text('theme = "pplx-dark"\n')
    config.chmod(0o644)

    result = pplx("ask", "--demo", "How many moons does Mars have?", key=None)

    assert result.returncode == 0
    warnings = [line for line in result.stderr.splitlines() if "readable by other users" in line]
    assert warnings == [
        f"pplx: warning: {config} is readable by other users; run: chmod 600 {config}"
    ]


def test_the_tui_prints_the_permission_warning_once_before_it_starts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys
    import types

    config = paths.config_file()
    config.parent.mkdir(parents=True)
    config.write_text('theme = "pplx-dark"\n')
    config.chmod(0o640)
    started: list[str] = []

    class FakeApp:
        return_code = 0

        def run(self) -> None:
            started.append(capsys.readouterr().err)

    fake = types.ModuleType("pplx_tui.ui.factory")
    fake.make_app = lambda **_: FakeApp()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pplx_tui.ui.factory", fake)

    assert main(["--demo"]) == 0
    assert started == [
        f"pplx: warning: {config} is readable by other users; run: chmod 600 {config}\n"
    ]


def test_a_corrupt_chat_given_to_continue_is_set_aside_with_one_line() -> None:
    chat_id, _ = seed_chat()
    (paths.chats_dir() / f"{chat_id}.json").write_text('{"schema_version": 1, "messages": [')

    result = pplx("ask", "--demo", "--chat", chat_id, "--save", "q", key=None)

    lines = assert_clean_failure(result, 2)
    assert lines[-1].startswith(f"pplx: chat {chat_id} could not be read")
    assert list((paths.chats_dir() / ".corrupt").iterdir())  # kept for the curious


# -- size, encoding, the reader going away, bugs --------------------------------------------------


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
    process = subprocess.Popen(
        command("ask", "--save", "q", server=loopback),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(),
        cwd=ROOT,
    )
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
            "OpenRouter had a server error (502 Bad Gateway); try again in a moment.",
        ),
        (
            [json_reply(200, "<!doctype html><title>Captive portal</title>")],
            5,
            "answered with a web page instead of a stream (Captive portal); check the base URL.",
        ),
        (
            [Reply(chunks=[b"\x00\xff\x1b]52;c;ZXZpbA==\x07 not a stream at all\n"])],
            5,
            "ended before the answer was finished",
        ),
        (
            [json_reply(429, {"error": {"message": "Rate limit exceeded"}}, {"Retry-After": "0"})]
            * 3,
            4,
            "rate limiting requests (429: Rate limit exceeded)",
        ),
    ],
    ids=["500-html", "200-html", "garbage", "429"],
)
def test_server_faults_are_one_line_with_the_documented_exit_code(
    loopback: LoopbackServer, replies: list[Reply], code: int, expected: str
) -> None:
    loopback.queue(*replies)

    result = pplx("ask", "--json", "q", server=loopback)

    (line,) = assert_clean_failure(result, code)
    assert expected in line and "<" not in line and "\x1b" not in line
    data = json.loads(result.stdout)
    assert data["status"] == "error" and data["answer"] == "" and expected in data["error"]
