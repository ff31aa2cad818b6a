"""Standard streams the process was started without (``<&-``, ``>&-``, ``2>&-``).

Python gives ``None`` for such a stream. Writing to it was an "unexpected error", and a line
meant for a closed stderr went to stdout (``print(file=None)`` writes there), into the JSON a
script reads. Here each closed descriptor is held by /dev/null (so no file the command opens
later becomes "stdout"), stdin reads as empty, stderr's lines are dropped as the caller asked,
and stdout is a closed pipe: the first write ends the command quietly with exit 1, as
``| head`` does.

Also here: writing bytes to stdout, all of them (:func:`write_bytes`), and what a command does
when writing stdout fails (:func:`output_failed`).
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Iterable

from pplx_tui.cli.common import OUTPUT_ERRNOS

__all__ = ["fill_closed_streams", "output_failed", "silence_stdout", "write_bytes"]


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


def output_failed(error: OSError) -> bool:
    """Whether ``error`` came from writing stdout: its reader went away (``| head``: said by
    nothing), or the disk or quota under a redirect is full (one line on stderr; the commands
    name their own files in their errors, so an error that names none was stdout's). If so,
    stdout now writes to /dev/null, so that no later flush fails again."""
    if not isinstance(error, BrokenPipeError):
        if error.filename is not None or error.errno not in OUTPUT_ERRNOS:
            return False
        with contextlib.suppress(OSError, ValueError):
            print(f"pplx: could not write the output ({error.strerror})", file=sys.stderr)
    silence_stdout()
    return True


def silence_stdout(*, stderr: bool = False) -> None:
    """Point stdout (and ``stderr``) at /dev/null so the interpreter's last flush cannot fail
    again."""
    for stream in (sys.stdout, sys.stderr) if stderr else (sys.stdout,):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
            os.close(devnull)


def write_bytes(pieces: Iterable[bytes]) -> None:
    """``pieces`` on stdout as they are (the same bytes ``-o FILE`` gets), every byte of them.

    A pipe closed mid-write takes part of a large write, and Python's unbuffered writer
    (``PYTHONUNBUFFERED``, ``python -u``) returns that count rather than an error, so a lone
    5 MB write ended the command with exit 0 (``| head``); the rest is written again, and that
    write raises ``BrokenPipeError``, which ends the command with exit 1."""
    out = getattr(sys.stdout, "buffer", None)
    if out is None:  # a stand-in with no bytes under it (stdout closed at start)
        for piece in pieces:
            sys.stdout.write(piece.decode("utf-8", "replace"))
        return
    sys.stdout.flush()  # what was written as text goes first
    for piece in pieces:
        data = memoryview(piece)
        while data:
            data = data[out.write(data) :]
    out.flush()
