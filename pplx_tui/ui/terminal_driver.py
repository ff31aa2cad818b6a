"""Textual's Linux driver, fitted to where the app draws.

The terminal's size is read from where the app draws, not only from stdout. The app reads keys
on stdin and draws on stderr, so ``pplx --demo > out.txt`` or ``pplx | cat`` still runs it.
Textual's Linux driver asks ``shutil.get_terminal_size()``, which reads stdout alone and falls
back to 80x24: the app then drew an 80x24 corner of a larger terminal and kept to it through
every resize (QA).

A terminal that goes away (its window closed) takes what is still drawn without a word
(:class:`DrawingStream`).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TextIO

from textual.drivers.linux_driver import LinuxDriver

if TYPE_CHECKING:
    from textual.app import App

__all__ = ["DrawingStream", "TerminalDriver", "terminal_size"]

FALLBACK = (80, 24)
"""Textual's size when no stream is a terminal."""


def terminal_size(descriptors: Iterable[int]) -> tuple[int, int]:
    """``COLUMNS`` and ``LINES`` if set (as :func:`shutil.get_terminal_size` honours them), else
    the size of the first of ``descriptors`` that is a terminal, else :data:`FALLBACK`."""
    columns, lines = shutil.get_terminal_size(fallback=(0, 0))  # the variables, or stdout's
    if columns and lines:
        return columns, lines
    for descriptor in descriptors:
        try:
            size = os.get_terminal_size(descriptor)
        except (OSError, ValueError):
            continue
        if size.columns and size.lines:
            return size.columns, size.lines
    return FALLBACK


def _descriptors() -> list[int]:
    """stderr's (where the app draws), then stdin's (where it reads keys)."""
    found = []
    for stream in (sys.__stderr__, sys.__stdin__):
        try:
            found.append(stream.fileno())  # type: ignore[union-attr]
        except (AttributeError, OSError, ValueError):  # closed, or none
            continue
    return found


class DrawingStream:
    """The stream the app draws on, which drops what is drawn once the terminal is gone.

    A closed terminal window makes each write fail (EIO after the hang-up; EPIPE or EBADF for a
    closed stream). Textual's writer thread dies on the first failure, and the app, still
    drawing as it ends (the hang-up is SIGHUP, which ends it as ctrl+q does), then waits
    forever for room in the dead thread's queue: the process outlived its window (1 close in
    20 in the tests). Nothing can be shown any more, so nothing is lost by dropping it.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.gone = False

    def write(self, text: str) -> None:
        if not self.gone:
            try:
                self._stream.write(text)
            except OSError:
                self.gone = True

    def flush(self) -> None:
        if not self.gone:
            try:
                self._stream.flush()
            except OSError:
                self.gone = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)  # fileno, isatty...: the stream's own


class TerminalDriver(LinuxDriver):
    """Textual's Linux driver, sized by :func:`terminal_size`, drawing on a
    :class:`DrawingStream`."""

    def __init__(self, app: App[Any], **options: Any) -> None:
        super().__init__(app, **options)
        self._file = DrawingStream(self._file)  # type: ignore[arg-type]

    def _get_terminal_size(self) -> tuple[int, int]:
        return terminal_size(_descriptors())
