"""Where toasts stand and how wide their text is: the app's folded warnings are wrapped to it
themselves (their wrapped rows indented, which Textual's wrap does not do)."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from textual.geometry import Region, Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets._toast import Toast, ToastRack

__all__ = [
    "SMALL_SCREEN",
    "small",
    "stand_above",
    "stand_as_under",
    "stand_clear_of",
    "text_width",
]

SMALL_SCREEN = (60, 16)
"""Under this width or height the app has the ``-small`` class: its toasts span the screen
without blank rows (app.tcss). At 40x12 a toast in half the width, as Textual has it, was 7
rows of the 12 for six seconds."""
_TOAST_WIDTH = 60
"""Textual's toast: 60 columns wide, at most half the screen beside the toast rack's scrollbar
(two columns), a column of padding each side and its coloured edge on the left."""


def small(screen: Size) -> bool:
    """Whether a screen of this size is small (the app's ``-small`` class)."""
    width, height = SMALL_SCREEN
    return screen.width < width or screen.height < height


def text_width(screen: Size) -> int:
    """The columns of a toast's text on a screen of this size (the whole width less its edge
    and padding on a small one)."""
    if small(screen):
        return max(10, screen.width - 3)
    return max(10, min(_TOAST_WIDTH, (screen.width - 2) // 2) - 3)


def stand_above(widget: Widget) -> None:
    """Toasts on ``widget``'s screen stand right above it, over none of it: Textual's stand on
    the screen's last row but one, where the question box is (QA: "Answer copied…" hid the
    right half of what was being typed, all of it on a small screen)."""
    if not widget.region.height:
        return
    rows_below_top = max(widget.screen.size.height - widget.region.y, 1)
    for rack in widget.screen.query_children(ToastRack):
        _stood[rack] = rows_below_top
        rack.styles.margin = (0, 0, rows_below_top, 0)


_stood: WeakKeyDictionary[ToastRack, int] = WeakKeyDictionary()
"""The rows under each rack's toasts that :func:`stand_above` gave it."""


def stand_clear_of(screen: Screen[object], cells: list[Region]) -> None:
    """Toasts on ``screen`` stand right above ``cells`` of it (the reading cursor's marker) if,
    standing where :func:`stand_above` puts them, they would cover any; else they stand there.

    QA: at 80x24, ``5`` moved the cursor to [5] on an answer's last rows, and the toast naming
    the source covered it; at a chat's end the view cannot scroll the marker above them."""
    height = screen.size.height
    for rack in screen.query_children(ToastRack):
        stood = _stood.get(rack)
        if stood is None:
            continue
        rows = stood
        raised = rack.styles.margin.bottom - stood  # (the toasts' regions: where they stand now)
        shown = [toast.region.translate((0, raised)) for toast in rack.query(Toast)]
        shown = [region for region in shown if region.height]
        if cells and any(toast.overlaps(cell) for toast in shown for cell in cells):
            first = min(cell.y for cell in cells)
            at_most = stood + min(toast.y for toast in shown)  # (their top on the screen still)
            rows = max(stood, min(height - first, at_most))
        if rack.styles.margin.bottom != rows:
            rack.styles.margin = (0, 0, rows, 0)


def stand_as_under(screen: Screen[object]) -> None:
    """Toasts on ``screen`` (a dialog) stand where those of the screen under it do.

    The screen under a dialog is drawn as it was when the dialog opened, its toasts too, and
    the dialog's screen shows the same notifications: standing elsewhere (Textual's place, over
    the question box), each toast was drawn twice (QA: the daily budget's question over
    "Following 1 background run started earlier…")."""
    stack = screen.app.screen_stack
    if screen not in stack or stack.index(screen) == 0:
        return
    under = stack[stack.index(screen) - 1]
    for below in under.query_children(ToastRack):
        for rack in screen.query_children(ToastRack):
            rack.styles.margin = below.styles.margin
