""":class:`LaidOut`: a widget whose size changes never ask for another layout.

After each layout Textual gives every widget whose size changed its new virtual size through
the ``virtual_size`` reactive, which asks for a layout again: each frame that laid a growing
answer out was followed by a second one that changed nothing (the answer's text, the answer
and the conversation; 7-20 ms of CPU at 160x48, profiled in tmux, issue 12), and a key typed
meanwhile had its echo drawn in that frame. The virtual size comes from the layout just made,
so it is set without asking for another, as Textual does when it scrolls; a scrolling
container's scrollbars are updated as before (one that comes or goes asks for its layout).

Not for the conversation at all times: its layout after an answer's rows came or went (related
questions and images, the error row, shown once the answer ends) is the one that gives that
answer its new height; without it those rows stayed cut off below the answer. While a text in it
streams (:func:`note_streaming`) the conversation is :class:`StreamLaidOut`: then its new
virtual size comes from a text that grew, whose height the layout just made is exact, and the
second layout per show (15-28 ms of CPU at 160x48 in tmux, issue 12) is skipped; once the text
is complete it is laid out again (``set_streaming(False)``) and the conversation with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakSet

from textual.geometry import Size

if TYPE_CHECKING:
    from textual.widget import Widget

    _Base = Widget
else:
    # Not a widget class itself: a DOM base before the Textual class would hide that class's
    # CSS (Textual follows the first DOM base) and its focus settings.
    _Base = object

__all__ = ["LaidOut", "StreamLaidOut", "note_streaming"]

_streaming: WeakSet[Widget] = WeakSet()
"""The texts streaming now (weakly: a text removed while streaming leaves on its own)."""


def note_streaming(text: Widget, now: bool) -> None:
    """``text`` streams from ``now`` on (``True``), or not."""
    if now:
        _streaming.add(text)
    else:
        _streaming.discard(text)


class LaidOut(_Base):
    """Mix in before the Textual widget class."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)


class StreamLaidOut(_Base):
    """Mix in before the Textual scrolling class: size changes ask for no layout while a text
    in the widget streams (see the module's note)."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        if layout and any(self in text.ancestors for text in _streaming):
            layout = False
        return super()._size_updated(size, virtual_size, container_size, layout=layout)
