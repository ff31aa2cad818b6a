"""A ``SelectionList`` drawn as :mod:`.option_rows` draws an ``OptionList``'s rows (its own
module: the first frame has no ``SelectionList``, whose import is ~4 ms of start-up)."""

from __future__ import annotations

from textual.strip import Strip
from textual.style import Style
from textual.widgets import SelectionList
from textual.widgets.option_list import Option
from textual.widgets.selection_list import SelectionType

from pplx_tui.ui.widgets.option_rows import mark_highlighted

__all__ = ["HighlightingSelectionList"]


class HighlightingSelectionList(SelectionList[SelectionType]):
    """A ``SelectionList`` whose :class:`~pplx_tui.ui.widgets.option_rows.HangingLines` rows
    are drawn in the highlight's own colours on the highlighted row (a ``Selection`` takes only
    text: give it its row's ``HangingLines.content``, then put the lines in with
    ``replace_option_prompt_at_index``)."""

    def _get_option_render(self, option: Option, style: Style) -> list[Strip]:
        mark_highlighted(self, option)
        return super()._get_option_render(option, style)
