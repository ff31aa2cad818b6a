"""Table columns as a terminal shows them: in cells, not characters. A CJK character or an emoji
takes two cells and a combining accent none, so a column padded by characters (``str.ljust``)
went out of line after a Chinese model name or chat title."""

from __future__ import annotations

import os
import unicodedata
from typing import TextIO

__all__ = ["cells", "fit", "pad_left", "pad_right", "terminal_width"]


def _width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cells(text: str) -> int:
    """How many terminal cells ``text`` takes."""
    return len(text) if text.isascii() else sum(map(_width, text))


def pad_left(text: str, width: int) -> str:
    """``text`` then spaces up to ``width`` cells (``str.ljust`` in cells)."""
    return text + " " * max(width - cells(text), 0)


def pad_right(text: str, width: int) -> str:
    """Spaces then ``text`` up to ``width`` cells (``str.rjust`` in cells)."""
    return " " * max(width - cells(text), 0) + text


def fit(text: str, width: int) -> str:
    """``text`` padded to exactly ``width`` cells; one that does not fit is cut and ends with
    "…" (a wide character that would straddle the edge goes), so a cut value never passes for
    a whole one (``perplexity/sonar, perple`` read as a model named ``perple``)."""
    if cells(text) > width:
        kept, used = [], 0
        for char in text:
            used += _width(char)
            if used > width - 1:
                break
            kept.append(char)
        text = "".join(kept) + "…" if width > 0 else ""
    return pad_left(text, width)


def terminal_width(stream: TextIO) -> int | None:
    """How many cells wide a table may be when ``stream`` is a terminal: ``$COLUMNS`` when set,
    else the terminal's width. ``None`` in a pipe or a file (``$COLUMNS`` too may be exported
    there), where a table keeps fixed widths and whole values: the same bytes whatever window
    the command ran in, for scripts."""
    try:
        if not stream.isatty():
            return None
    except (OSError, ValueError):  # closed
        return None
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isascii() and columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(stream.fileno()).columns or None
    except (OSError, ValueError):  # no file descriptor (io.UnsupportedOperation)
        return None
