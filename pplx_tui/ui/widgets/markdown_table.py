"""Markdown tables drawn as boxed lines of text (a renderer of :mod:`.markdown_blocks`).

Columns take their natural width; when the table is wider than the room, the widest columns
give way first and their cells wrap at word boundaries (no column is made narrower than its
longest word), so nothing is cut off. When even the longest words do not fit side by side (a
comparison's narrow column, a wide table on a small terminal), each row is drawn as a record
instead: its first cell as a title, then one ``header: cell`` line per other column, so no word
is broken ("Encryptio / n").
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
    table = [_padded(header, columns), *(_padded(row, columns) for row in rows)]
    cells = [[table[r][c][0] for r in range(len(table))] for c in range(columns)]
    words = [max(1, *(_longest_word(cell) for cell in column)) for column in cells]
    if room < 1 or (columns > 1 and sum(words) > room):
        return _records(table[0], table[1:], width)
    widths = column_widths(
        [max(cell.cell_length for cell in column) for column in cells], room, words
    )
    lines = [_rule("┌", "┬", "┐", widths)]
    lines += _row(table[0], widths, _HEADER)
    lines.append(_rule("├", "┼", "┤", widths))
    for row in table[1:]:
        lines += _row(row, widths, "")
    lines.append(_rule("└", "┴", "┘", widths))
    return lines


def column_widths(natural: list[int], room: int, words: list[int]) -> list[int]:
    """Column widths that fit ``room``: the natural ones, or each column its longest word
    (``words``, at least 1 each, which fit side by side: the caller made sure) and the room
    left shared, the widest columns giving way first (cut to a common cap), so cells wrap
    between words."""
    natural = [max(n, 1) for n in natural]
    if sum(natural) <= room:
        return natural
    floors = [min(w, room) for w in words]  # (one column's word longer than the room: cut)
    extra = _capped([n - f for n, f in zip(natural, floors, strict=True)], room - sum(floors))
    return [f + e for f, e in zip(floors, extra, strict=True)]


def _capped(wanted: list[int], room: int) -> list[int]:
    """``wanted`` cut to the largest common cap that fits ``room``, the spare handed out."""
    if sum(wanted) <= room:
        return wanted
    low, high = 0, max(wanted)
    while low < high:  # the largest cap that fits
        cap = (low + high + 1) // 2
        if sum(min(n, cap) for n in wanted) <= room:
            low = cap
        else:
            high = cap - 1
    widths = [min(n, low) for n in wanted]
    spare = room - sum(widths)
    for index, n in enumerate(wanted):  # hand what is left to the columns that were cut
        if spare <= 0:
            break
        if n > widths[index]:
            widths[index] += 1
            spare -= 1
    return widths


def _records(header: list[Cell], rows: list[list[Cell]], width: int) -> list[Content]:
    """The table as records (too narrow for its columns): each row's first cell as a title
    (after its header, if it has one), then ``header: cell`` for the others (empty cells left
    out), a blank line between rows."""
    lines: list[Content] = []
    for row in rows or [header]:  # (a table of a header alone: the header as its record)
        if lines:
            lines.append(Content(""))
        (label, _), (title, _) = header[0], row[0]
        if label.plain.strip() and row is not header:  # (its header named: "Model: Sonar")
            title = Content.assemble(label, ": ", title)
        if title.plain.strip():
            lines += [line.stylize_before(_HEADER) for line in title.wrap(width)]
        for (label, _), (cell, _) in zip(header[1:], row[1:], strict=True):
            if not cell.plain.strip():
                continue
            named = Content.assemble(label.stylize_before(_HEADER), ": ", cell) if label else cell
            wrapped = named.wrap(max(width - 4, 1))  # (a hanging indent under the label)
            lines += [Content("  " if i == 0 else "    ") + line for i, line in enumerate(wrapped)]
    return lines


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
