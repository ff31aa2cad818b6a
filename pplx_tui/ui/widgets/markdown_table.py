"""Markdown tables drawn as boxed lines of text (a renderer of :mod:`.markdown_blocks`).

Columns take their natural width; when the table is wider than the room, the widest columns
give way first and their cells wrap at word boundaries (no column is made narrower than its
longest word while the room allows), so nothing is cut off.
"""

from __future__ import annotations

import re

from textual.content import Content

from pplx_tui.ui.widgets.markdown_common import Node, align_line, inline_content

__all__ = ["column_widths", "render_table"]

_ALIGN = re.compile(r"text-align:\s*(left|center|right)")
_LINES = ".markdown-text--table-lines"
_HEADER = ".markdown-text--table-header"

Cell = tuple[Content, str]
"""A cell's text and alignment (``left``, ``center`` or ``right``)."""


def render_table(node: Node, width: int) -> list[Content]:
    """The lines of a ``table`` node at ``width`` cells."""
    header: list[Cell] = []
    rows: list[list[Cell]] = []
    for section in node.children:
        for row in section.children:
            cells = [_cell(c) for c in row.children if c.kind in ("th", "td")]
            if section.kind == "thead":
                header = cells
            else:
                rows.append(cells)
    columns = max([len(header), *(len(row) for row in rows)])
    if not columns:
        return []
    room = width - 3 * columns - 1  # a rule and two spaces per column, one closing rule
    if room < columns:  # no room for a box: one line of cells per row
        return [
            line
            for row in [header, *rows]
            for line in Content(" │ ").join(cell for cell, _ in row).wrap(width)
        ]
    table = [_padded(header, columns), *(_padded(row, columns) for row in rows)]
    cells = [[table[r][c][0] for r in range(len(table))] for c in range(columns)]
    widths = column_widths(
        [max(cell.cell_length for cell in column) for column in cells],
        room,
        [max(_longest_word(cell) for cell in column) for column in cells],
    )
    lines = [_rule("┌", "┬", "┐", widths)]
    lines += _row(table[0], widths, _HEADER)
    lines.append(_rule("├", "┼", "┤", widths))
    for row in table[1:]:
        lines += _row(row, widths, "")
    lines.append(_rule("└", "┴", "┘", widths))
    return lines


def column_widths(natural: list[int], room: int, words: list[int] | None = None) -> list[int]:
    """Column widths that fit ``room``: the natural ones, or the widest cut to a common cap.

    ``words``: each column's longest word. While the room allows, no column is cut below it
    (so cells wrap between words); what is left over is shared as above. When the longest
    words do not all fit, only the longest are cut (to a common cap): shorter words stay whole.
    """
    natural = [max(n, 1) for n in natural]
    if sum(natural) <= room:
        return natural
    floors = [
        min(max(w, 1), n, max(room // 2, 1)) for w, n in zip(words or [], natural, strict=False)
    ]
    if words and sum(floors) < room:
        extra = _capped([n - f for n, f in zip(natural, floors, strict=True)], room - sum(floors))
        return [f + e for f, e in zip(floors, extra, strict=True)]
    return _capped(floors if words else natural, room)


def _capped(natural: list[int], room: int) -> list[int]:
    """``natural`` widths cut to the largest common cap that fits ``room``, spare handed out."""
    if sum(natural) <= room:
        return natural
    low, high = (1 if min(natural) > 0 else 0), max(natural)
    while low < high:  # the largest cap that fits
        cap = (low + high + 1) // 2
        if sum(min(n, cap) for n in natural) <= room:
            low = cap
        else:
            high = cap - 1
    widths = [min(n, low) for n in natural]
    spare = room - sum(widths)
    for index, n in enumerate(natural):  # hand what is left to the columns that were cut
        if spare <= 0:
            break
        if n > widths[index]:
            widths[index] += 1
            spare -= 1
    return widths


def _longest_word(cell: Content) -> int:
    return max((len(word) for word in cell.plain.split()), default=0)


def _cell(node: Node) -> Cell:
    match = _ALIGN.search(str(node.token.attrs.get("style", "")))
    return inline_content(node.inline), match.group(1) if match else "left"


def _padded(row: list[Cell], columns: int) -> list[Cell]:
    return [*row[:columns], *[(Content(""), "left")] * (columns - len(row))]


def _rule(left: str, middle: str, right: str, widths: list[int]) -> Content:
    return Content.styled(left + middle.join("─" * (w + 2) for w in widths) + right, _LINES)


def _row(row: list[Cell], widths: list[int], style: str) -> list[Content]:
    wrapped = [cell.wrap(width) for (cell, _), width in zip(row, widths, strict=True)]
    height = max(len(lines) for lines in wrapped)
    bar = Content.styled("│", _LINES)
    lines = []
    for y in range(height):
        parts: list[Content] = [bar]
        for (_, align), cell_lines, width in zip(row, wrapped, widths, strict=True):
            text = cell_lines[y] if y < len(cell_lines) else Content("")
            text = align_line(text, width, align)
            if style:
                text = text.stylize_before(style)
            parts += [Content(" "), text, Content(" "), bar]
        lines.append(Content.assemble(*parts))
    return lines
