"""The terminal's size read from where the app draws, not only from stdout.

The app reads keys on stdin and draws on stderr, so ``pplx --demo > out.txt`` or ``pplx | cat``
still runs it. Textual's Linux driver asks ``shutil.get_terminal_size()``, which reads stdout
alone and falls back to 80x24: the app then drew an 80x24 corner of a larger terminal and kept
to it through every resize (QA).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable

from textual.drivers.linux_driver import LinuxDriver

__all__ = ["TerminalDriver", "terminal_size"]

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


class TerminalDriver(LinuxDriver):
    """Textual's Linux driver, sized by :func:`terminal_size`."""

    def _get_terminal_size(self) -> tuple[int, int]:
        return terminal_size(_descriptors())
