"""Table columns as a terminal shows them: in cells, not characters. A CJK character or an emoji
takes two cells and a combining accent none, so a column padded by characters (``str.ljust``)
went out of line after a Chinese model name or chat title."""

from __future__ import annotations

import unicodedata

__all__ = ["cells", "fit", "pad_left", "pad_right"]


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
    """``text`` cut to at most ``width`` cells (a wide character that would straddle the edge
    goes), then padded to exactly ``width``."""
    if cells(text) > width:
        kept, used = [], 0
        for char in text:
            used += _width(char)
            if used > width:
                break
            kept.append(char)
        text = "".join(kept)
    return pad_left(text, width)
