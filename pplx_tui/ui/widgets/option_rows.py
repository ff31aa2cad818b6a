"""An ``OptionList`` whose rows are laid out again when its width changes without a resize."""

from __future__ import annotations

from textual.widgets import OptionList

__all__ = ["RewrappingOptionList"]


class RewrappingOptionList(OptionList):
    """Rows wrapped for the width they are drawn in.

    Textual's ``OptionList`` keeps each row's lines (and heights) as first laid out, per
    style, not per width, and forgets them only on a resize. Its focus border narrows the rows
    without one, so the chat list, focused, drew its rows laid out two columns wider: titles
    lost their last letters and a row its date line (QA-30). Listed again, it laid the rows out
    while its scrollbar was gone (no rows yet); the scrollbar came back and they were drawn two
    columns narrower than laid out.
    """

    _laid_out_width = -1

    def _update_lines(self) -> None:
        # Called before every draw (render_lines) and as options are added.
        width = self.scrollable_content_region.width
        if width != self._laid_out_width:
            self._laid_out_width = width
            self._line_cache.clear()
            self._option_render_cache.clear()
            self.refresh()
        super()._update_lines()
