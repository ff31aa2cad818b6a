"""A layout in the frame that paints a scroll repaints the whole screen.

Textual paints a scroll by comparing each widget's place with the one it last looked up
(``_compositor.reflow_visible``); a layout in the same frame (a toast mounted, a widget
shown) compares them with the places of its last full look-up instead (``reflow``). A widget
out of view that is refreshed between the scroll and the frame (the toast's rack as the toast
mounts) has the screen look every place up again, already scrolled: nothing seemed to have
moved, and only the toast was drawn (QA, tmux 80x24: ``5`` moved the cursor and the view to
the marker [5] at the answer's end, the terminal kept the top of the chat; once the toast
went, only the rows it had covered were drawn at the new place). The scroll's frame repaints
the whole view anyway (``reflow_visible`` after a layout knows no earlier places): the layout's
does it here.
"""

from __future__ import annotations

from typing import Any

from textual.geometry import Size

__all__ = ["PaintScrollWithLayout"]


class PaintScrollWithLayout:
    """Mixed into a screen before ``Screen``: a layout with a scroll to paint repaints all."""

    def _refresh_layout(self: Any, size: Size | None = None, scroll: bool = False) -> None:
        if scroll and self._layout_widgets and not self.app.is_inline:
            whole = self.outer_size if size is None else size
            self._compositor._dirty_regions.add(whole.region)
        super()._refresh_layout(size, scroll)
