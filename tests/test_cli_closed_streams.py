"""`pplx` started with stdin, stdout or stderr closed (`<&-`, `>&-`, `2>&-`), as a script or a
launcher may: real processes, since only a process starts without a stream at all.

Python then has ``None`` for the stream: writing to it failed with an "unexpected error", and a
line meant for a closed stderr went to stdout (``print(file=None)`` writes there), into the
JSON a script was reading.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess

import pytest

from pplx_tui import paths
from pplx_tui.models import Message, Source
from pplx_tui.store import ChatStore
from tests.support.cli import command, environment

PIPE_BUFFER = 64 * 1024
"""What a pipe holds unread (Linux's default): a larger write is taken in part by a reader
that goes away."""


def run_closed(fd: int, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m pplx_tui ARGS`` with file descriptor ``fd`` closed, the others captured."""
    return subprocess.run(
        command(*args),
        stdin=subprocess.DEVNULL if fd else None,
        stdout=None if fd == 1 else subprocess.PIPE,
        stderr=None if fd == 2 else subprocess.PIPE,
        preexec_fn=lambda: os.close(fd),
        text=True,
        env=environment(key=None, PPLX_DEMO_DELAY="0"),
        timeout=60,
    )


def test_with_stderr_closed_ask_json_prints_only_its_json() -> None:
    result = run_closed(2, "ask", "--demo", "--json", "--save", "How many moons?")

    assert result.returncode == 0
    assert json.loads(result.stdout)["provider"] == "demo"


def test_with_stderr_closed_a_search_without_hits_prints_nothing() -> None:
    result = run_closed(2, "chats", "search", "phobos")

    assert (result.returncode, result.stdout) == (0, "")


def test_with_stdout_closed_a_listing_is_a_quiet_exit_1() -> None:
    store = ChatStore()
    store.append_message(store.new_chat(), Message(role="user", content="How many moons?"))

    result = run_closed(1, "chats", "list")

    assert (result.returncode, result.stderr) == (1, "")


def test_with_stdin_closed_ask_without_a_question_is_one_line() -> None:
    result = run_closed(0, "ask", "--demo")

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "pplx: the question is empty\n"


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize(
    "args",
    [("ask", "--demo", "How many moons?"), ("models",), ("usage",), ("chats", "show", "CHAT")],
    ids=str,
)
def test_output_to_a_full_disk_is_one_line_and_exit_1(
    args: tuple[str, ...], buffered: bool
) -> None:
    """`pplx ask … > /dev/full` (the disk full under a redirect) was an "unexpected error"
    pointing to the log, exit 5: the output could not be written, exit 1."""
    store = ChatStore()
    chat = store.new_chat()
    store.append_message(chat, Message(role="user", content="How many moons? " * 2000))
    args = tuple(chat.id if arg == "CHAT" else arg for arg in args)
    env = environment(key=None, PPLX_DEMO_DELAY="0")
    if buffered:
        del env["PYTHONUNBUFFERED"]
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            command(*args), stdout=full, stderr=subprocess.PIPE, text=True, env=env, timeout=60
        )

    assert (result.returncode, result.stderr) == (
        1,
        "pplx: could not write the output (No space left on device)\n",
    )


def test_an_answer_whose_output_cannot_be_written_is_saved_still() -> None:
    """`pplx ask --save … > /dev/full`: the first write of the answer failed, and the chat was
    not saved at all (an answer cut short by `| head` is kept, marked interrupted)."""
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    env = environment(key=None, PPLX_DEMO_DELAY="0")  # unbuffered: the first write fails
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            command("ask", "--demo", "--save", "How many moons?"),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=60,
        )

    assert result.returncode == 1
    failed, saved = result.stderr.splitlines()
    assert failed == "pplx: could not write the output (No space left on device)"
    (chat,) = ChatStore().list_chats()
    assert saved == f"pplx: saved chat {chat.id}"
    answer = ChatStore().load(chat.id).messages[1]
    assert (answer.status, answer.error) == ("interrupted", "output closed")


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
def test_large_json_to_a_reader_that_stops_early_is_a_quiet_exit_1(buffered: bool) -> None:
    """`pplx chats show ID --json | head -1` on a 160 KB chat exited 0: the pipe took part of
    the one large write, and Python's writer dropped the rest without an error."""
    store = ChatStore()
    chat = store.new_chat()
    store.append_message(chat, Message(role="user", content="How many moons? " * 10_000))
    env = environment(key=None)
    if buffered:
        del env["PYTHONUNBUFFERED"]
    with subprocess.Popen(
        command("chats", "show", chat.id, "--json"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        first = os.read(process.stdout.fileno(), 10)  # `head -c 10`: read a little, go
        process.stdout.close()
        stderr = process.stderr.read()
        code = process.wait(timeout=60)

    assert first.startswith(b"{")
    assert (code, stderr) == (1, b"")


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csl-json", "md", "json"])
def test_a_large_export_to_a_reader_that_stops_early_is_a_quiet_exit_1(
    fmt: str, buffered: bool
) -> None:
    """`pplx chats export ID --format bibtex | head -c 5` on a chat of 10,000 sources exited 0
    (the references were one 5 MB write, of which the pipe took part, and Python's unbuffered
    writer dropped the rest without an error); md and json exited 1, as a closed stdout does.
    Here 2,000 sources: each format is 0.5-1.2 MB, a write many times what the pipe holds."""
    chat_id = _chat_of_many_sources()
    env = environment(key=None)
    if buffered:
        del env["PYTHONUNBUFFERED"]
    with subprocess.Popen(
        command("chats", "export", chat_id, "--format", fmt),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        first = os.read(process.stdout.fileno(), 5)  # `head -c 5`: read a little, go
        process.stdout.close()
        stderr = process.stderr.read()
        code = process.wait(timeout=60)

    assert first
    assert (code, stderr) == (1, b"")


@functools.cache
def _chat_file_of_many_sources() -> tuple[str, bytes]:
    """A chat whose answer has 2,000 sources, made in the first test's store: its id and its
    file (made once: building the sources is most of the work)."""
    store = ChatStore()
    chat = store.new_chat()
    store.append_message(chat, Message(role="user", content="Sources?"))
    sources = [
        Source(index=n, url=f"https://example.org/page/{n}", title=f"Page {n} " * 20)
        for n in range(1, 2_001)
    ]
    store.append_message(chat, Message(role="assistant", content="See [1].", sources=sources))
    return chat.id, (paths.chats_dir() / f"{chat.id}.json").read_bytes()


def _chat_of_many_sources() -> str:
    """:func:`_chat_file_of_many_sources` saved in this test's store; its id."""
    chat_id, data = _chat_file_of_many_sources()
    assert len(data) > 10 * PIPE_BUFFER
    folder = paths.chats_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{chat_id}.json"
    if not path.exists():
        path.write_bytes(data)
        path.chmod(0o600)
    return chat_id
