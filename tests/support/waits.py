"""Waiting on conditions, never on clocks: the one ``until`` for pilot tests.

It polls ``condition`` and fails with ``what`` (or the condition's source line) once ``timeout``
seconds pass without it holding; the timeout is a safety net on a loaded machine, not a pace.
"""

from __future__ import annotations

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
    """Let the app process its messages until ``condition`` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never true within {timeout:g} s: {_describe(condition, what)}")
        await pilot.pause(0.005)
