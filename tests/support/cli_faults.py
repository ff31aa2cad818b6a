"""What the CLI fault tests share: the partial answer a broken stream leaves, how a clean failure
looks on stderr, a saved chat to continue, and reading a process's output as it comes."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time

from pplx_tui import paths
from pplx_tui.store import ChatStore
from tests.support.cli import IGNORING_CTRL_C, ROOT, SOURCES, command, environment
from tests.support.faults import moons_chat
from tests.support.loopback import LoopbackServer

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


def read_until(fd: int, needle: bytes, timeout: float = 20) -> bytes:
    """What ``fd`` gives until ``needle`` has come (or the other side closed)."""
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


def ask_process(
    *args: str,
    server: LoopbackServer,
    stderr: int = subprocess.PIPE,
    ctrl_c_ignored: bool = False,
    **env: str,
) -> subprocess.Popen[bytes]:
    """``pplx ask ARGS`` as a process that reads nothing, its stdout a pipe and its stderr a pipe
    (or ``stderr``); ``ctrl_c_ignored``: started with SIGINT ignored (a script's ``&`` job)."""
    before = IGNORING_CTRL_C if ctrl_c_ignored else []
    return subprocess.Popen(
        [*before, *command("ask", *args, server=server)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=stderr,
        env=environment(**env),
        cwd=ROOT,
    )


def ask_on_a_terminal(
    *args: str, server: LoopbackServer, **env: str
) -> tuple[subprocess.Popen[bytes], int]:
    """:func:`ask_process` with stderr on a terminal (a pty): the process, and the terminal's
    other end to read stderr from (the caller closes it)."""
    controller, terminal = pty.openpty()
    process = ask_process(*args, server=server, stderr=terminal, **env)
    os.close(terminal)
    return process, controller
