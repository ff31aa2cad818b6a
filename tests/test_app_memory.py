"""The app, as a real process on a terminal, against hostile servers: under 300 MB, and the
answer ends at a limit with its start kept (issue 13 item 5, "Done when").

The in-process app tests (test_ui_stream_limits) check what the app says; only a process of
its own shows what it costs, so here ``pplx`` runs on a pseudo-terminal, a question is typed,
and the test waits for the interrupted answer to be saved while it watches the peak (VmHWM).
"""

from __future__ import annotations

import fcntl
import json
import os
import struct
import subprocess
import termios
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from pplx_tui import paths
from tests.support.cli import command, environment
from tests.support.hostile import (
    Behaviour,
    HostileServer,
    endless_answer,
    endless_line,
    frame,
    gzip_bomb,
    zeros,
)

MEMORY_CAP_MB = 300
ROOT = Path(__file__).resolve().parent.parent


def high_water_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if "VmHWM" in line), 0)


def last_saved_answer() -> dict[str, Any] | None:
    for path in paths.chats_dir().glob("*.json"):
        try:
            messages = json.loads(path.read_bytes())["messages"]
        except (OSError, ValueError, KeyError):
            continue  # being written
        last = messages[-1] if messages else {}
        if last.get("role") == "assistant" and last.get("status") not in (None, "complete"):
            return last
    return None


def ask_in_the_app(server: HostileServer, timeout: float = 90) -> tuple[dict[str, Any], float]:
    """Start the app on a 120x40 pseudo-terminal, ask one question; the saved answer once
    it has ended, and the app's peak memory in MB until then."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    process = subprocess.Popen(
        command(server=server),  # type: ignore[arg-type]
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=environment(TERM="xterm-256color", COLORTERM="truecolor"),
        cwd=ROOT,
        start_new_session=True,
    )
    os.close(slave)
    screen = bytearray()
    done = threading.Event()

    def drain() -> None:  # the app blocks if nobody reads its terminal
        while not done.is_set():
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            screen.extend(data)
            del screen[:-65536]

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    peak = 0
    try:
        started = time.monotonic()
        typed = asked = False
        while True:
            peak = max(peak, high_water_kib(process.pid))
            if process.poll() is not None:
                raise AssertionError(f"the app ended ({process.returncode})")
            if time.monotonic() - started > timeout:
                raise AssertionError("no answer was saved in time")
            if not typed and b"Ask anything" in screen:
                os.write(master, b"Go on?")
                typed = True
            if typed and not asked and b"Go on?" in screen:  # the prompt shows it: Enter
                os.write(master, b"\r")
                asked = True
            if asked and (answer := last_saved_answer()) is not None:
                return answer, peak / 1024
            time.sleep(0.05)  # (the peak is sampled meanwhile)
    finally:
        done.set()
        process.kill()
        process.wait(10)
        os.close(master)
        reader.join(5)


def bomb() -> Behaviour:
    return gzip_bomb(zeros(4 << 30, head=frame("Partial. ")))


@pytest.mark.parametrize(
    ("behaviour", "headers", "start", "says"),
    [
        (endless_line, None, "The start of the answer.", "over 16 MiB"),
        (bomb(), {"Content-Encoding": "gzip"}, "Partial.", "over 16 MiB"),
        (endless_answer, None, "Lorem ipsum", "the answer passed 2,000,000 characters"),
    ],
    ids=["endless-line", "gzip-bomb", "endless-answer"],
)
def test_the_app_stays_under_300_mb_and_keeps_the_start(
    behaviour: Behaviour, headers: dict[str, str] | None, start: str, says: str
) -> None:
    sse = {"Content-Type": "text/event-stream", **(headers or {})}
    with HostileServer(behaviour, headers=sse) as server:
        answer, peak = ask_in_the_app(server)
    assert answer["status"] == "interrupted" and answer["content"].startswith(start)
    assert says in (answer.get("error") or ""), answer.get("error")
    assert peak < MEMORY_CAP_MB, peak
