"""Reading colours off the screen: each cell's character, text colour and background as a user's
terminal shows them, and the WCAG contrast of the text in a part of it; the measures of
``tests/test_ui_contrast.py`` on the app's widgets, and a loop over themes that switches each
theme once and measures every state of the app in it.

The cells are read from the frame ``app.export_screenshot()`` draws (its compositor's segments,
before they are made an SVG: :func:`tests.support.tui.frame`), after Textual's filters: ANSI
colours (the ``ansi-*`` themes) as the app's terminal theme shows them, reversed cells swapped.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from rich.color import Color as RichColor
from rich.color import ColorSystem
from rich.terminal_theme import TerminalTheme
from textual.app import App
from textual.color import Color
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget

from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.contrast import NORMAL, SECONDARY, XTERM_16, contrast_ratio
from pplx_tui.ui.theme_guard import DIVIDER
from pplx_tui.ui.widgets.message_view import AnswerView
from tests.support.tui import frame, until, workspace

__all__ = [
    "Cell",
    "Grid",
    "Measure",
    "Shortfall",
    "State",
    "cells",
    "content",
    "dialog_problems",
    "divider_problems",
    "each_theme",
    "focused",
    "highlight_problems",
    "marker_problems",
    "measured",
    "muted_problems",
    "option_problems",
    "report",
    "rows_between",
    "scrollbar_problems",
    "shortfalls",
    "text_problems",
]

_LINES, _BLOCKS = "\u2500", "\u259f"
"""The first of Unicode's box-drawing characters and the last of its block elements."""


class Cell(NamedTuple):
    """One cell of the screen: its character, text colour and background (a tuple: a screen
    read is 6,000 of them)."""

    char: str
    colour: Color
    background: Color

    @property
    def contrast(self) -> float:
        return _contrast(self.colour, self.background)

    @property
    def is_text(self) -> bool:
        """Not a space, nor a line or block of a border, a divider or a scrollbar."""
        return (
            not self.char.isspace() and self.char != "\xa0" and not _LINES <= self.char <= _BLOCKS
        )


_contrast = lru_cache(maxsize=4096)(contrast_ratio)
""":func:`~pplx_tui.ui.contrast.contrast_ratio`, once for each pair of colours a screen shows."""


@dataclass(frozen=True, slots=True)
class Shortfall:
    """Text in ``what`` below ``minimum`` contrast (``text``: its row; ``cell``: the worst)."""

    what: str
    text: str
    cell: Cell
    minimum: float

    def __str__(self) -> str:
        c = self.cell
        return (
            f"{self.what}: {c.char!r} {c.colour.hex} on {c.background.hex} "
            f"{c.contrast:.2f}:1 < {self.minimum:g} in {self.text.strip()!r}"
        )


Grid = list[list[Cell]]
"""The screen's cells, row by row (:func:`cells`)."""

_XTERM = {
    dark: TerminalTheme(
        (0, 0, 0) if dark else (255, 255, 255),
        (229, 229, 229) if dark else (0, 0, 0),
        list(XTERM_16[:8]),
        list(XTERM_16[8:]),
    )
    for dark in (True, False)
}
"""xterm's 16 colours (QA's reading of a tmux capture), on a dark terminal's default colours
(for a dark theme) and on a light one's (xterm's own)."""


def cells(app: App[Any], system: ColorSystem | None = None) -> Grid:
    """The screen's cells, row by row (a wide character takes one cell here); with
    ``system``, in the colours a terminal of only 256 (``EIGHT_BIT``) or 16 (``STANDARD``)
    colours is sent (Rich's ``Color.downgrade``), shown in xterm's palette (an ANSI theme's
    colours too)."""
    dark = app.current_theme.dark
    theme = app.ansi_theme_dark if dark else app.ansi_theme_light
    if system is not None:
        theme = _XTERM[dark]
    rows: Grid = []
    for row in frame(app):
        shown: list[Cell] = []
        for strip in row:
            for text, style, control in strip:
                if control:
                    continue
                if style is None:
                    fore, back = _shown(None, None, False, system, theme)
                else:
                    fore, back = _shown(style.color, style.bgcolor, style.reverse, system, theme)
                shown += [Cell(char, fore, back) for char in text]
        rows.append(shown)
    return rows


@lru_cache(maxsize=4096)
def _shown(
    fore: RichColor | None,
    back: RichColor | None,
    reverse: bool | None,
    system: ColorSystem | None,
    theme: TerminalTheme,
) -> tuple[Color, Color]:
    """A segment's text colour and background as the terminal shows them (see :func:`cells`)."""
    fore, back = fore or _DEFAULT, back or _DEFAULT
    if system is not None:
        fore, back = fore.downgrade(system), back.downgrade(system)
    shown = (
        Color(*fore.get_truecolor(theme, foreground=True)),
        Color(*back.get_truecolor(theme, foreground=False)),
    )
    return (shown[1], shown[0]) if reverse else shown


_DEFAULT = RichColor.default()


def shortfalls(screen: Grid, region: Region, minimum: float, what: str) -> list[Shortfall]:
    """The rows of ``region`` whose text falls below ``minimum`` contrast (the worst cell each)."""
    found = []
    for y in range(region.y, region.bottom):
        row = screen[y][region.x : region.right]
        text = [cell for cell in row if cell.is_text]
        worst = min(text, key=lambda cell: cell.contrast, default=None)
        if worst is not None and worst.contrast < minimum:
            found.append(Shortfall(what, "".join(c.char for c in row), worst, minimum))
    return found


def _texts(screen: Grid, region: Region) -> list[str]:
    """The text of each row of ``region``."""
    return [
        "".join(c.char for c in screen[y][region.x : region.right])
        for y in range(region.y, region.bottom)
    ]


# -- where the measured rows are ---------------------------------------------------------------


def content(widget: Widget) -> Region:
    """Where ``widget`` draws its rows: its region, less its scrollbar and border, with its
    padding (a highlight goes from edge to edge)."""
    region = widget.region
    scrollbar = widget.scrollbar_size_vertical if widget.show_vertical_scrollbar else 0
    border = widget.styles.border.spacing
    return Region(
        region.x + border.left,
        region.y + border.top,
        region.width - border.width - scrollbar,
        region.height - border.height,
    )


def rows_between(screen: Grid, region: Region, first: str, last: str | None = None) -> Region:
    """The rows of ``region`` from the one starting (after spaces and a ``▸``) with ``first``
    to the one holding ``last`` (else to the row before the next blank one)."""
    texts = _texts(screen, region)
    top = next(n for n, text in enumerate(texts) if text.lstrip(" ▸").startswith(first))
    if last is None:
        bottom = next(n for n, text in enumerate(texts[top:], top) if not text.strip())
    else:
        bottom = next(n for n, text in enumerate(texts[top:], top) if last in text) + 1
    return Region(region.x, region.y + top, region.width, bottom - top)


# -- the measures ------------------------------------------------------------------------------


def highlight_problems(screen: Grid, rows: Region, what: str) -> list[str]:
    """The highlighted rows' text: the first row (a title) at :data:`NORMAL` contrast, the
    rest (site and date, snippet, a chat's date) at :data:`SECONDARY`; and the highlight's
    background on every cell of every row, from edge to edge (focused, other than the row's
    after them)."""
    title = Region(rows.x, rows.y, rows.width, 1)
    rest = Region(rows.x, rows.y + 1, rows.width, rows.height - 1)
    problems = [str(s) for s in shortfalls(screen, title, NORMAL, what + " title")]
    problems += [str(s) for s in shortfalls(screen, rest, SECONDARY, what)]
    highlight = screen[rows.y][rows.x].background
    # (blurred, Textual's ANSI themes draw no highlight: their design, not measured here)
    if "focused" in what and screen[rows.bottom][rows.x].background == highlight:
        problems.append(f"{what}: no highlight to be seen ({highlight.hex} all along)")
    for y in range(rows.y, rows.bottom):
        row = screen[y][rows.x : rows.right]
        if other := [cell for cell in row if cell.background != highlight]:
            text = "".join(cell.char for cell in row).strip()
            problems.append(
                f"{what}: {len(other)} of {len(row)} cells of {text!r} are on "
                f"{other[0].background.hex}, not the highlight's {highlight.hex}"
            )
    return problems


def muted_problems(screen: Grid, rows: Region, what: str) -> list[str]:
    """A row's muted lines (a chat's date, under its title): read at :data:`SECONDARY`
    contrast, and less than the first row's text (QA: a chat's date pure white under
    pplx-dark's off-white title)."""
    title = [cell for cell in screen[rows.y][rows.x : rows.right] if cell.is_text]
    least = min(cell.contrast for cell in title)
    rest = Region(rows.x, rows.y + 1, rows.width, rows.height - 1)
    problems = [str(s) for s in shortfalls(screen, rest, SECONDARY, what)]
    for y in range(rest.y, rest.bottom):
        text = [cell for cell in screen[y][rows.x : rows.right] if cell.is_text]
        if text and (most := max(text, key=lambda cell: cell.contrast)).contrast >= least:
            problems.append(
                f"{what}: {most.colour.hex} on {most.background.hex} {most.contrast:.2f}:1, "
                f"not muted (the title: {least:.2f}:1)"
            )
    return problems


def marker_problems(screen: Grid, app: PplxApp) -> list[str]:
    """The answer's ``[n]`` markers at :data:`SECONDARY` contrast, the one under the reading
    cursor too (QA: light grey on lime in ansi-dark, 1.14:1)."""
    problems = []
    for answer in workspace(app).query(AnswerView):
        region = answer.region
        for y in range(region.y, region.bottom):
            row = screen[y][region.x : region.right]
            text = "".join(cell.char for cell in row)
            start = text.find("[")
            while start >= 0:
                end = text.find("]", start)
                if end > start + 1 and text[start + 1 : end].isdigit():
                    worst = min(row[start : end + 1], key=lambda cell: cell.contrast)
                    if worst.contrast < SECONDARY:
                        problems.append(
                            f"marker {text[start : end + 1]}: {worst.colour.hex} on "
                            f"{worst.background.hex} {worst.contrast:.2f}:1 < {SECONDARY:g}"
                        )
                start = text.find("[", start + 1)
    return problems


def option_problems(screen: Grid, region: Region, name: str, height: int, what: str) -> list[str]:
    """The highlighted option (``height`` rows from the one holding ``name``) in ``region``:
    ``name`` at :data:`NORMAL` contrast, the rest of its text (a compare picker's ``☑``, a
    model's id and details, an image's URL) at :data:`SECONDARY`."""
    texts = _texts(screen, region)
    top = next((n for n, text in enumerate(texts) if name in text), None)
    if top is None:
        return [f"{what}: {name!r} not on the screen"]
    y, x = region.y + top, region.x + texts[top].index(name)
    named = Region(x, y, len(name), 1)
    left = region.x
    problems = [str(s) for s in shortfalls(screen, named, NORMAL, what + " name")]
    for row in range(y, min(y + height, region.bottom)):
        text = [
            cell
            for n, cell in enumerate(screen[row][left : region.right], left)
            if cell.is_text and (row != y or not x <= n < named.right)
        ]
        worst = min(text, key=lambda cell: cell.contrast, default=None)
        if worst is not None and worst.contrast < SECONDARY:
            problems.append(
                f"{what}: {worst.char!r} {worst.colour.hex} on {worst.background.hex} "
                f"{worst.contrast:.2f}:1 < {SECONDARY:g} in {texts[row - region.y].strip()!r}"
            )
    return problems


def text_problems(
    screen: Grid, texts: tuple[str, ...], what: str, least: float = SECONDARY
) -> list[str]:
    """The rows of the screen holding each of ``texts``, from it to the end of the row's text,
    at ``least`` contrast."""
    problems = []
    rows = ["".join(c.char for c in row) for row in screen]
    for text in texts:
        y = next((n for n, row in enumerate(rows) if text in row), None)
        if y is None:
            problems.append(f"{what}: {text!r} not on the screen")
            continue
        x = rows[y].index(text)
        end = len(rows[y].rstrip(" │▎▊"))
        region = Region(x, y, max(end - x, len(text)), 1)
        problems += [str(s) for s in shortfalls(screen, region, least, what)]
    return problems


def divider_problems(screen: Grid, app: PplxApp, least: float = DIVIDER) -> list[str]:
    """The chat list's and the sources panel's dividers (``│``) at ``least`` contrast with the
    cells on either side (QA: lighter than pplx-light's background, 1.08:1)."""
    problems = []
    ws = workspace(app)
    for widget, x in (
        (ws.chat_list, ws.chat_list.region.right - 1),
        (ws.sources, ws.sources.region.x),
    ):
        y = widget.region.y + widget.region.height // 2
        line, left, right = screen[y][x], screen[y][x - 1], screen[y][x + 1]
        for side in (left, right):
            ratio = contrast_ratio(line.colour, side.background)
            if ratio < least:
                problems.append(
                    f"divider of {type(widget).__name__}: {line.colour.hex} beside "
                    f"{side.background.hex} {ratio:.2f}:1 < {least:g}"
                )
    return problems


def dialog_problems(screen: Grid, app: PplxApp, what: str) -> list[str]:
    """Every row of the open dialog (its frame's title and subtitle too) at
    :data:`SECONDARY` contrast (QA: flexoki's titles 2.28:1, atom-one-light's key sheet
    sections 1.78:1, pplx-light's help text 2.6:1)."""
    if app.current_theme.ansi:  # (its warnings are the terminal's bright red: yellow here)
        return []
    dialog = app.screen.query(".dialog").first()
    return [str(s) for s in shortfalls(screen, dialog.region, SECONDARY, what)]


def scrollbar_problems(screen: Grid, widget: Widget, what: str) -> list[str]:
    """``widget``'s vertical scrollbar: its thumb at :data:`DIVIDER` contrast with its track
    (QA, NO_COLOR: #1c1c1c on black, 1.23:1)."""
    region = widget.vertical_scrollbar.region
    column = [screen[y][region.x] for y in range(region.y, region.bottom)]
    shades = sorted({cell.background for cell in column}, key=str)
    if len(shades) != 2:
        return [f"{what}: no thumb and track to be seen ({[c.hex for c in shades]})"]
    ratio = contrast_ratio(*shades)
    if ratio < DIVIDER:
        return [f"{what}: {shades[0].hex} and {shades[1].hex} {ratio:.2f}:1 < {DIVIDER:g}"]
    return []


# -- every theme -------------------------------------------------------------------------------

Measure = Callable[[Grid], list[str]]
"""What is wrong on the screen read (its problems, each naming what it measured)."""
State = Callable[[], Awaitable[Measure]]
"""Puts the app in a state (a widget focused; at once if it is in it) and says how to measure
the screen in it."""


async def each_theme(
    pilot: Pilot[Any],
    themes: Sequence[str],
    failures: dict[str, list[str]],
    states: Sequence[State],
    system: ColorSystem | None = None,
) -> None:
    """Each of ``themes`` switched to once (a theme restyles and redraws the whole app: the
    costly step) and in it the app in each of ``states``, measured on the screen as a terminal
    of ``system``'s colours shows it; the problems added to ``failures`` under the theme's name.
    The states are taken in turn forwards, then backwards in the next theme: a theme starts in
    the state the last one ended in."""
    app = pilot.app
    for n, theme in enumerate(themes):
        app.theme = theme
        await pilot.pause()
        for state in states if n % 2 == 0 else states[::-1]:
            measure = await state()
            if problems := measure(cells(app, system)):
                failures.setdefault(theme, []).extend(problems)


def measured(measure: Measure) -> State:
    """The state the app is in, measured by ``measure``."""

    async def stay() -> Measure:
        return measure

    return stay


def focused(pilot: Pilot[Any], widget: Widget, measure: Measure) -> State:
    """``widget`` focused (and drawn so), measured by ``measure``."""

    async def focus() -> Measure:
        if not widget.has_focus:
            widget.focus()
            await until(pilot, lambda: widget.has_focus)
            await pilot.pause()
        return measure

    return focus


def report(failures: dict[str, list[str]]) -> str:
    """The problems, theme by theme, for an assertion's message."""
    found = "\n".join(f"{theme}:\n  " + "\n  ".join(each) for theme, each in failures.items())
    return f"text below the least contrast:\n{found}"
