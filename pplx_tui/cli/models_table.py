"""``pplx models``' lines for one provider: its name, notes, key state and models.

In a pipe every model takes one line and every note one line (the same bytes whatever window
the command ran in). On a terminal a line that would not fit breaks between words, never inside
an id, a price or a URL: a model's price goes under its capabilities, then (in a narrow
terminal) its capabilities under its id; a note goes on over indented lines.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from pplx_tui.cli.columns import cells, pad_left

GAP = "  "
INDENT = "  "
"""Where a provider's notes and models start."""
MORE = "    "
"""Where a line that goes on from the one above starts."""


@dataclass(frozen=True, slots=True)
class ModelRow:
    """One model's values, as shown."""

    id: str
    """The id, and `` (default)`` on the provider's default."""
    capabilities: str
    price: str


def provider_lines(
    heading: str, notes: list[str], rows: list[ModelRow], width: int | None
) -> list[str]:
    """The provider's ``heading``, its ``notes`` and its models, fitted to ``width`` cells on a
    terminal (``None``: a pipe)."""
    lines = [heading]
    for note in notes:
        lines.extend(_wrapped(INDENT + note, width))
    lines.extend(_model_lines(rows, width))
    return lines


def _wrapped(text: str, width: int | None) -> list[str]:
    if width is None or cells(text) <= width:
        return [text]
    return textwrap.wrap(
        text,
        width=width,
        subsequent_indent=MORE,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _model_lines(rows: list[ModelRow], width: int | None) -> list[str]:
    if not rows:
        return []
    ids = max(cells(row.id) for row in rows)
    capabilities = max(cells(row.capabilities) for row in rows)
    prices = max(cells(row.price) for row in rows)
    first = len(INDENT) + ids + len(GAP)
    """Where the capabilities column starts."""
    if width is None or first + capabilities + len(GAP) + prices <= width:
        return [
            _joined(
                INDENT + pad_left(row.id, ids), pad_left(row.capabilities, capabilities), row.price
            )
            for row in rows
        ]
    lines: list[str] = []
    if first + max(capabilities, prices) <= width:  # the price under the capabilities
        for row in rows:
            lines.append(_joined(INDENT + pad_left(row.id, ids), row.capabilities))
            if row.price:
                lines.append(" " * first + row.price)
        return lines
    for row in rows:  # a narrow terminal: each value on its own line
        lines.append(INDENT + row.id)
        lines.extend(MORE + value for value in (row.capabilities, row.price) if value)
    return lines


def _joined(*values: str) -> str:
    return GAP.join(value for value in values if value).rstrip()
