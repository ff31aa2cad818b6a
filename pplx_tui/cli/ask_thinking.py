"""``pplx: thinking… (N s)`` on stderr while a reasoning model thinks (stderr a terminal).

A reasoning model can think for minutes before the first word of its answer, and the terminal
stayed blank. One line, redrawn in place each second, says it thinks and for how long; it is
erased before the answer (or any other line) is printed, so nothing of it stays on screen.
"""

from __future__ import annotations

import asyncio
import time
from typing import TextIO

__all__ = ["ThinkingLine"]

_ERASE = "\r\x1b[K"  # to the line's start, and clear it


class ThinkingLine:
    """The status line of one answer: shown from the first reasoning until the answer begins."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._since: float | None = None
        self._shown = False
        self._over = False
        self._ticker: asyncio.Task[None] | None = None

    def thinking(self) -> None:
        """Reasoning arrived: show the line (the first time) and keep its seconds counting."""
        if self._since is None and not self._over:
            self._since = time.monotonic()
            self._draw()
            self._ticker = asyncio.get_running_loop().create_task(self._tick())

    def erase(self) -> None:
        """Before another line is printed to the terminal (the next tick draws it again)."""
        if self._shown:
            self._shown = False
            self.stream.write(_ERASE)
            self.stream.flush()

    def stop(self) -> None:
        """The answer begins (or the stream ended): erased, never drawn again."""
        self._over = True
        if self._ticker is not None:
            self._ticker.cancel()
        self.erase()

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(1)
            self._draw()

    def _draw(self) -> None:
        assert self._since is not None
        seconds = int(time.monotonic() - self._since)
        counted = f" ({seconds} s)" if seconds else ""
        self.stream.write(f"\rpplx: thinking…{counted}\x1b[K")
        self.stream.flush()
        self._shown = True
