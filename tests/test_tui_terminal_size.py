"""The app draws on stderr and reads keys on stdin, so it runs with stdout redirected
(``pplx --demo > out.txt``): it must then fill the terminal it draws on, not Textual's 80x24
fallback for a stdout that is no terminal (QA: an 80x24 corner of a 120x40 pane, kept through
resizes)."""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from pathlib import Path

from tests.support.cli import command, environment

ROOT = Path(__file__).resolve().parent.parent
_MOVE = re.compile(rb"\x1b\[(\d+);(\d+)H")
"""A cursor move (row; column, from 1): Textual places each line it draws with one."""


def _set_size(descriptor: int, columns: int, rows: int) -> None:
    fcntl.ioctl(descriptor, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def _read(master: int, drawn: bytearray, until: bytes | int, timeout: float = 30) -> bool:
    """Read what the app draws into ``drawn`` until it holds ``until`` (bytes), or has drawn on
    row ``until`` (a number, from 1), or ``timeout`` has passed; whether it came."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if isinstance(until, bytes) and until in drawn:
            return True
        if isinstance(until, int) and until in _rows(drawn):
            return True
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                drawn.extend(os.read(master, 65536))
            except OSError:
                return False
    return False


def _rows(drawn: bytes) -> set[int]:
    return {int(move.group(1)) for move in _MOVE.finditer(drawn)}


def _row_of(drawn: bytes, text: bytes) -> int:
    """The row ``text`` was first drawn on (the cursor move before it)."""
    before = drawn[: drawn.index(text)]
    return int(list(_MOVE.finditer(before))[-1].group(1))


def test_with_stdout_redirected_the_app_fills_its_terminal_and_follows_resizes() -> None:
    master, slave = os.openpty()
    _set_size(slave, 110, 33)
    env = environment(key=None, TERM="xterm-256color")
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    process = subprocess.Popen(
        command("--demo"),
        stdin=slave,
        stdout=subprocess.DEVNULL,  # not a terminal, as with > out.txt or | cat
        stderr=slave,
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    drawn = bytearray()
    try:
        assert _read(master, drawn, b"Palette")  # the key bar: the first frame is drawn
        # The key bar is the last row (Textual's fallback drew it on row 24), and nothing so far
        # was drawn below it.
        assert _row_of(drawn, b"Palette") == max(_rows(drawn)) == 33

        drawn.clear()
        _set_size(master, 100, 40)  # the terminal grows: the app is told (SIGWINCH)
        os.killpg(process.pid, signal.SIGWINCH)
        assert _read(master, drawn, 40, timeout=10), sorted(_rows(drawn))[-3:]
    finally:
        process.kill()
        process.wait(10)
        os.close(slave)
        os.close(master)
