"""``pplx ask --reasoning`` on a terminal: the reasoning drawn dimmed as it comes, wrapped
between words.

Pieces are written as they arrive (reasoning can last minutes); left to the terminal, a line
would break in the middle of a word, so the line is broken before a word that does not fit.
The last word of a piece waits for the next one, which may go on with it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["ReasoningStream"]

_TOKENS = re.compile(r"\s+|\S+")


class ReasoningStream:
    """The reasoning under a "Reasoning" heading, written on ``console`` piece by piece."""

    def __init__(self, console: Console) -> None:
        from rich.text import Text

        from pplx_tui.redact import StreamRedactor

        self.console = console
        self._redactor = StreamRedactor()
        self._column = 0
        self._gap = False
        self._word = ""
        console.print(Text("Reasoning", style="bold dim"))

    def feed(self, text: str) -> None:
        from pplx_tui.sanitize import clean_text

        tokens = _TOKENS.findall(self._word + clean_text(self._redactor.feed(text)))
        self._word = tokens.pop() if tokens and not tokens[-1].isspace() else ""
        self._write(tokens)

    def close(self) -> None:
        """Its last word written, and its last line ended."""
        from pplx_tui.sanitize import clean_text

        tokens = _TOKENS.findall(self._word + clean_text(self._redactor.flush()))
        self._word = ""
        self._write(tokens)
        if self._column:
            self.console.file.write("\n")
            self._column = 0

    def _write(self, tokens: list[str]) -> None:
        from rich.cells import cell_len
        from rich.text import Text

        width = self.console.width
        out: list[str] = []
        for token in tokens:
            if "\n" in token:
                out.append("\n" * min(token.count("\n"), 2))  # at most one blank line
                self._column, self._gap = 0, False
            elif token.isspace():
                self._gap = self._column > 0  # written before the next word, if it fits
            else:
                size = cell_len(token)
                if self._column and self._column + self._gap + size > width:
                    out.append("\n")
                    self._column = 0
                elif self._gap:
                    out.append(" ")
                    self._column += 1
                out.append(token)
                self._gap = False
                self._column += size
                if self._column > width:  # a word longer than a line: the terminal cut it
                    self._column %= width
        if text := "".join(out):
            self.console.print(Text(text, style="dim"), end="", soft_wrap=True)
