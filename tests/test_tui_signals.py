"""Every way the app ends keeps what arrived: SIGTERM and a closed terminal (SIGHUP) mid-answer
keep the partial answer, as ctrl+q does (issue 9, bug 4). A real process on a real pty."""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import time

import pytest

from tests.support.cli import KEY, ROOT, answer_frames, environment
from tests.support.loopback import LoopbackServer, Reply

DEADLINE = 30.0


def _read_until(fd: int, wanted: bytes, seen: bytearray) -> None:
    """Drain the pty into ``seen`` until ``wanted`` shows (the app draws as it goes)."""
    end = time.monotonic() + DEADLINE
    while wanted not in seen.replace(b"\x1b", b""):
        assert time.monotonic() < end, f"{wanted!r} never shown"
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                return


def _wait_exit(pid: int, fd: int | None) -> int:
    """Wait until the app has ended (its pidfd is readable then), draining its terminal
    meanwhile (``fd``: it may draw as it ends); its wait status."""
    pidfd = os.pidfd_open(pid)
    try:
        end = time.monotonic() + DEADLINE
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return status
            left = end - time.monotonic()
            assert left > 0, "the app did not end"
            watched = [pidfd] if fd is None else [pidfd, fd]
            ready, _, _ = select.select(watched, [], [], left)
            if fd is not None and fd in ready:
                try:
                    os.read(fd, 65536)
                except OSError:
                    fd = None
    finally:
        os.close(pidfd)


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP"])
def test_the_partial_answer_is_kept_when_the_app_is_ended(
    loopback: LoopbackServer, how: str
) -> None:
    from pplx_tui.store import ChatStore

    loopback.queue(
        Reply(
            chunks=answer_frames(["Partial answer", " arrived [1]."], finished=False), hang_after=2
        )
    )
    argv = [
        sys.executable, "-m", "pplx_tui",
        "--provider", "openrouter", "--base-url", loopback.base_url + "/api/v1",
    ]  # fmt: skip
    env = environment(key=KEY, TERM="xterm-256color", COLUMNS="100", LINES="30")
    pid, fd = pty.fork()
    if pid == 0:  # the child: the app on the pty
        os.chdir(ROOT)
        os.execvpe(argv[0], argv, env)
    seen = bytearray()
    try:
        _read_until(fd, b"Ask anything", seen)
        os.write(fd, b"Moons?\r")
        _read_until(fd, b"arrived", seen)
        if how == "SIGTERM":
            os.kill(pid, signal.SIGTERM)
            _wait_exit(pid, fd)
        else:
            os.close(fd)  # the terminal window closes: the kernel sends SIGHUP
            fd = -1
            _wait_exit(pid, None)
    finally:
        if fd >= 0:
            os.close(fd)
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
    [summary] = ChatStore().list_chats()
    messages = ChatStore().load(summary.id).messages
    assert [m.role for m in messages] == ["user", "assistant"]
    assert messages[1].content == "Partial answer arrived [1]."
    assert messages[1].status == "interrupted"
