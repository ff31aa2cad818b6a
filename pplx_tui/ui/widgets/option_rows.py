"""An ``OptionList`` whose rows are laid out again when its width changes without a resize."""

from __future__ import annotations

from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import OptionList

__all__ = ["RewrappingOptionList"]


class RewrappingOptionList(OptionList):
    """Rows wrapped for the width they are drawn in.

    Textual's ``OptionList`` keeps each row's lines per style, not per width, and forgets them
    only on a resize; its focus border (or a scrollbar coming) narrows the rows without one,
    so the chat list, focused, drew its rows laid out two columns wider: titles lost their last
    letters and a row its date line (QA-30).
    """

    _laid_out_width = -1

    def render_lines(self, crop: Region) -> list[Strip]:
        width = self.scrollable_content_region.width
        if width != self._laid_out_width:
            self._laid_out_width = width
            self._clear_caches()
        return super().render_lines(crop)
