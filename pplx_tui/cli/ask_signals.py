"""SIGTERM and SIGHUP end ``pplx ask``'s answer (and ``pplx runs wait``) as Ctrl-C does.

``timeout 60 pplx ask …``, ``kill``, a service manager (SIGTERM) or ``kill -HUP`` killed the
process on the spot by default: the question and the partial answer, paid for, were never
saved. While an answer streams they cancel it as ``asyncio.run`` cancels it on Ctrl-C; the
partial answer is then kept, saved and the exit code is 130.

They get a handler of their own, whatever Ctrl-C's is: bash starts a script's ``&`` jobs with
SIGINT ignored, and copying that "handler" left ``pplx ask … & kill $!`` killing at once. An
ignored SIGINT stays ignored: the shell asked for it (Ctrl-C at the terminal is not for them).

Meanwhile any signal wakes the loop (:func:`_loop_woken_by_signals`): these handlers, and
``asyncio.run``'s for Ctrl-C, run only when the main thread runs Python code again, and one
that landed just as the loop went to sleep waiting for a stalled server went unheeded until
the server sent something again or a timer came due (minutes; seen under heavy load).
"""

from __future__ import annotations

import asyncio
import signal
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import FrameType

__all__ = ["ended_like_ctrl_c"]

_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


@contextmanager
def ended_like_ctrl_c() -> Iterator[None]:
    """Within, in a task of the running loop: SIGTERM and SIGHUP cancel the task and the block
    raises ``KeyboardInterrupt``, as ``asyncio.run`` does on Ctrl-C (a second signal raises it
    at once). The handlers before are put back after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None, "ended_like_ctrl_c() is for a task of a running loop"
    signalled = False

    def cancel(number: int, frame: FrameType | None) -> None:
        nonlocal signalled
        if signalled:  # a second one: no more waiting, as for Ctrl-C
            raise KeyboardInterrupt
        signalled = True
        task.cancel()
        loop.call_soon_threadsafe(lambda: None)  # wake the loop: it may be waiting on a socket

    previous = {number: signal.signal(number, cancel) for number in _SIGNALS}
    try:
        with _loop_woken_by_signals(loop):
            yield
    except asyncio.CancelledError:
        if not signalled:
            raise
        raise KeyboardInterrupt from None
    finally:
        for number, before in previous.items():
            signal.signal(number, before)


@contextmanager
def _loop_woken_by_signals(loop: asyncio.AbstractEventLoop) -> Iterator[None]:
    """Within, every signal writes a byte the loop waits for (``signal.set_wakeup_fd``), so a
    handler set with ``signal.signal`` runs at once, wherever the loop was when it landed."""
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    loop.add_reader(reader.fileno(), _drain, reader)
    before = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    try:
        yield
    finally:
        signal.set_wakeup_fd(before)
        loop.remove_reader(reader.fileno())
        reader.close()
        writer.close()


def _drain(reader: socket.socket) -> None:
    with suppress(BlockingIOError):
        reader.recv(4096)
