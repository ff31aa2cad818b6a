"""`pplx` started with stdin, stdout or stderr closed (`<&-`, `>&-`, `2>&-`), as a script or a
launcher may: real processes, since only a process starts without a stream at all.

Python then has ``None`` for the stream: writing to it failed with an "unexpected error", and a
line meant for a closed stderr went to stdout (``print(file=None)`` writes there), into the
JSON a script was reading.
"""

from __future__ import annotations

import json
import os
import subprocess

from pplx_tui.models import Message
from pplx_tui.store import ChatStore
from tests.support.cli import command, environment


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
