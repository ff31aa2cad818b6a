"""What the user reads stays in view when the conversation's size changes.

A scrolling view keeps its offset in rows from the top; once the terminal is resized or a side
panel shows or hides, the text wraps to the new width and other text is at that offset (QA: the
reading cursor on paragraph 40, at 80x24 the screen showed paragraphs 22-26; hiding and showing
the sources moved the view further each time). :class:`KeepsPlace` (mixed into
:class:`~pplx_tui.ui.widgets.conversation.Conversation`) notes after each frame where the reading
is (:class:`Place`): the reading cursor's line (or a find's match) when it shows, else the line
at the top, by its text (:mod:`.text_places`); after a change of size it scrolls that back into
view. The view following an answer's end keeps following it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.widget import Widget

from pplx_tui.ui.widgets.nested_place import region_in
from pplx_tui.ui.widgets.text_places import TextPlace, line_of, place_of

if TYPE_CHECKING:
    from textual.containers import VerticalScroll
    from textual.geometry import Size

    _Host = VerticalScroll
else:
    _Host = object  # a plain mixin at run time: Textual's class set-up stays the widget's

__all__ = ["KeepsPlace", "Place"]


@dataclass(frozen=True, slots=True)
class Place:
    """What the view showed: ``widget``'s line at ``spot`` (``None``: the reading focus's first
    line) on row ``row`` of a view ``height`` rows high."""

    widget: Widget
    spot: TextPlace | float | None
    """A text's place (:class:`TextPlace`), or how far down another widget (0 to 1)."""
    row: int
    height: int


class KeepsPlace(_Host):
    """Keeps the reading in view across changes of size, for a scrolling widget that says where
    its reading focus is (:meth:`reading_focus`) and whether it follows its bottom."""

    following: bool

    def reading_focus(self) -> tuple[Widget, int, int] | None:
        """The widget whose lines the user's eye is on, and those lines (first, past the last):
        the reading cursor's (the conversation's)."""
        raise NotImplementedError

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._place: Place | None = None
        self._place_size: Size | None = None
        """The size :attr:`_place` was noted at (another: the place is still to be restored)."""
        self._restored_to: int | None = None
        """The offset the place was restored to: the same place there (the offset may be short
        of the place's, at the end of the chat), not noted again."""

    def on_mount(self) -> None:
        # After each layout of the screen (the places of the widgets shown are known then), not
        # on the conversation's Resize event: Textual sent none when the sources panel hid.
        self.screen.screen_layout_refresh_signal.subscribe(self, self.note_place, immediate=True)

    def note_place(self, _: object = None) -> None:
        """Note what the view shows now, unless the place noted still says it; after a change
        of size, first scroll back to the place noted before."""
        if not self.size:
            return
        if self.size != self._place_size:
            self._place_size = self.size
            self._restore_place()
            return  # (noted again after the next frame, the view scrolled by then)
        if self.following:
            self._place = None
            return
        top = round(self.scroll_y)
        place = self._place
        if (
            place is not None
            and (top == self._restored_to or self._top_for(place) == top)
            and (place.spot is None) == (self._focus_shown() is not None)
        ):
            return
        self._place, self._restored_to = self._read_place(), None

    def _restore_place(self) -> None:
        place, self._restored_to = self._place, None
        if place is None or self.following:
            return
        top = self._top_for(place)
        if top is None:
            self._place = None
        else:
            self.scroll_to(y=top, animate=False, immediate=True)
            self._restored_to = round(self.scroll_y)

    def _read_place(self) -> Place | None:
        top, height = round(self.scroll_y), self.scrollable_content_region.height
        if (focus := self._focus_shown()) is not None:
            widget, first = focus
            return Place(widget, None, first - top, height)
        widget = self._widget_at(top)
        if widget is None:
            return None
        y = region_in(self, widget).y
        row = max(top - y, 0)  # (below a gap at the top: its first row)
        return Place(widget, _spot_in(widget, row), y + row - top, height)

    def _focus_shown(self) -> tuple[Widget, int] | None:
        """The reading focus's widget and its first line's row in the view's content, if any of
        its lines shows."""
        focus = self.reading_focus()
        if focus is None or not self.can_view_partial(focus[0]):
            return None
        widget, first, end = focus
        y = region_in(self, widget).y
        top = round(self.scroll_y)
        if y + end <= top or y + first >= top + self.scrollable_content_region.height:
            return None
        return widget, y + first

    def _widget_at(self, top: int) -> Widget | None:
        """The innermost widget shown on row ``top`` of the content (or the first below it)."""
        widget: Widget = self
        while True:
            shown = (child for child in widget.children if self.can_view_partial(child))
            below = next((c for c in shown if region_in(self, c).bottom > top), None)
            if below is None:
                return None if widget is self else widget
            widget = below

    def _top_for(self, place: Place) -> int | None:
        """The offset that shows ``place`` where it was (the focus: all its lines that fit);
        ``None`` if it is no longer shown."""
        widget = place.widget
        if not widget.is_attached or self not in widget.ancestors:
            return None
        height = self.scrollable_content_region.height
        row = place.row * height // max(place.height, 1)
        if place.spot is not None:
            return region_in(self, widget).y + _row_of(widget, place.spot) - row
        focus = self.reading_focus()
        if focus is None or focus[0] is not widget:
            return None
        _, first, end = focus
        y = region_in(self, widget).y
        return min(max(y + first - row, y + end - height), y + first)


def _spot_in(widget: Widget, row: int) -> TextPlace | float:
    """Where row ``row`` of ``widget`` is, found again by :func:`_row_of` at another width."""
    from pplx_tui.ui.widgets.answer_text import AnswerText
    from pplx_tui.ui.widgets.markdown_text import MarkdownText

    if not isinstance(widget, MarkdownText):
        return row / max(widget.size.height, 1)
    if isinstance(widget, AnswerText):  # a row of the snippet: the paragraph's last line
        start, rows = widget.snippet_rows()
        row = row - rows if row >= start + rows else min(row, max(start - 1, 0))
    return place_of(widget.document.blocks(widget.size.width), row)


def _row_of(widget: Widget, spot: TextPlace | float) -> int:
    from pplx_tui.ui.widgets.answer_text import AnswerText
    from pplx_tui.ui.widgets.markdown_text import MarkdownText

    if isinstance(spot, float) or not isinstance(widget, MarkdownText):
        return int(float(spot) * widget.size.height)
    row = line_of(widget.document.blocks(widget.size.width), spot)
    if isinstance(widget, AnswerText):
        start, rows = widget.snippet_rows()
        row += rows if row >= start else 0
    return row
