""":class:`LaidOut`: a widget whose size changes never ask for another layout.

After each layout Textual gives every widget whose size changed its new virtual size through
the ``virtual_size`` reactive, which asks for a layout again: each frame that laid a growing
answer out was followed by a second one that changed nothing for the answer's text and the
answer (~7-13 ms of CPU at 160x48, profiled in tmux, issue 12), and a key typed meanwhile had
its echo drawn in that frame. The virtual size of these (non-scrolling) widgets comes from the
layout just made, so it is set without asking for another, as Textual does when it scrolls. Not
for scrolling containers: the conversation's scrollbar settles in that second layout.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widget import Widget

__all__ = ["LaidOut"]


class LaidOut(Widget):
    """Mix in before the Textual widget class."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)
