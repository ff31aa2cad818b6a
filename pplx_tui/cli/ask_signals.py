"""SIGTERM and SIGHUP end ``pplx ask``'s answer as Ctrl-C does.

``timeout 60 pplx ask …``, ``kill``, a service manager (SIGTERM) or ``kill -HUP`` killed the
process on the spot by default: the question and the partial answer, paid for, were never
saved. While an answer streams they take the handler ``asyncio.run`` gave Ctrl-C (SIGINT),
which cancels the answer; the partial answer is then kept, saved and the exit code is 130.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["ended_like_ctrl_c"]

_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


@contextmanager
def ended_like_ctrl_c() -> Iterator[None]:
    """Within: SIGTERM and SIGHUP do what SIGINT does (inside ``asyncio.run``: cancel its
    task); the handlers before are put back after."""
    handler = signal.getsignal(signal.SIGINT)
    if not callable(handler) or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, handler) for number in _SIGNALS}
    try:
        yield
    finally:
        for number, before in previous.items():
            signal.signal(number, before)
