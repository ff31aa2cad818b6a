"""``pplx usage``'s table: day, provider, model, answers, tokens, cost.

In a pipe every value is whole. On a terminal narrower than the table, ANSWERS becomes ANS,
a model that does not fit loses its vendor, then is cut with "…", as the app's labels are
(``sonar`` and ``sonar-reasoning…``, where both read ``perplexity/…``), the column down to
:data:`MODEL_ROOM` cells; then the provider column goes (the model id mostly says where it
ran: ``perplexity/…`` on OpenRouter, presets on Perplexity) and the model narrows down to
:data:`MODEL_MIN` cells. Days, counts and costs are never cut.
"""

from __future__ import annotations

from pplx_tui.cli.columns import cells, fit, pad_left, pad_right
from pplx_tui.model_names import without_vendor

HEADER = ("DAY", "PROVIDER", "MODEL", "ANSWERS", "TOKENS", "COST")
NARROW_HEADER = ("DAY", "PROVIDER", "MODEL", "ANS", "TOKENS", "COST")
MODEL_ROOM = 20
"""The model column's narrowest while the provider column shows."""
MODEL_MIN = 5
"""The model column's narrowest once the provider column has gone (``sonar`` or ``son…``:
at 40 columns a line of 12 wrapped every row, its cost alone on the next)."""
GAP = "  "


def table_lines(
    rows: list[tuple[str, ...]], total: tuple[str, ...], width: int | None
) -> list[str]:
    """The header, ``rows``, a rule and ``total``, fitted to ``width`` cells (``None``: a pipe)."""
    table = [HEADER, *rows, total]
    if width is not None and _cells(_widths(table)) > width:
        table[0] = NARROW_HEADER
    widths = _widths(table)
    model, provider = widths[2], True
    if width is not None:
        model, provider = _fitted(widths, width)
    shown = [column for column in range(6) if provider or column != 1]
    widths[2] = model
    lines = []
    for number, line in enumerate(table):
        if number == len(table) - 1:
            lines.append(GAP.join("-" * widths[column] for column in shown))
        values = [_cell(line[column], widths[column], column) for column in shown]
        lines.append(GAP.join(values).rstrip())
    return lines


def _widths(table: list[tuple[str, ...]]) -> list[int]:
    return [max(cells(line[column]) for line in table) for column in range(6)]


def _cells(widths: list[int]) -> int:
    return sum(widths) + len(GAP) * (len(widths) - 1)


def _fitted(widths: list[int], width: int) -> tuple[int, bool]:
    """The model column's width on a terminal ``width`` cells wide, and whether the provider
    column shows."""
    full = widths[2]
    over = _cells(widths) - width
    if full - over >= min(full, MODEL_ROOM):  # cutting the model is enough (or nothing is)
        return min(full, full - over), True
    over = _cells(widths[:1] + widths[2:]) - width
    return max(full - max(over, 0), min(full, MODEL_MIN)), False


def _cell(value: str, width: int, column: int) -> str:
    if column >= 3:  # counts and costs: to the right
        return pad_right(value, width)
    if column == 2:
        return fit(value if cells(value) <= width else without_vendor(value), width)
    return pad_left(value, width)
