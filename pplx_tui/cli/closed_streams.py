"""Standard streams the process was started without (``<&-``, ``>&-``, ``2>&-``).

Python gives ``None`` for such a stream. Writing to it was an "unexpected error", and a line
meant for a closed stderr went to stdout (``print(file=None)`` writes there), into the JSON a
script reads. Here each closed descriptor is held by /dev/null (so no file the command opens
later becomes "stdout"), stdin reads as empty, stderr's lines are dropped as the caller asked,
and stdout is a closed pipe: the first write ends the command quietly with exit 1, as
``| head`` does.
"""

from __future__ import annotations

import errno
import io
import os
import sys

__all__ = ["fill_closed_streams"]


class _ClosedOutput(io.TextIOBase):
    """Stdout that was closed: every write is a broken pipe."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise BrokenPipeError(errno.EPIPE, "stdout is closed")


def fill_closed_streams() -> None:
    """Give every standard stream that is ``None`` a stand-in (see the module's docstring)."""
    if sys.stdin is not None and sys.stdout is not None and sys.stderr is not None:
        return
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            os.open(os.devnull, os.O_RDWR)  # the lowest free descriptor: this one
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 (for the process's life)
    if sys.stdout is None:
        sys.stdout = _ClosedOutput()
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
