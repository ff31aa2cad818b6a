"""LaTeX's row-and-column environments (``pmatrix``, ``cases``, ``aligned``…) as text.

:mod:`pplx_tui.math_text` hands each environment's cells here, already as text. In display
math an environment is drawn on rows of its own, its columns lined up and its brackets drawn
tall (``⎛ 1  0 ⎞`` over ``⎝ 0  1 ⎠``), beside the text around it on its middle row; inline, on
one line (``(1 0; 0 1)``). Until then a block travels inside the text being built between
private marks (:func:`block`), and :func:`lay_out` draws it one way or the other.
"""

from __future__ import annotations

import re

__all__ = ["ENVIRONMENTS", "block", "lay_out"]

ENVIRONMENTS = {
    "matrix": ("", ""),
    "smallmatrix": ("", ""),
    "pmatrix": ("(", ")"),
    "bmatrix": ("[", "]"),
    "Bmatrix": ("{", "}"),
    "vmatrix": ("|", "|"),
    "Vmatrix": ("‖", "‖"),
    "cases": ("{", ""),
    "array": ("", ""),
    "aligned": ("", ""),
    "align": ("", ""),
    "align*": ("", ""),
    "split": ("", ""),
    "gathered": ("", ""),
    "gather": ("", ""),
    "gather*": ("", ""),
}
"""The environments laid out, with the brackets around them."""

_ALIGNED = frozenset({"aligned", "align", "align*", "split"})
"""Pairs of columns aligned at their ``&`` (``x &= 1``): right, then left, no gap between."""

_TALL = {
    "(": "⎛⎜⎝",
    ")": "⎞⎟⎠",
    "[": "⎡⎢⎣",
    "]": "⎤⎥⎦",
    "{": "⎧⎪⎩",
    "}": "⎫⎪⎭",
    "|": "│││",
    "‖": "‖‖‖",
}
"""Each bracket's top, middle and bottom piece (a brace's middle row: :data:`_BRACE_MIDDLE`)."""

_BRACE_MIDDLE = {"{": "⎨", "}": "⎬"}

_START, _INLINE, _END, _SPACE = "\x0e", "\x1e", "\x0f", "\x1f"
"""Marks around a block in the text being built: its rows (one per line, their spaces marked,
as the text's runs of spaces are made one), then its inline form. Control characters: none is
in an answer's math (terminal control characters are taken out of answers before)."""
_BLOCK = re.compile(f"{_START}([^{_END}]*){_INLINE}([^{_END}]*){_END}")


def block(name: str, rows: list[list[str]]) -> str:
    """The environment ``name`` of ``rows`` of cells (as text), for :func:`lay_out`."""
    left, right = ENVIRONMENTS[name]
    rows = [row for row in rows if any(cell for cell in row)] or [[""]]
    gap = "  " if name == "cases" else " "
    inline = left + "; ".join(gap.join(row).strip() for row in rows) + (right or "}" * bool(left))
    lines = _columns(name, rows)
    drawn = [
        " ".join(
            part
            for part in (_piece(left, row, len(lines)), line, _piece(right, row, len(lines)))
            if part
        )
        for row, line in enumerate(lines)
    ]
    rows_drawn = "\n".join(drawn).replace(" ", _SPACE)
    return f"{_START}{rows_drawn}{_INLINE}{inline}{_END}"


def lay_out(text: str, *, display: bool) -> str:
    """``text`` with its blocks drawn: on rows of their own in ``display`` math (the text
    around them on their middle row), else on one line."""
    if _START not in text:
        return text
    if not display:
        return _BLOCK.sub(lambda match: match.group(2), text)
    text = text.replace(_SPACE, " ")
    pieces: list[list[str]] = []
    place = 0
    for match in _BLOCK.finditer(text):
        if match.start() > place:
            pieces.append([text[place : match.start()].replace("\n", " ")])
        pieces.append(match.group(1).split("\n"))
        place = match.end()
    if place < len(text):
        pieces.append([text[place:].replace("\n", " ")])
    height = max(len(piece) for piece in pieces)
    rows = [""] * height
    for piece in pieces:
        width = max(len(line) for line in piece)
        top = (height - len(piece)) // 2
        for row in range(height):
            line = piece[row - top] if top <= row < top + len(piece) else ""
            rows[row] += line.ljust(width)
    return "\n".join(row.rstrip() for row in rows)


def _columns(name: str, rows: list[list[str]]) -> list[str]:
    """Each row's cells padded to their column's width and joined: a matrix's centred, two
    spaces apart; the cases' to the left; aligned pairs at their ``&``."""
    count = max(len(row) for row in rows)
    cells = [row + [""] * (count - len(row)) for row in rows]
    widths = [max(len(row[column]) for row in cells) for column in range(count)]
    lines = []
    for row in cells:
        if name in _ALIGNED:
            parts = [
                cell.rjust(widths[column]) if column % 2 == 0 else cell.ljust(widths[column])
                for column, cell in enumerate(row)
            ]
            pairs = [" ".join(parts[index : index + 2]) for index in range(0, len(parts), 2)]
            lines.append("  ".join(pairs))
        elif name == "cases":
            lines.append("  ".join(cell.ljust(widths[column]) for column, cell in enumerate(row)))
        else:
            lines.append("  ".join(cell.center(widths[column]) for column, cell in enumerate(row)))
    width = max(len(line) for line in lines)
    return [line.ljust(width) for line in lines]


def _piece(bracket: str, row: int, height: int) -> str:
    """The part of ``bracket`` drawn on ``row`` of a block ``height`` rows tall."""
    if not bracket or height == 1:
        return bracket
    top, middle, bottom = _TALL.get(bracket, bracket * 3)
    if row == 0:
        return top
    if row == height - 1:
        return bottom
    if bracket in _BRACE_MIDDLE and row == (height - 1) // 2:
        return _BRACE_MIDDLE[bracket]
    return middle
