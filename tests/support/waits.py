"""Waiting on conditions, never on clocks: the one ``until`` for pilot tests.

It polls ``condition`` and fails with ``what`` (or the condition's source line) once ``timeout``
seconds pass without it holding; the timeout is a safety net on a loaded machine, not a pace.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

TIMEOUT = 20.0
"""Generous: a 2-core machine shared with other work can be slow, and a met condition returns
at once."""


def _describe(condition: Callable[[], object], what: str | None) -> str:
    if what:
        return what
    try:
        return inspect.getsource(condition).strip()
    except (OSError, TypeError):
        return repr(condition)


async def until(
    pilot: Pilot[Any],
    condition: Callable[[], object],
    *,
    timeout: float = TIMEOUT,
    what: str | None = None,
) -> None:
    """Let the app run, as it would on a terminal, until ``condition`` holds.

    Between looks it only sleeps: the app lays out and draws on its own timers. (A
    ``pilot.pause`` each look posted a callback to every widget of the screen and forced a
    frame: ~3 ms of CPU a look, 200 looks a second, so a test watching a paced answer spent
    more than half its time waiting for the waiter.) An app that failed ends the wait."""
    app = pilot.app
    deadline = time.monotonic() + timeout
    waited = False
    while True:
        started = time.thread_time()
        if condition():
            break
        look = time.thread_time() - started
        if app._exception is not None:
            raise AssertionError(f"the app failed while waiting for: {_describe(condition, what)}")
        if time.monotonic() > deadline:
            raise AssertionError(f"never true within {timeout:g} s: {_describe(condition, what)}")
        # A look that is itself costly (one that draws the whole screen to read it) is taken
        # less often: the waiting never takes more than a third of the CPU.
        await asyncio.sleep(max(_LOOK_EVERY, 2 * look))
        waited = True
    if waited:
        # What made it true (a mount, a scroll) is handled and laid out before the test acts
        # on it, as a pilot's pause would leave it: a user cannot act between the two either.
        await pilot.pause(0)


_LOOK_EVERY = 0.005
"""Seconds between looks at the condition (at the least)."""
