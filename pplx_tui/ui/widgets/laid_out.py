""":class:`LaidOut`: a widget whose size changes never ask for another layout.

After each layout Textual gives every widget whose size changed its new virtual size through
the ``virtual_size`` reactive, which asks for a layout again: each frame that laid a growing
answer out was followed by a second one that changed nothing (the answer's text, the answer
and the conversation; 7-20 ms of CPU at 160x48, profiled in tmux, issue 12), and a key typed
meanwhile had its echo drawn in that frame. The virtual size comes from the layout just made,
so it is set without asking for another, as Textual does when it scrolls; a scrolling
container's scrollbars are updated as before (one that comes or goes asks for its layout).

Not for the conversation: its layout after an answer's rows came or went (related questions
and images, the error row, shown once the answer ends) is the one that gives that answer its
new height; without it those rows stayed cut off below the answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.geometry import Size

if TYPE_CHECKING:
    from textual.widget import Widget

    _Base = Widget
else:
    # Not a widget class itself: a DOM base before the Textual class would hide that class's
    # CSS (Textual follows the first DOM base) and its focus settings.
    _Base = object

__all__ = ["LaidOut"]


class LaidOut(_Base):
    """Mix in before the Textual widget class."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)
